import { desc, eq, revisionAuthors, revisions } from '@handoff/db';
import type { CommandContext } from './transaction.ts';

export interface RevisionSummary {
  revision: number;
  authors: string[];
  createdAt: number;
  message: string | null;
  title: string;
}

/** Every revision of a document, newest first, with its authors. */
export async function listRevisions(ctx: Pick<CommandContext, 'db'>, docId: string): Promise<RevisionSummary[]> {
  const rows = await ctx.db
    .select({ revision: revisions.revision, createdAt: revisions.createdAt, message: revisions.message, title: revisions.title })
    .from(revisions)
    .where(eq(revisions.docId, docId))
    .orderBy(desc(revisions.revision))
    .all();
  const authors = await ctx.db.select().from(revisionAuthors).where(eq(revisionAuthors.docId, docId)).all();
  const byRevision = new Map<number, string[]>();
  for (const a of authors) byRevision.set(a.revision, [...(byRevision.get(a.revision) ?? []), a.userId]);
  return rows.map((r) => ({ ...r, authors: byRevision.get(r.revision) ?? [] }));
}
