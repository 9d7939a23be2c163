import { and, eq, revisionAuthors, revisions } from '@handoff/db';
import { parseStoredDecision, type DecisionValue } from '../domain/decisions.ts';
import { notFound } from '../domain/errors.ts';
import type { DocRow } from '../domain/model.ts';
import type { CommandContext } from './transaction.ts';

/** `doc` as it was at `revision`: title, body and decision of then, dated and credited to that revision. */
export async function getRevision(ctx: Pick<CommandContext, 'db'>, doc: DocRow, revision: number): Promise<{ doc: DocRow; decision: DecisionValue | null }> {
  const rev = await ctx.db.select().from(revisions).where(and(eq(revisions.docId, doc.id), eq(revisions.revision, revision))).get();
  if (!rev) throw notFound('Revision');
  const authors = await ctx.db
    .select({ userId: revisionAuthors.userId })
    .from(revisionAuthors)
    .where(and(eq(revisionAuthors.docId, doc.id), eq(revisionAuthors.revision, revision)))
    .all();
  return {
    doc: { ...doc, title: rev.title, markdown: rev.markdown, content: rev.content, text: rev.text, revision, updatedAt: rev.createdAt, updatedBy: authors[0]?.userId ?? doc.updatedBy },
    decision: parseStoredDecision(rev.decision),
  };
}
