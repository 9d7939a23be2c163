import { asc, inArray, revisionAuthors, revisions, users, type DbOrTx } from '@handoff/db';
import { decisionsOf, parseStoredDecision } from '../domain/decisions.ts';
import { commentsAppendix, exportMarkdown } from '../domain/export-markdown.ts';
import { fileNameFor } from '../domain/file-names.ts';
import type { ExportFrontMatter } from '../domain/front-matter.ts';
import type { DocRow } from '../domain/model.ts';
import type { DocContext } from './doc-context.ts';
import { listThreads } from './list-threads.ts';

/** What the front matter of an exported document is made from. */
export type ExportableDoc = Pick<DocRow, 'id' | 'title' | 'kind' | 'markdown' | 'createdAt' | 'updatedAt'>;

/** A document as a Markdown file: its file name (Unicode kept) and its front matter, then its body. */
export function exportDoc(doc: ExportableDoc, meta: ExportFrontMatter, appendix = ''): { fileName: string; body: string } {
  return { fileName: fileNameFor(doc.title), body: exportMarkdown(meta, doc.markdown) + appendix };
}

/**
 * The front matter of each of `docs`, in a fixed number of queries: decision status, owners (as
 * handles), decided-at and the "why" (revision message) of the revision that last changed the
 * status; created/updated; every author (as handles, sorted).
 */
export async function frontMatterOf(db: DbOrTx, docs: readonly ExportableDoc[]): Promise<Map<string, ExportFrontMatter>> {
  const ids = docs.map((d) => d.id);
  const decisionIds = docs.filter((d) => d.kind === 'decision').map((d) => d.id);
  const authors = new Map<string, Set<string>>();
  const why = new Map<string, string | null>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectDistinct({ docId: revisionAuthors.docId, userId: revisionAuthors.userId }).from(revisionAuthors).where(inArray(revisionAuthors.docId, ids.slice(i, i + 500))).all();
    for (const r of rows) authors.set(r.docId, (authors.get(r.docId) ?? new Set()).add(r.userId));
  }
  for (let i = 0; i < decisionIds.length; i += 500) {
    const rows = await db
      .select({ docId: revisions.docId, decision: revisions.decision, message: revisions.message })
      .from(revisions)
      .where(inArray(revisions.docId, decisionIds.slice(i, i + 500)))
      .orderBy(asc(revisions.docId), asc(revisions.revision))
      .all();
    const status = new Map<string, string | undefined>();
    for (const r of rows) {
      const now = parseStoredDecision(r.decision)?.status;
      if (now !== status.get(r.docId)) why.set(r.docId, r.message);
      status.set(r.docId, now);
    }
  }
  const decisions = await decisionsOf(db, decisionIds);
  const people = [...new Set([...[...authors.values()].flatMap((s) => [...s]), ...[...decisions.values()].flatMap((d) => d.owners)])];
  const handles = new Map<string, string>();
  for (let i = 0; i < people.length; i += 500) {
    const rows = await db.select({ id: users.id, handle: users.handle }).from(users).where(inArray(users.id, people.slice(i, i + 500))).all();
    for (const u of rows) handles.set(u.id, u.handle);
  }
  const asHandles = (userIds: Iterable<string>) => [...userIds].map((id) => handles.get(id)).filter((h): h is string => !!h).sort();
  return new Map(
    docs.map((d) => {
      const decision = decisions.get(d.id);
      const meta: ExportFrontMatter = {
        title: d.title,
        kind: d.kind,
        decision: decision ? { status: decision.status, owners: asHandles(decision.owners), decidedAt: decision.decidedAt, why: why.get(d.id) ?? null } : null,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
        authors: asHandles(authors.get(d.id) ?? []),
      };
      return [d.id, meta];
    }),
  );
}

async function namesById(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.select({ id: users.id, name: users.name, handle: users.handle }).from(users).all();
  return new Map(rows.map((u) => [u.id, `${u.name} (@${u.handle})`]));
}

/**
 * The export of `GET /api/docs/:id/export.md`: front matter and the body by default (comments
 * never enter the body); with `comments`, every thread appended as a list with its quote (`?comments=1`).
 */
export async function exportDocFile(ctx: Pick<DocContext, 'db' | 'docs'>, doc: DocRow, options: { comments: boolean }): Promise<{ fileName: string; body: string }> {
  const meta = (await frontMatterOf(ctx.db, [doc])).get(doc.id)!;
  if (!options.comments) return exportDoc(doc, meta);
  const [threads, names] = await Promise.all([listThreads(ctx, doc, 'all'), namesById(ctx.db)]);
  const appendix = commentsAppendix(
    threads.map((t) => ({
      status: t.thread.status,
      quote: t.thread.quote,
      orphaned: t.anchor?.orphaned ?? false,
      comments: t.comments.map((c) => ({
        author: names.get(c.authorId) ?? 'Someone',
        createdAt: c.createdAt,
        markdown: c.markdown,
        deleted: c.deletedAt !== null,
        edited: c.editedAt !== null,
      })),
    })),
  );
  return exportDoc(doc, meta, appendix);
}
