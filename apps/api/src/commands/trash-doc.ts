import { trashTree } from '../domain/doc-tree.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/** Moves a document and everything below it to the trash; one `doc.trashed` per document. */
export async function trashDoc(ctx: CommandContext, actor: UserRow, doc: DocRow): Promise<void> {
  await inTransaction(ctx, async (tx, emit) => {
    for (const event of await trashTree(tx, actor, doc, ctx.clock.now())) emit(event);
  });
}
