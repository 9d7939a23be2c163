import { and, asc, documents, eq, isNull } from '@handoff/db';
import { exportMarkdown, fileNameFor } from '../domain/export-markdown.ts';
import type { CommandContext } from './transaction.ts';

/** One file of an exported space, at a path of folder names (a document with children is a folder with an index.md). */
export interface ExportedFile {
  path: string[];
  body: string;
}

/**
 * A space's live documents as Markdown files, parents before children: a document with children
 * becomes a folder holding its own body as `index.md`; names are made unique per folder.
 */
export async function exportSpace(ctx: Pick<CommandContext, 'db'>, spaceId: string): Promise<ExportedFile[]> {
  const docs = await ctx.db
    .select({ id: documents.id, parentId: documents.parentId, title: documents.title, markdown: documents.markdown })
    .from(documents)
    .where(and(eq(documents.spaceId, spaceId), isNull(documents.trashedAt)))
    .orderBy(asc(documents.title))
    .all();
  const children = new Map<string | null, typeof docs>();
  for (const d of docs) {
    const parent = d.parentId && docs.some((p) => p.id === d.parentId) ? d.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), d]);
  }
  const files: ExportedFile[] = [];
  const walk = (folder: string[], parent: string | null) => {
    const used = new Set<string>();
    for (const d of children.get(parent) ?? []) {
      const base = fileNameFor(d.title).replace(/\.md$/, '');
      let name = base;
      for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base}-${i}`;
      used.add(name.toLowerCase());
      const body = exportMarkdown(d.title, d.markdown);
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
