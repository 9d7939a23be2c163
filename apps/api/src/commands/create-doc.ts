import type { CreateDocInput } from '../domain/doc-engine.ts';
import type { UserRow } from '../domain/model.ts';
import type { DocContext } from './doc-context.ts';

/**
 * Creates a document (or decision record) at revision 1 from Markdown. One transaction, inside the
 * engine (the body is built from the Markdown outside it, under write admission): the row, its
 * first body update, revision 1 and `doc.created`.
 */
export async function createDoc(ctx: DocContext, actor: UserRow, input: CreateDocInput) {
  const doc = await ctx.docs.create(actor, input);
  return { doc, decision: doc.kind === 'decision' ? await ctx.docs.decisionOf(ctx.db, doc.id) : null };
}
