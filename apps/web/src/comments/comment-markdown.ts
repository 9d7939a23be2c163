// The Markdown subset of comments, as plain data that CommentMarkdown.tsx turns into React
// elements (never HTML): paragraphs and line breaks, emphasis, strong, inline code, links to the
// web or an inbox (http, https, mailto; anything else keeps only its label) and @mentions. Raw
// HTML, headings, lists and images stay as typed. The inline rules are the brief's parser's.

import { parseInline, type Inline } from '../components/brief/brief-markdown.ts';

export type { Inline };

/** A comment is at most 10,000 characters; anything longer is cut before it is parsed. */
const MAX_INPUT = 12_000;

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The address a comment's link may open: an absolute http(s) or mailto URL, else null. */
export function safeCommentHref(raw: string): string | null {
  const href = raw.trim();
  // eslint-disable-next-line no-control-regex -- a link with whitespace or control characters is refused
  if (!href || /[\s\\\u0000-\u001f\u007f]/.test(href)) return null;
  try {
    const url = new URL(href);
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null; // relative or malformed
  }
}

const OPTIONS = { href: safeCommentHref, mentions: true } as const;

/** A comment as paragraphs of inline content (a single newline inside a paragraph is a line break). */
export function parseComment(markdown: string): Inline[][] {
  return markdown
    .slice(0, MAX_INPUT)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ''))
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => parseInline(paragraph, 0, OPTIONS));
}

/** The comment as one line of plain text (a preview): Markdown marks dropped, mentions kept. */
export function commentPreview(markdown: string, max = 160): string {
  const flat = (nodes: Inline[]): string =>
    nodes
      .map((node) => {
        switch (node.type) {
          case 'text':
          case 'code':
            return node.text;
          case 'mention':
            return `@${node.handle}`;
          default:
            return flat(node.children);
        }
      })
      .join('');
  const text = parseComment(markdown)
    .map(flat)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Characters that may not come right before a mention's `@` (see brief-markdown.ts). */
const BEFORE_MENTION = /[\p{L}\p{N}_.+@-]/u;

/**
 * The `@query` being typed right before `caret` (for the mention typeahead): where its `@` is and
 * what follows it, or null when the caret is not in one.
 */
export function mentionQueryAt(text: string, caret: number): { at: number; query: string } | null {
  const before = text.slice(Math.max(0, caret - 41), caret);
  const match = /@([a-z0-9_.-]{0,40})$/i.exec(before);
  if (!match) return null;
  const at = caret - match[0].length;
  if (BEFORE_MENTION.test(text[at - 1] ?? '')) return null;
  return { at, query: match[1]! };
}
