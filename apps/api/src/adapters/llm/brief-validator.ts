/**
 * What the LLM writes is untrusted: it read text written by anyone with edit access to a document
 * the reader follows. Before any of it reaches the reader, this validator (pure, no I/O):
 * - drops a sentence that cites nothing, or cites an item id the reader was not given;
 * - drops a sentence with a quotation (in `quotes` or inline between quotation marks) that is not
 *   found verbatim, whitespace-normalized, in a cited item's facts (`text`, `added`, `removed`,
 *   the "why" messages, title, sections, status path, its threads' anchored text and replies, a
 *   handoff note's section items, the handoff asks, the title of the reader's linked document);
 * - makes the Markdown inert: one line, no images, no raw HTML (`<` escaped), no links except to
 *   Handoff's own pages (relative `/docs/…`, `/spaces/…`, `/search` or under the public URL);
 *   every other link becomes plain text and every bare URL a code span, so no renderer links it.
 */
import type { BriefItemFacts } from '../../domain/ports.ts';

export interface AnswerQuote {
  itemId: string;
  quote: string;
}

/** One sentence of the model's overall summary. */
export interface AnswerSentence {
  text: string;
  cites: string[];
  quotes?: AnswerQuote[] | null | undefined;
}

export interface ValidatedSentence {
  /** Inert Markdown on one line. */
  markdown: string;
  /** The items it is about, in the order cited, without duplicates. */
  cites: string[];
}

export type RejectionReason = 'empty' | 'no-cites' | 'foreign-cite' | 'quote-not-found';

export interface Rejection {
  text: string;
  reason: RejectionReason;
  detail?: string;
}

export interface ValidatorOptions {
  /** HANDOFF_PUBLIC_URL: absolute links under it count as Handoff's own. */
  publicUrl?: string | undefined;
}

/** The item ids the reader was given, each with its facts. */
export type GivenItems = ReadonlyMap<string, BriefItemFacts>;

export function validateSentences(
  sentences: readonly AnswerSentence[],
  given: GivenItems,
  options: ValidatorOptions = {},
): { kept: ValidatedSentence[]; dropped: Rejection[] } {
  const kept: ValidatedSentence[] = [];
  const dropped: Rejection[] = [];
  for (const sentence of sentences) {
    const verdict = checkSentence(sentence, given);
    if ('reason' in verdict) {
      dropped.push(verdict);
      continue;
    }
    const markdown = inertMarkdown(sentence.text, options);
    if (!markdown) dropped.push({ text: sentence.text, reason: 'empty' });
    else kept.push({ markdown, cites: verdict.cites });
  }
  return { kept, dropped };
}

/**
 * A per-item summary: it is about `itemId` (which must be given) and may quote only that item.
 * Returns inert Markdown, or a rejection.
 */
export function validateItemSummary(
  itemId: string,
  summary: string,
  given: GivenItems,
  options: ValidatorOptions = {},
): { markdown: string } | Rejection {
  const verdict = checkSentence({ text: summary, cites: [itemId] }, given);
  if ('reason' in verdict) return verdict;
  const markdown = inertMarkdown(summary, options);
  return markdown ? { markdown } : { text: summary, reason: 'empty' };
}

function checkSentence(sentence: AnswerSentence, given: GivenItems): { cites: string[] } | Rejection {
  const text = sentence.text;
  if (!normalizeSpace(text)) return { text, reason: 'empty' };
  const cites = [...new Set(sentence.cites)];
  if (cites.length === 0) return { text, reason: 'no-cites' };
  const foreign = cites.find((id) => !given.has(id));
  if (foreign !== undefined) return { text, reason: 'foreign-cite', detail: foreign };

  for (const { itemId, quote } of sentence.quotes ?? []) {
    const facts = given.get(itemId);
    if (!facts) return { text, reason: 'foreign-cite', detail: itemId };
    if (!quoteFound(quote, quotableTexts(facts))) return { text, reason: 'quote-not-found', detail: quote };
    if (!cites.includes(itemId)) cites.push(itemId);
  }
  const citedTexts = cites.flatMap((id) => quotableTexts(given.get(id)!));
  for (const quote of inlineQuotations(text)) {
    if (!quoteFound(quote, citedTexts)) return { text, reason: 'quote-not-found', detail: quote };
  }
  return { cites };
}

