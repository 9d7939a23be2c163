import type { CreateDocInput } from '../domain/doc-engine.ts';
import { handoffOf } from '../domain/handoffs.ts';
import type { UserRow } from '../domain/model.ts';
import type { DocContext } from './doc-context.ts';

/**
 * Creates a document (decision record, handoff note) at revision 1 from Markdown (a handoff note
 * without Markdown gets the template). Recipients (`handoff.to`) must have been checked against the
 * author's access (`checkRecipients`). One transaction, inside the
 * engine (the body is built from the Markdown outside it, under write admission): the row, its
 * first body update, revision 1 and `doc.created`.
 */
export async function createDoc(ctx: DocContext, actor: UserRow, input: CreateDocInput) {
  const doc = await ctx.docs.create(actor, input);
  return { doc, decision: doc.kind === 'decision' ? await ctx.docs.decisionOf(ctx.db, doc.id) : null, handoff: await handoffOf(ctx.db, doc) };
}
