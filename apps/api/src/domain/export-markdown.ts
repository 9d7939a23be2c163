import { writeFrontMatter, type ExportFrontMatter } from './front-matter.ts';

/**
 * A document as a file: its front matter (title, kind, decision, dates, authors — see
 * `writeFrontMatter`), then the body. The title is not repeated as a heading: an import takes it
 * from the front matter and leaves a leading heading in the body.
 */
export function exportMarkdown(meta: ExportFrontMatter, markdown: string): string {
  const front = writeFrontMatter(meta);
  return markdown ? `${front}\n${markdown}` : front;
}

/** One thread as the Markdown export lists it (`?comments=1`). */
export interface ExportedThread {
  status: 'open' | 'resolved';
  /** The anchored text (null: a comment on the whole document) and whether it was deleted since. */
  quote: string | null;
  orphaned: boolean;
  comments: Array<{ author: string; createdAt: number; markdown: string; deleted: boolean; edited: boolean }>;
}

const indent = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The comments of a document as a Markdown appendix: a list of threads, each with its quote (as
 * a block quote) and its comments in order. Never part of the body: appended after it on request.
 */
export function commentsAppendix(threads: readonly ExportedThread[]): string {
  if (!threads.length) return '';
  const items = threads.map((t) => {
    const about = t.quote === null ? 'On the document' : t.orphaned ? 'On text since deleted' : 'On';
    const lines = [`- **${t.status === 'open' ? 'Open' : 'Resolved'}** · ${about}`];
    if (t.quote !== null) lines.push(`  > ${indent(t.quote, '  > ')}`);
    for (const c of t.comments) {
      const body = c.deleted ? '*(deleted)*' : indent(c.markdown.trim(), '    ') + (c.edited ? ' *(edited)*' : '');
      lines.push(`  - ${c.author.replace(/([\\`*_[\]<>])/g, '\\$1')}, ${utc(c.createdAt)}:`, `    ${body}`);
    }
    return lines.join('\n');
  });
  return `\n---\n\n## Comments\n\n${items.join('\n\n')}\n`;
}