/** Everything the model was shown about an item, so everything it may quote from it. */
export function quotableTexts(facts: BriefItemFacts): string[] {
  return [
    facts.text,
    facts.title,
    ...facts.added,
    ...facts.removed,
    ...facts.messages.map((message) => message.text),
    ...facts.sections,
    ...facts.decisionPath,
    ...facts.threads.flatMap((t) => [...(t.quote === null ? [] : [t.quote]), ...t.replies.map((r) => r.text)]),
    ...(facts.handoff?.sections.flatMap((s) => [s.heading, ...s.items]) ?? []),
    ...(facts.asks ?? []).map((a) => a.text),
    ...(facts.linkedVia ? [facts.linkedVia.title] : []),
  ];
}

/** Each opening quotation mark and the marks that close it. */
const QUOTE_CLOSERS: Record<string, string[]> = { '"': ['"'], '“': ['”'], '„': ['“', '”'], '«': ['»'] };

/**
 * The spans between quotation marks in a sentence ("…", “…”, „…“, «…»), scanned in linear time
 * (a regular expression for this rescans to the end for every unclosed mark: quadratic). The next
 * position of each closing mark is remembered, so each is searched for once per occurrence.
 */
export function inlineQuotations(text: string): string[] {
  const quotes: string[] = [];
  const nextAt = new Map<string, number>();
  const next = (mark: string, from: number) => {
    const known = nextAt.get(mark);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const found = text.indexOf(mark, from);
    nextAt.set(mark, found);
    return found;
  };
  for (let i = 0; i < text.length; i++) {
    const closers = QUOTE_CLOSERS[text[i]!];
    if (!closers) continue;
    const ends = closers.map((mark) => next(mark, i + 1)).filter((at) => at >= 0);
    if (!ends.length) continue;
    const end = Math.min(...ends);
    const quote = text.slice(i + 1, end);
    if (normalizeQuote(quote)) quotes.push(quote);
    i = end;
  }
  return quotes;
}

const PUNCTUATION_OR_SPACE = /[\s.,;:!?]/;

