// A tiny Markdown subset for the text of a brief, parsed into plain data that BriefMarkdown.tsx
// turns into React elements (never HTML): headings, paragraphs, lists, quotes, code, emphasis,
// and links only to Handoff's own documents. Everything else stays text: raw HTML is shown as
// typed, an image becomes its alt text, a link anywhere else becomes its label. Comments use the
// same inline parser with their own options (web links, @mentions: see comments/comment-markdown.ts).

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'mention'; handle: string };

/** What the inline parser makes of links and `@handle`s. */
export interface InlineOptions {
  /** Where a link may go: the address to use, or null to keep only its label. */
  href: (raw: string) => string | null;
  /** Whether `@handle` becomes a mention (the rule of the server's `mentionedHandles`). */
  mentions: boolean;
}

/** A brief's inline text: links only to Handoff documents, no mentions. */
const BRIEF_INLINE: InlineOptions = { href: (raw) => safeDocHref(raw), mentions: false };

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'quote'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'rule' };

/** Longer input is cut: a brief is a few kilobytes, and the parser must never stall the page. */
const MAX_INPUT = 100_000;
/** Emphasis inside emphasis inside links…: deeper than this stays text. */
const MAX_DEPTH = 6;
/** How far an emphasis or a link label may reach, so that stray `*` or `[` cost linear time. */
const MAX_SPAN = 2_000;

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/;
const BULLET = /^[ \t]*[-*+][ \t]+(.*)$/;
const ORDERED = /^[ \t]*\d{1,9}[.)][ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const FENCE = /^ {0,3}(```|~~~)/;
const RULE = /^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.slice(0, MAX_INPUT).replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  let quote: string[] = [];

  const flush = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', children: parseInline(paragraph.join(' ')) });
    if (list) blocks.push({ type: 'list', ordered: list.ordered, items: list.items.map((item) => parseInline(item)) });
    if (quote.length) blocks.push({ type: 'quote', children: parseInline(quote.join(' ')) });
    paragraph = [];
    list = null;
    quote = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) {
      flush();
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: 'heading', level: heading[1]!.length as 1, children: parseInline(heading[2]!) });
      continue;
    }
    if (RULE.test(line)) {
      flush();
      blocks.push({ type: 'rule' });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = bullet ? null : ORDERED.exec(line);
    if (bullet || ordered) {
      const isOrdered = Boolean(ordered);
      if (!list || list.ordered !== isOrdered) {
        flush();
        list = { ordered: isOrdered, items: [] };
      }
      list.items.push((bullet ?? ordered)![1]!.trim());
      continue;
    }
    const quoted = QUOTE.exec(line);
    if (quoted) {
      if (!quote.length) flush();
      quote.push(quoted[1]!.trim());
      continue;
    }
    // A continuation line: of the open list item, quote or paragraph.
    if (list) list.items[list.items.length - 1] += ` ${line.trim()}`;
    else if (quote.length) quote.push(line.trim());
    else paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/**
 * Where a link may go: a path of a Handoff document (`/docs/…`), or the same written as an
 * absolute URL of this very site. Anything else (other sites, `javascript:`, `//host`, mail) is null.
 */
export function safeDocHref(raw: string, origin: string | null = currentOrigin()): string | null {
  const href = raw.trim();
  // eslint-disable-next-line no-control-regex -- a link with control characters is refused
  if (/[\s\\\u0000-\u001f]/.test(href)) return null;
  if (href.startsWith('/docs/') && href.length > '/docs/'.length) return href;
  if (!origin || !/^https?:\/\//i.test(href)) return null;
  try {
    const url = new URL(href);
    if (url.origin !== origin || !url.pathname.startsWith('/docs/') || url.pathname === '/docs/') return null;
    return url.pathname + url.search + url.hash;
  } catch {
    return null;
  }
}

function currentOrigin(): string | null {
  return typeof window === 'undefined' ? null : window.location.origin;
}

const ESCAPABLE = new Set('\\`*_{}[]()#+-.!>~|<"\''.split(''));

/** Characters that may not come right before a mention's `@` (it would be inside a word or an address). */
const BEFORE_MENTION = /[\p{L}\p{N}_.+@-]/u;
/** A handle right after `@` (bounded, so a long run of handle characters costs linear time). */
const HANDLE = /([a-z0-9_.-]{0,63}[a-z0-9_])(?![\p{L}\p{N}_@]|[.-][\p{L}\p{N}_])/uy;

export function parseInline(text: string, depth = 0, options: InlineOptions = BRIEF_INLINE): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const pushText = (s: string) => {
    buffer += s;
  };
  const pushNode = (node: Inline) => {
    if (buffer) out.push({ type: 'text', text: buffer });
    buffer = '';
    out.push(node);
  };
  const inner = (s: string): Inline[] => (depth >= MAX_DEPTH ? [{ type: 'text', text: s }] : parseInline(s, depth + 1, options));

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;

    if (c === '\\' && i + 1 < text.length && ESCAPABLE.has(text[i + 1]!)) {
      pushText(text[i + 1]!);
      i += 2;
      continue;
    }

    if (c === '`') {
      let run = 1;
      while (text[i + run] === '`') run++;
      const fence = '`'.repeat(run);
      const close = text.indexOf(fence, i + run);
      if (close > i + run) {
        pushNode({ type: 'code', text: text.slice(i + run, close).trim() || text.slice(i + run, close) });
        i = close + run;
      } else {
        pushText(fence);
        i += run;
      }
      continue;
    }

    if (c === '[' || (c === '!' && text[i + 1] === '[')) {
      const image = c === '!';
      const link = linkAt(text, image ? i + 1 : i);
      if (link) {
        if (image) {
          pushText(link.label); // images never load: their alt text stands in
        } else {
          const href = options.href(link.url);
          const children = inner(link.label);
          if (href) pushNode({ type: 'link', href, children });
          else {
            for (const child of children) {
              if (child.type === 'text') pushText(child.text);
              else pushNode(child);
            }
          }
        }
        i = link.end;
        continue;
      }
    }

    if ((c === '*' || c === '_') && text[i + 1] === c) {
      const close = closingDelimiter(text, i + 2, c + c);
      if (close > 0 && leftFlanking(text, i)) {
        pushNode({ type: 'strong', children: inner(text.slice(i + 2, close)) });
        i = close + 2;
        continue;
      }
    }

    if (c === '*' || c === '_') {
      const close = closingDelimiter(text, i + 1, c);
      if (close > 0 && leftFlanking(text, i)) {
        pushNode({ type: 'em', children: inner(text.slice(i + 1, close)) });
        i = close + 1;
        continue;
      }
    }

    if (c === '@' && options.mentions && !BEFORE_MENTION.test(text[i - 1] ?? '')) {
      HANDLE.lastIndex = i + 1;
      const handle = HANDLE.exec(text);
      if (handle) {
        pushNode({ type: 'mention', handle: handle[1]! });
        i = HANDLE.lastIndex;
        continue;
      }
    }

    pushText(c);
    i++;
  }
  if (buffer) out.push({ type: 'text', text: buffer });
  return out;
}

/** `[label](url "title")` starting at `start` (a `[`): the label, the URL and where it ends. */
function linkAt(text: string, start: number): { label: string; url: string; end: number } | null {
  let depth = 0;
  let close = -1;
  const limit = Math.min(text.length, start + MAX_SPAN);
  for (let j = start; j < limit; j++) {
    const ch = text[j];
    if (ch === '\\') {
      j++;
      continue;
    }
    if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) {
      close = j;
      break;
    }
  }
  if (close < 0 || text[close + 1] !== '(') return null;
  // The destination ends at the `)` that balances the opening one: `(javascript:alert(1))`.
  let end = -1;
  let parens = 1;
  for (let j = close + 2; j < Math.min(text.length, close + 2 + MAX_SPAN); j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '(') parens++;
    else if (ch === ')' && --parens === 0) {
      end = j;
      break;
    }
  }
  if (end < 0) return null;
  const target = text.slice(close + 2, end).trim();
  const url = /^<([^>]*)>/.exec(target)?.[1] ?? target.split(/\s+/)[0] ?? '';
  return { label: text.slice(start + 1, close), url, end: end + 1 };
}

/**
 * The index of the delimiter that closes an emphasis opened just before `from`: not preceded by
 * whitespace, and for `_` not inside a word (snake_case stays text). -1 when none.
 */
function closingDelimiter(text: string, from: number, delimiter: string): number {
  if (from >= text.length || /\s/.test(text[from]!)) return -1;
  const limit = from + MAX_SPAN;
  for (let j = text.indexOf(delimiter, from + 1); j >= 0 && j < limit; j = text.indexOf(delimiter, j + 1)) {
    if (/\s/.test(text[j - 1]!)) continue;
    if (delimiter.length === 1 && text[j + 1] === delimiter) {
      j++; // part of a `**` run: not this emphasis's end
      continue;
    }
    if (delimiter[0] === '_' && /[\p{L}\p{N}]/u.test(text[j + delimiter.length] ?? '')) continue;
    return j;
  }
  return -1;
}

/** An opening `_` must not follow a letter or digit (inside a word it is just a character). */
function leftFlanking(text: string, at: number): boolean {
  if (text[at] !== '_') return true;
  return !/[\p{L}\p{N}]/u.test(text[at - 1] ?? '');
}
