import { exportMarkdown, fileNameFor } from '../domain/export-markdown.ts';
import type { DocRow } from '../domain/model.ts';

/** A document as a Markdown file: its file name and body (its title as the first heading). */
export function exportDoc(doc: Pick<DocRow, 'title' | 'markdown'>): { fileName: string; body: string } {
  return { fileName: fileNameFor(doc.title), body: exportMarkdown(doc.title, doc.markdown) };
}