/** `text` without white space and `.,;:!?` at either end (by hand: `/[…]+$/` is quadratic on long runs). */
function trimPunctuation(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PUNCTUATION_OR_SPACE.test(text[start]!)) start++;
  while (end > start && PUNCTUATION_OR_SPACE.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/**
 * Whether `quote` appears verbatim in one of `sources`, comparing with whitespace collapsed and
 * typographic quotes and apostrophes made plain. An ellipsis ("…" or "...") stands for left-out
 * text: the pieces must appear in order in the same source.
 */
export function quoteFound(quote: string, sources: readonly string[]): boolean {
  const pieces = normalizeQuote(quote)
    .split(/…|\.\.\./)
    .map((piece) => trimPunctuation(piece))
    .filter((piece) => piece.length > 0);
  if (pieces.length === 0) return true;
  return sources.some((source) => {
    const haystack = normalizeQuote(source);
    let from = 0;
    for (const piece of pieces) {
      const at = haystack.indexOf(piece, from);
      if (at === -1) return false;
      from = at + piece.length;
    }
    return true;
  });
}

function normalizeQuote(text: string): string {
  return normalizeSpace(text.normalize('NFC').replace(/[‘’‚‛′]/g, "'").replace(/[“”„‟″«»]/g, '"'));
}

function normalizeSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

// -------------------------------------------------------------------------------------------------
// Inert Markdown

const APP_PATH = /^\/(?:docs\/|spaces\/|search(?:[/?#]|$))/;

/**
 * Whether a link points at one of Handoff's own pages: a root-relative app path, or an http(s)
 * URL on the public URL's origin under its path. Protocol-relative (`//x`), backslashes, blanks
 * and control characters never count.
 */
export function isHandoffUrl(url: string, publicUrl?: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters in a link never count as a Handoff URL
  if (!url || /[\u0000-\u0020\u007f\\]/.test(url)) return false;
  const relative = url.startsWith('/');
  if (relative && url.startsWith('//')) return false;
  if (!relative && !publicUrl) return false;
  let target: URL;
  let base: URL;
  try {
    base = new URL(publicUrl ?? 'http://handoff.invalid/');
    // Resolved, so `/docs/../api/…` and `%2e%2e` are judged by where they really lead.
    target = relative ? new URL(url, base.origin) : new URL(url);
  } catch {
    return false;
  }
  if (relative) return target.origin === base.origin && APP_PATH.test(target.pathname + target.search + target.hash);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
  if (target.origin !== base.origin || target.username || target.password) return false;
  const basePath = base.pathname.replace(/(?<!\/)\/+$/, '');
  if (!target.pathname.startsWith(`${basePath}/`)) return false;
  return APP_PATH.test(target.pathname.slice(basePath.length) + target.search + target.hash);
}

type Piece = { plain: string } | { markup: string };

// `(dest title)` with each part optional; a title only after white space (no two `\s*` can trade characters).
const LINK_TAIL = /^\(\s*(?:(<[^<>\n]*>|[^\s()<>]+(?:\([^\s()<>]*\)[^\s()<>]*)*|(?:\([^\s()<>]*\)[^\s()<>]*)+)\s*)?(?:(?<=[\s(])(?:"[^"]*"|'[^']*'|\([^()]*\))\s*)?\)/;
const BARE_URL =
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>`]*|\bwww\.[^\s<>`]+|\b(?:mailto|xmpp|tel|javascript|vbscript|data):[^\s<>`]+|(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;

/**
 * One line of inert Markdown from the model's text. Kept: plain text (escaped), `**bold**`,
 * `` `code` `` and links to Handoff's own pages. Images become their alt text, other links their
 * text, autolinks and bare URLs code spans, raw HTML escaped text.
 */
export function inertMarkdown(text: string, options: ValidatorOptions = {}): string {
  // eslint-disable-next-line no-control-regex -- strips control characters from the model's text on purpose
  const line = normalizeSpace(text.replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, ''));
  return render(tokenize(line, options, true));
}

function tokenize(line: string, options: ValidatorOptions, allowBold: boolean): Piece[] {
  const pieces: Piece[] = [];
  let plain = '';
  const flush = () => {
    if (plain) pieces.push({ plain });
    plain = '';
  };
  let i = 0;
  while (i < line.length) {
    const rest = line.slice(i);
    const char = line[i]!;
    if (char === '`') {
      const fence = /^`+/.exec(rest)![0];
      const close = rest.indexOf(fence, fence.length);
      if (close !== -1 && rest[close + fence.length] !== '`') {
        flush();
        pieces.push({ markup: codeSpan(rest.slice(fence.length, close).trim()) });
        i += close + fence.length;
        continue;
      }
      plain += fence;
      i += fence.length;
      continue;
    }
    if (char === '!' || char === '[') {
      const image = char === '!';
      const label = bracketed(rest.slice(image ? 1 : 0));
      if (label !== null) {
        const after = rest.slice((image ? 1 : 0) + label.length + 2);
        const inline = LINK_TAIL.exec(after);
        const reference = inline ? null : /^\[[^\]]*\]/.exec(after);
        if (inline || reference) {
          const consumed = (image ? 1 : 0) + label.length + 2 + (inline ?? reference)![0].length;
          const url = inline ? unwrapDestination(inline[1] ?? '') : '';
          if (!image && inline && isHandoffUrl(url, options.publicUrl)) {
            flush();
            const text = render(tokenize(label, options, false)) || escapeInline(url, false, '[', ']');
            pieces.push({ markup: `[${text}](${escapeDestination(url)})` });
          } else {
            // An image's alt text or a link's text stays, as text; the URL goes.
            flush();
            pieces.push(...tokenize(label, options, false));
          }
          i += consumed;
          continue;
        }
      }
    }
    if (char === '<') {
      const autolink = /^<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*)>/i.exec(rest) ?? /^<([^\s<>@]+@[^\s<>]+)>/.exec(rest);
      if (autolink) {
        flush();
        const url = autolink[1]!;
        pieces.push({ markup: isHandoffUrl(url, options.publicUrl) ? `[${escapeInline(url, false, '[', ']')}](${escapeDestination(url)})` : codeSpan(url) });
        i += autolink[0].length;
        continue;
      }
    }
    if (allowBold && (char === '*' || char === '_')) {
      const bold = char === '*' ? /^\*\*(?=\S)(.+?)(?<=\S)\*\*/.exec(rest) : /^__(?=\S)(.+?)(?<=\S)__/.exec(rest);
      if (bold) {
        flush();
        const inner = render(tokenize(bold[1]!, options, false));
        if (inner) pieces.push({ markup: `**${inner}**` });
        i += bold[0].length;
        continue;
      }
      const previous = i > 0 ? line[i - 1]! : ' ';
      const italic = char === '*' ? /^\*(?=[^\s*])([^*]+?)(?<=\S)\*(?!\*)/.exec(rest) : /^_(?=[^\s_])([^_]+?)(?<=\S)_(?![\p{L}\p{N}_])/u.exec(rest);
      if (italic && !ALPHANUMERIC.test(previous)) {
        flush();
        const inner = render(tokenize(italic[1]!, options, false));
        if (inner) pieces.push({ markup: `*${inner}*` });
        i += italic[0].length;
        continue;
      }
    }
    plain += char;
    i += 1;
  }
  flush();
  return pieces.flatMap((piece) => ('plain' in piece ? defang(piece.plain, options) : [piece]));
}

/** The text inside balanced square brackets at the start of `text`, or null. */
function bracketed(text: string): string | null {
  if (text[0] !== '[') return null;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '[') depth++;
    else if (char === ']' && --depth === 0) return text.slice(1, i);
  }
  return null;
}

