// Search snippets arrive as HTML-escaped text with `<mark>…</mark>` around the matched words.
// They are never given to the DOM as HTML: the string is split on the mark tags and the rest is
// un-escaped into plain strings that React renders as text nodes, so whatever a document contains
// (or an engine gets wrong) shows as text and cannot become markup.

import { Fragment } from 'react';

export interface SnippetPart {
  text: string;
  mark: boolean;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the entities an HTML escaper produces, in one pass (so `&amp;lt;` stays `&lt;`). */
export function unescapeHtml(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);/g, (entity, body: string) => {
    if (body[0] !== '#') return NAMED[body.toLowerCase()] ?? entity;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : entity;
  });
}

/**
 * The snippet as alternating plain and marked runs of text. Only the exact tags `<mark>` and
 * `</mark>` count; an unclosed `<mark>` marks the rest; a stray `</mark>` is dropped.
 */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  for (const piece of snippet.split(/(<\/?mark>)/i)) {
    const tag = piece.toLowerCase();
    if (tag === '<mark>') mark = true;
    else if (tag === '</mark>') mark = false;
    else if (piece) {
      const text = unescapeHtml(piece);
      const last = parts[parts.length - 1];
      if (last && last.mark === mark) last.text += text;
      else parts.push({ text, mark });
    }
  }
  return parts;
}

/** A snippet with its matches highlighted, rendered as React text nodes only. */
export function Snippet({ snippet, className }: { snippet: string; className?: string }) {
  const parts = parseSnippet(snippet);
  return (
    <span className={className ?? 'search-snippet'} data-testid="search-snippet">
      {parts.map((part, i) => (part.mark ? <mark key={i}>{part.text}</mark> : <Fragment key={i}>{part.text}</Fragment>))}
    </span>
  );
}
