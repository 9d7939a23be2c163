import { moveInTree } from '../domain/doc-tree.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/** Moves a document under another of its space (or to the top); `doc.moved` when the parent changed. */
export async function moveDoc(ctx: CommandContext, actor: UserRow, doc: DocRow, parentId: string | null): Promise<DocRow> {
  return inTransaction(ctx, async (tx, emit) => {
    const moved = await moveInTree(tx, actor, doc, parentId);
    if (moved.event) emit(moved.event);
    return moved.doc;
  });
}
