import { restoreTree } from '../domain/doc-tree.ts';
import { handoffOf } from '../domain/handoffs.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import type { DocContext } from './doc-context.ts';
import { inTransaction } from './transaction.ts';

/** Brings a document (and what was trashed with it) back from the trash; one `doc.restored` per document. */
export async function restoreDoc(ctx: DocContext, actor: UserRow, doc: DocRow) {
  const restored = await inTransaction(ctx, async (tx, emit) => {
    const result = await restoreTree(tx, actor, doc);
    for (const event of result.events) emit(event);
    return result.doc;
  });
  return { doc: restored, decision: restored.kind === 'decision' ? await ctx.docs.decisionOf(ctx.db, restored.id) : null, handoff: await handoffOf(ctx.db, restored) };
}
