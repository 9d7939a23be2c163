import { users, type DbOrTx } from '@handoff/db';
import { commentsAppendix, exportMarkdown, fileNameFor } from '../domain/export-markdown.ts';
import type { DocRow } from '../domain/model.ts';
import type { DocContext } from './doc-context.ts';
import { listThreads } from './list-threads.ts';

/** A document as a Markdown file: its file name and body (its title as the first heading). */
export function exportDoc(doc: Pick<DocRow, 'title' | 'markdown'>, appendix = ''): { fileName: string; body: string } {
  return { fileName: fileNameFor(doc.title), body: exportMarkdown(doc.title, doc.markdown) + appendix };
}

async function namesById(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db.select({ id: users.id, name: users.name, handle: users.handle }).from(users).all();
  return new Map(rows.map((u) => [u.id, `${u.name} (@${u.handle})`]));
}

/**
 * The export of `GET /api/docs/:id/export.md`: the body alone by default (comments never enter
 * the body); with `comments`, every thread appended as a list with its quote (`?comments=1`).
 */
export async function exportDocFile(ctx: Pick<DocContext, 'db' | 'docs'>, doc: DocRow, options: { comments: boolean }): Promise<{ fileName: string; body: string }> {
  if (!options.comments) return exportDoc(doc);
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
  return exportDoc(doc, appendix);
}
