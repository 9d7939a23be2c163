/**
 * Escaping of text for CommonMark/GFM output: the escaped text parses back to exactly the same
 * characters wherever it is placed inline (paragraph, heading, list item, quote, table cell, link
 * text). Escapes are added only where a character could start or end markup, so ordinary prose
 * stays readable.
 */

export interface EscapeContext {
  /** The text starts a line (nothing but indentation and container markers before it). */
  atLineStart: boolean;
  /** The character just before the text ('' at the start of the block). */
  before: string;
  /** The character just after the text ('' at the end of the block). */
  after: string;
}

const ALWAYS = new Set(['`', '*', '[', ']', '~', '|']);
const ALPHANUMERIC = /^[\p{L}\p{N}]$/u;
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;

function isAlphanumeric(char: string): boolean {
  return ALPHANUMERIC.test(char);
}

/** Escapes the first non-blank character of a line when it would start a block. */
function lineStartEscape(rest: string): number {
  // `rest` is the line from its first non-blank character, followed by the next character
  // after the text when the line runs to the end of the text.
  const first = rest[0];
  switch (first) {
    case '#': // ATX heading
    case '>': // block quote
      return 0;
    case ':': // GFM table delimiter row (`:---`, `:-:`)
      return /^:-+:?[ \t]*$/.test(rest) ? 0 : -1;
    case '+': // bullet list item
      return /^\+(?:[ \t]|$)/.test(rest) ? 0 : -1;
    case '-': // bullet list item, thematic break, setext underline
      return /^-(?:[ \t]|$)/.test(rest) || /^(?:-[ \t]*)+$/.test(rest) || /^-+:[ \t]*$/.test(rest) ? 0 : -1;
    case '=': // setext underline
      return /^=+[ \t]*$/.test(rest) ? 0 : -1;
    default: {
      const ordered = /^\d{1,9}(?=[.)])/.exec(rest); // ordered list item: escape the delimiter
      return ordered ? ordered[0].length : -1;
    }
  }
}

/** Escapes `text` for an inline position described by `context`. */
export function escapeText(text: string, context: EscapeContext): string {
  let out = '';
  let lineStart = context.atLineStart;
  let lineEscapeAt = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n') {
      // A second line break in a row would leave a blank line and end the paragraph.
      const previous = i > 0 ? text[i - 1] : context.before;
      out += previous === '\n' ? '&#10;' : char;
      lineStart = previous !== '\n';
      continue;
    }
    if (char === '\u0000') continue;
    if (lineStart && (char === ' ' || char === '\t')) {
      out += char;
      continue;
    }
    if (lineStart) {
      lineStart = false;
      const end = text.indexOf('\n', i);
      const tail = context.after === '\n' ? '' : context.after;
      const rest = end === -1 ? text.slice(i) + tail : text.slice(i, end);
      const offset = lineStartEscape(rest);
      lineEscapeAt = offset === -1 ? -1 : i + offset;
    }
    const before = i > 0 ? text[i - 1]! : context.before;
    const after = i + 1 < text.length ? text[i + 1]! : context.after;
    let escape = i === lineEscapeAt || ALWAYS.has(char);
    if (!escape) {
      switch (char) {
        case '\\':
          escape = !isAlphanumeric(after);
          break;
        case '_':
          escape = !(isAlphanumeric(before) && isAlphanumeric(after));
          break;
        case '<':
          // HTML, `<scheme:…>` and `<a.b@c>` autolinks: only `<` before a blank is surely text.
          escape = after !== '' && !/\s/u.test(after);
          break;
        case '!':
          escape = after === '[';
          break;
        case '&':
          escape = ENTITY.test(text.slice(i, i + 40));
          break;
      }
    }
    out += escape ? `\\${char}` : char;
  }
  return out;
}

/** Escapes a link destination; uses the `<…>` form when the URL has spaces or is empty. */
export function escapeDestination(url: string): string {
  const escaped = url.replace(/[\\()]/g, '\\$&').replace(/&(?=#|[A-Za-z][A-Za-z0-9]*;)/g, '\\&');
  // eslint-disable-next-line no-control-regex -- CommonMark: a destination with control characters needs <…>
  if (url === '' || url.startsWith('<') || /[\s\u0000-\u001f\u007f]/.test(url)) {
    const inner = url
      .replace(/[\\<>]/g, '\\$&')
      .replace(/&(?=#|[A-Za-z][A-Za-z0-9]*;)/g, '\\&')
      .replace(/\r?\n|\r/g, '%0A');
    return `<${inner}>`;
  }
  return escaped;
}

/** A link title in double quotes. */
export function escapeTitle(title: string): string {
  const inner = title
    .replace(/[\\"]/g, '\\$&')
    .replace(/&(?=#|[A-Za-z][A-Za-z0-9]*;)/g, '\\&')
    .replace(/\n[ \t]*(?=\n)/g, '');
  return `"${inner}"`;
}

/** A code span holding `text` with a backtick fence that no run inside it (or just before it) matches. */
export function codeSpan(text: string, trailingBackticks: number): string {
  const content = text.replace(/\r?\n|\r/g, ' ');
  const runs = new Set((content.match(/`+/g) ?? []).map((run) => run.length));
  let size = 1;
  while (runs.has(size) || size === trailingBackticks) size++;
  const fence = '`'.repeat(size);
  const pad =
    content.startsWith('`') ||
    content.endsWith('`') ||
    (content.length > 1 && content.startsWith(' ') && content.endsWith(' ') && /[^ ]/.test(content));
  return pad ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

// eslint-disable-next-line no-control-regex -- CommonMark: an autolink URI excludes ASCII controls
const URI_AUTOLINK = /^[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\\&\u0000-\u001f\u007f]*$/;
const EMAIL_AUTOLINK =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** The `<…>` autolink for a link whose text is its URL (or its email address), if there is one. */
export function autolink(text: string, url: string): string | null {
  if (text === url && URI_AUTOLINK.test(url)) return `<${url}>`;
  if (url === `mailto:${text}` && EMAIL_AUTOLINK.test(text)) return `<${text}>`;
  return null;
}

const LITERAL_DOMAIN = /^[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s<]*)?$/;

/**
 * The bare text of a link that GFM finds by itself again (`www.x.com`, `https://x.com`,
 * `a@b.com`), if the text needs no escaping and does not end in punctuation GFM would trim.
 */
export function literalAutolink(text: string, url: string): string | null {
  const needsNoEscape = escapeText(text, { atLineStart: false, before: ' ', after: ' ' }) === text;
  if (!needsNoEscape || /[.,:;!?"')*_~\]]$/.test(text)) return null;
  if (/^www\./i.test(text) && url === `http://${text}` && LITERAL_DOMAIN.test(text)) return text;
  if (/^https?:\/\//i.test(text) && url === text && LITERAL_DOMAIN.test(text.replace(/^https?:\/\//i, ''))) return text;
  if (url === `mailto:${text}` && /^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/.test(text)) return text;
  return null;
}
