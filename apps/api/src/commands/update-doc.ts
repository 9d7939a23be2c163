import type { PatchDocInput } from '../domain/doc-engine.ts';
import { handoffOf } from '../domain/handoffs.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import type { DocContext } from './doc-context.ts';
import { moveDoc } from './move-doc.ts';

/**
 * A PATCH: title, body (Markdown), decision, a handoff note's recipients and parent in one transaction — at most one revision,
 * plus `doc.moved` when the parent changed. A move alone makes no revision and needs no body write.
 */
export async function updateDoc(ctx: DocContext, actor: UserRow, doc: DocRow, input: PatchDocInput) {
  const { parentId, ...change } = input;
  const touchesRevision = change.title !== undefined || change.markdown !== undefined || change.decision !== undefined || change.handoff !== undefined;
  const next = touchesRevision
    ? (await ctx.docs.patch(actor, doc.id, input)).doc
    : parentId !== undefined
      ? await moveDoc(ctx, actor, doc, parentId)
      : doc;
  return { doc: next, decision: next.kind === 'decision' ? await ctx.docs.decisionOf(ctx.db, next.id) : null, handoff: await handoffOf(ctx.db, next) };
}
