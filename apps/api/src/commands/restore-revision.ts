import { handoffOf } from '../domain/handoffs.ts';
import type { UserRow } from '../domain/model.ts';
import type { DocContext } from './doc-context.ts';

/**
 * Makes an earlier revision current again, as a new revision: its title, decision and body — the
 * body rebuilt from the revision's stored Lexical JSON node for node (never through Markdown, which
 * would lose underline, highlight and the like), merged into the live Y.Doc as one Yjs update.
 */
export async function restoreRevision(ctx: DocContext, actor: UserRow, docId: string, revision: number) {
  const { doc } = await ctx.docs.restoreRevision(actor, docId, revision);
  return { doc, decision: doc.kind === 'decision' ? await ctx.docs.decisionOf(ctx.db, doc.id) : null, handoff: await handoffOf(ctx.db, doc) };
}
