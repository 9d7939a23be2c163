import { and, asc, documents, eq, isNull } from '@handoff/db';
import { exportMarkdown } from '../domain/export-markdown.ts';
import { FolderNames } from '../domain/file-names.ts';
import { frontMatterOf } from './export-doc.ts';
import type { CommandContext } from './transaction.ts';

/** One file of an exported space, at a path of folder names (a document with children is a folder with an index.md). */
export interface ExportedFile {
  path: string[];
  body: string;
}

/**
 * A space's live documents as Markdown files with front matter, parents before children: a
 * document with children becomes a folder holding its own body as `index.md`; names keep Unicode
 * (see `FolderNames`) and are made unique per folder ("Setup", "Setup (2)").
 */
export async function exportSpace(ctx: Pick<CommandContext, 'db'>, spaceId: string): Promise<ExportedFile[]> {
  const docs = await ctx.db
    .select({
      id: documents.id,
      parentId: documents.parentId,
      kind: documents.kind,
      title: documents.title,
      markdown: documents.markdown,
      createdAt: documents.createdAt,
      updatedAt: documents.updatedAt,
    })
    .from(documents)
    .where(and(eq(documents.spaceId, spaceId), isNull(documents.trashedAt)))
    .orderBy(asc(documents.title), asc(documents.createdAt), asc(documents.id))
    .all();
  const meta = await frontMatterOf(ctx.db, docs);
  const ids = new Set(docs.map((d) => d.id));
  const children = new Map<string | null, typeof docs>();
  for (const d of docs) {
    const parent = d.parentId && ids.has(d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const files: ExportedFile[] = [];
  const walk = (folder: string[], parent: string | null) => {
    const names = new FolderNames();
    for (const d of children.get(parent) ?? []) {
      // One stem per document, unique in the folder whether it becomes `name.md` or `name/`.
      const name = names.take(d.title, '.md');
      const body = exportMarkdown(meta.get(d.id)!, d.markdown);
      if (children.has(d.id)) {
        files.push({ path: [...folder, name, 'index.md'], body });
        walk([...folder, name], d.id);
      } else {
        files.push({ path: [...folder, `${name}.md`], body });
      }
    }
  };
  walk([], null);
  return files;
}