function unwrapDestination(destination: string): string {
  const url = destination.startsWith('<') ? destination.slice(1, -1) : destination;
  return url.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Bare URLs and e-mail addresses in plain text become code spans (or Handoff links). */
function defang(text: string, options: ValidatorOptions): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    const trailing = /(?<![.,;:!?)'"\]])[.,;:!?)'"\]]+$/.exec(match[0])?.[0] ?? '';
    const url = match[0].slice(0, match[0].length - trailing.length);
    if (!url) continue;
    if (match.index > last) pieces.push({ plain: text.slice(last, match.index) });
    pieces.push({ markup: isHandoffUrl(url, options.publicUrl) ? `[${escapeInline(url, false, '[', ']')}](${escapeDestination(url)})` : codeSpan(url) });
    last = match.index + url.length;
  }
  if (last < text.length) pieces.push({ plain: text.slice(last) });
  return pieces;
}

function render(pieces: Piece[]): string {
  let out = '';
  pieces.forEach((piece, index) => {
    if ('markup' in piece) {
      out += piece.markup;
      return;
    }
    const next = pieces[index + 1];
    const after = next ? ('markup' in next ? next.markup[0] : next.plain[0]) : '';
    out += escapeInline(piece.plain, out === '', out.at(-1) ?? '', after ?? '');
  });
  return out.trim();
}

const ALWAYS_ESCAPED = new Set(['\\', '`', '*', '[', ']', '<', '>', '|', '~']);
const ALPHANUMERIC = /^[\p{L}\p{N}]$/u;
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});/;

/**
 * Plain text as Markdown that parses back to the same characters inline: markup characters get a
 * backslash (`<` always, so no HTML), and a first character that would start a block is escaped.
 */
function escapeInline(text: string, atLineStart: boolean, before = '', after = ''): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const previous = i > 0 ? text[i - 1]! : before;
    const next = i + 1 < text.length ? text[i + 1]! : after;
    let escape = ALWAYS_ESCAPED.has(char);
    if (char === '_') escape = !(ALPHANUMERIC.test(previous) && ALPHANUMERIC.test(next));
    else if (char === '!') escape = next === '[';
    else if (char === '&') escape = ENTITY.test(text.slice(i, i + 40));
    out += escape ? `\\${char}` : char;
  }
  if (atLineStart) {
    if (/^[#+=-]/.test(out)) out = `\\${out}`;
    else out = out.replace(/^(\d{1,9})([.)])/, '$1\\$2');
  }
  return out;
}

function escapeDestination(url: string): string {
  return url.replace(/[\\()<> ]/g, (char) => (char === ' ' ? '%20' : `\\${char}`));
}

/** A code span whose backtick fence no run of backticks inside it matches. */
function codeSpan(text: string): string {
  const content = normalizeSpace(text);
  if (!content) return '';
  const runs = new Set((content.match(/`+/g) ?? []).map((run) => run.length));
  let size = 1;
  while (runs.has(size)) size++;
  const fence = '`'.repeat(size);
  const pad = content.startsWith('`') || content.endsWith('`');
  return pad ? `${fence} ${content} ${fence}` : `${fence}${content}${fence}`;
}

/** A link we build ourselves (to a diff the brief builder made), its text escaped. */
export function markdownLink(text: string, url: string): string {
  return `[${inertText(text)}](${escapeDestination(url)})`;
}

/** Plain text for use inside generated Markdown (titles, space names): escaped, one line. */
export function inertText(text: string): string {
  return escapeInline(normalizeSpace(text), false);
}
