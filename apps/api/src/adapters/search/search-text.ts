/**
 * Text helpers for the search adapters: query words, vocabulary words, typo distance, snippets and
 * their escaping, and a port of FTS5's porter stemmer (so that JavaScript agrees with the index
 * about which words a term matches). Pure functions.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]+/gu;

/** True when the text holds Chinese, Japanese or Korean characters (written without spaces). */
export const hasCjk = (text: string) => !NO_CJK.test(text) && CJK.test(text);
/** Text below U+2E80 (the first CJK block) cannot hold any: a cheap test before the Unicode one. */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: every character below U+2E80
const NO_CJK = /^[\u0000-\u2e7f]*$/;

export interface QueryWords {
  words: string[];
  /** The last word is still being typed (no space or punctuation after it): match it as a prefix. */
  lastIsPrefix: boolean;
}

/** The words of a query, lower-cased and Unicode-normalized; every operator character is dropped. */
export function queryWords(q: string, maxWords = 12): QueryWords {
  const text = q.normalize('NFKC').toLowerCase().slice(0, 1000);
  const words = [...text.matchAll(WORD)].map((m) => m[0].slice(0, 64));
  const lastIsPrefix = words.length > 0 && /[\p{L}\p{N}]$/u.test(text);
  return { words: words.slice(0, maxWords), lastIsPrefix: lastIsPrefix && words.length <= maxWords };
}

/** Lower-cases a word and strips its diacritics, as FTS5's `unicode61 remove_diacritics 2` does. */
export function foldWord(word: string): string {
  const lower = word.toLowerCase();
  return ASCII.test(lower) ? lower : lower.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
}

// eslint-disable-next-line no-control-regex -- all of ASCII, control characters included
const ASCII = /^[\x00-\x7f]*$/;

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const DIGIT_CHAR = /^\p{N}$/u;

/** Folds a token holding non-ASCII characters: compatibility forms, case, diacritics. */
const foldToken = (token: string) => token.normalize('NFKC').normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');

/**
 * Calls `fn` with every word of `text` worth keeping in the typo and prefix vocabulary, folded, in
 * order (repeats included): 3–30 letters, no digits (ids, versions and hashes are matched as
 * written, never corrected), no CJK (that is the trigram index's). The text is scanned by hand;
 * only characters outside ASCII are classified by a regular expression, and only words holding
 * them are Unicode-normalized.
 */
export function forEachVocabularyWord(text: string, fn: (word: string) => void): void {
  const lower = text.toLowerCase();
  const n = lower.length;
  let start = -1;
  let digits = false;
  let special = false;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? lower.charCodeAt(i) : 0;
    let letter = c >= 97 && c <= 122;
    let digit = c >= 48 && c <= 57;
    let width = 1;
    if (c >= 128) {
      width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      const ch = lower.slice(i, i + width);
      letter = WORD_CHAR.test(ch);
      digit = letter && DIGIT_CHAR.test(ch);
    }
    if (letter || digit) {
      if (start < 0) {
        start = i;
        digits = false;
        special = false;
      }
      if (digit) digits = true;
      if (c >= 128) special = true;
      i += width - 1;
    } else if (start >= 0) {
      if (!digits && i - start >= 3) {
        const w = special ? foldToken(lower.slice(start, i)) : lower.slice(start, i);
        if (w.length >= 3 && w.length <= 30 && (!special || !hasCjk(w))) fn(w);
      }
      start = -1;
    }
  }
}

/** The words of a text that hold CJK characters (what the trigram index keeps), space-separated. */
export function cjkWords(text: string): string {
  if (!hasCjk(text)) return '';
  return (text.match(WORD) ?? []).filter(hasCjk).join(' ');
}

/** How many typos a word of this length may carry (as Meilisearch: none for short words). */
export function typoBudget(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 4) return 1;
  return 0;
}

/** Damerau-Levenshtein (optimal string alignment) distance, giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    for (let j = 0; j <= b.length; j++) prev2[j] = prev[j]!;
    prev = cur;
  }
  return prev[b.length]!;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Marks the engine put around matches, chosen so that no indexed text can contain them. */
export const MARK_OPEN = '\u0002';
export const MARK_CLOSE = '\u0003';

/** Characters removed from indexed text (controls, including the mark sentinels). */
export function cleanIndexText(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
}

/**
 * Between two comments in a document's indexed `comments` text: the paragraph separator U+2029, a
 * word boundary for every tokenizer (FTS5's unicode61 and trigram, Meilisearch's), never left
 * inside a comment (see `joinComments`), so a snippet can be cut to the one comment it is about.
 */
export const COMMENT_SEPARATOR = '\u2029';

/** A document's comments (plain text, oldest first) as the one text the engines index. */
export function joinComments(comments: readonly string[] | undefined): string {
  if (!comments?.length) return '';
  const parts: string[] = [];
  for (const c of comments) {
    const clean = cleanIndexText(c).replaceAll(COMMENT_SEPARATOR, '\n').trim();
    if (clean) parts.push(clean);
  }
  return parts.join(COMMENT_SEPARATOR);
}

/**
 * The comment of a marked (engine-highlighted, not yet escaped) comments text that holds the most
 * marks (the first of equals), with how many: what a hit found in a comment shows as its snippet.
 */
export function markedComment(raw: string): { raw: string; marks: number } {
  let best = { raw: '', marks: -1 };
  for (const part of raw.split(COMMENT_SEPARATOR)) {
    const marks = part.split(MARK_OPEN).length - 1;
    if (marks > best.marks) best = { raw: part.trim(), marks };
  }
  return { raw: best.raw, marks: Math.max(0, best.marks) };
}

/** HTML-escapes a snippet and turns the sentinel marks into `<mark>` tags. */
export function snippetHtml(raw: string): string {
  return escapeHtml(raw).replaceAll(MARK_OPEN, '<mark>').replaceAll(MARK_CLOSE, '</mark>');
}

/**
 * A snippet made in JavaScript (for substring matches, where the engine cannot make one): a window
 * around the first match, with every occurrence of the words marked.
 */
/**
 * The substring snippet of a hit: from its body when a word occurs there, else from the first
 * comment that holds one (among the first SNIPPET_SCAN_CHARS characters of the comments).
 */
export function substringSnippetOf(body: string, comments: string, words: string[]): string {
  if (!comments || !words.length) return substringSnippet(body, words);
  const holds = (text: string) => {
    const lower = text.toLowerCase();
    return words.some((w) => w && lower.includes(w));
  };
  if (holds(body.slice(0, SNIPPET_SCAN_CHARS))) return substringSnippet(body, words);
  for (const part of segments(comments)) if (holds(part)) return substringSnippet(part, words);
  return substringSnippet(body, words);
}

/** The comments of an indexed comments text, as far as SNIPPET_SCAN_CHARS reaches. */
function* segments(comments: string): Generator<string> {
  let start = 0;
  while (start < comments.length && start < SNIPPET_SCAN_CHARS) {
    const end = comments.indexOf(COMMENT_SEPARATOR, start);
    const stop = end < 0 ? comments.length : end;
    yield comments.slice(start, Math.min(stop, start + SNIPPET_SCAN_CHARS));
    start = stop + 1;
  }
}

export function substringSnippet(text: string, words: string[], width = 160): string {
  const lower = text.toLowerCase();
  const positions = words.map((w) => lower.indexOf(w)).filter((p) => p >= 0);
  const first = positions.length ? Math.min(...positions) : 0;
  const start = Math.max(0, first - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  const window = text.slice(start, end);
  const pattern = new RegExp(words.filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
  const marked = words.length ? window.replace(pattern, (m) => `${MARK_OPEN}${m}${MARK_CLOSE}`) : window;
  return (start > 0 ? '…' : '') + snippetHtml(marked) + (end < text.length ? '…' : '');
}

// -------------------------------------------------------------------------------------------------
// FTS5's porter stemmer, ported from SQLite's ext/fts5/fts5_tokenize.c (public domain), so that the
// engine knows which surface words a query term matches: for highlighting snippets in JavaScript and
// for telling a query term that could equal an internal filter token. It works on a token as
// `unicode61 remove_diacritics 2` hands it over (lower-cased, without diacritics); tokens shorter
// than 3 or longer than 64 bytes pass through, as in FTS5.

const isVowel = (c: string | undefined, yIsVowel: boolean) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || (yIsVowel && c === 'y');

/** Length of the leading [C]VC of s[from, from + n), or 0 if there is none. */
function gobbleVC(s: string, from: number, n: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = 0;
  for (; i < n; i++) {
    cons = !isVowel(s[from + i], cons);
    if (!cons) break;
  }
  for (i++; i < n; i++) {
    cons = !isVowel(s[from + i], cons);
    if (cons) return i + 1;
  }
  return 0;
}

const mGt0 = (s: string, n: number) => gobbleVC(s, 0, n, false) > 0;
function mGt1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k > 0 && gobbleVC(s, k, n - k, true) > 0;
}
function mEq1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k > 0 && gobbleVC(s, k, n - k, true) === 0;
}
function oStar(s: string, n: number): boolean {
  const last = s[n - 1];
  if (last === 'w' || last === 'x' || last === 'y') return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i++) {
    cons = !isVowel(s[i], cons);
    mask = ((mask << 1) + (cons ? 1 : 0)) & 0xffff;
  }
  return (mask & 7) === 5;
}
function hasVowel(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (isVowel(s[i], i > 0)) return true;
  return false;
}
const mGt1ST = (s: string, n: number) => (s[n - 1] === 's' || s[n - 1] === 't') && mGt1(s, n);

type Rule = [suffix: string, cond: (s: string, n: number) => boolean, replacement: string];
const STEP2: Rule[] = [
  ['ational', mGt0, 'ate'], ['tional', mGt0, 'tion'], ['enci', mGt0, 'ence'], ['anci', mGt0, 'ance'], ['izer', mGt0, 'ize'],
  ['logi', mGt0, 'log'], ['bli', mGt0, 'ble'], ['alli', mGt0, 'al'], ['entli', mGt0, 'ent'], ['eli', mGt0, 'e'], ['ousli', mGt0, 'ous'],
  ['ization', mGt0, 'ize'], ['ation', mGt0, 'ate'], ['ator', mGt0, 'ate'], ['alism', mGt0, 'al'], ['iveness', mGt0, 'ive'],
  ['fulness', mGt0, 'ful'], ['ousness', mGt0, 'ous'], ['aliti', mGt0, 'al'], ['iviti', mGt0, 'ive'], ['biliti', mGt0, 'ble'],
];
const STEP3: Rule[] = [
  ['ical', mGt0, 'ic'], ['ness', mGt0, ''], ['icate', mGt0, 'ic'], ['iciti', mGt0, 'ic'], ['ful', mGt0, ''], ['ative', mGt0, ''], ['alize', mGt0, 'al'],
];
const STEP4: Rule[] = [
  ['al', mGt1, ''], ['ance', mGt1, ''], ['ence', mGt1, ''], ['er', mGt1, ''], ['ic', mGt1, ''], ['able', mGt1, ''], ['ible', mGt1, ''],
  ['ant', mGt1, ''], ['ement', mGt1, ''], ['ment', mGt1, ''], ['ent', mGt1, ''], ['ion', mGt1ST, ''], ['ou', mGt1, ''], ['ism', mGt1, ''],
  ['ate', mGt1, ''], ['iti', mGt1, ''], ['ous', mGt1, ''], ['ive', mGt1, ''], ['ize', mGt1, ''],
];

/**
 * One generated step of fts5_tokenize.c: the first rule whose suffix ends the word (and leaves at
 * least one character) decides; its condition on the stem says whether it applies. (In the C code
 * a switch on the next-to-last letter picks the rules; every suffix of a case ends in that letter,
 * so trying the rules in order is the same.)
 */
function applyRules(s: string, rules: Rule[]): string {
  for (const [suffix, cond, replacement] of rules) {
    if (s.length > suffix.length && s.endsWith(suffix)) {
      const stem = s.length - suffix.length;
      return cond(s, stem) ? s.slice(0, stem) + replacement : s;
    }
  }
  return s;
}

const utf8Length = (s: string) => (ASCII.test(s) ? s.length : Buffer.byteLength(s, 'utf8'));

/** The stem FTS5's porter tokenizer indexes for a (lower-cased, diacritic-free) token. */
export function porterStem(token: string): string {
  const bytes = utf8Length(token);
  if (bytes < 3 || bytes > 64) return token;
  let s = token;
  // Step 1A.
  if (s.endsWith('s')) {
    const n = s.length;
    if (s[n - 2] === 'e') s = (n > 4 && s[n - 4] === 's' && s[n - 3] === 's') || (n > 3 && s[n - 3] === 'i') ? s.slice(0, -2) : s.slice(0, -1);
    else if (s[n - 2] !== 's') s = s.slice(0, -1);
  }
  // Step 1B.
  let step1b = false;
  if (s.length > 3 && s.endsWith('eed')) {
    if (mGt0(s, s.length - 3)) s = s.slice(0, -1);
  } else if (s.length > 2 && s.endsWith('ed')) {
    if (hasVowel(s, s.length - 2)) [s, step1b] = [s.slice(0, -2), true];
  } else if (s.length > 3 && s.endsWith('ing')) {
    if (hasVowel(s, s.length - 3)) [s, step1b] = [s.slice(0, -3), true];
  }
  if (step1b) {
    const n = s.length;
    if (n > 2 && (s.endsWith('at') || s.endsWith('bl') || s.endsWith('iz'))) s += 'e';
    else {
      const c = s[n - 1];
      if (!isVowel(c, false) && c !== 'l' && c !== 's' && c !== 'z' && c === s[n - 2]) s = s.slice(0, -1);
      else if (mEq1(s, n) && oStar(s, n)) s += 'e';
    }
  }
  // Step 1C.
  if (s.endsWith('y') && hasVowel(s, s.length - 1)) s = `${s.slice(0, -1)}i`;
  s = applyRules(s, STEP2);
  s = applyRules(s, STEP3);
  s = applyRules(s, STEP4);
  // Step 5A.
  if (s.endsWith('e') && (mGt1(s, s.length - 1) || (mEq1(s, s.length - 1) && !oStar(s, s.length - 1)))) s = s.slice(0, -1);
  // Step 5B.
  if (s.length > 1 && s.endsWith('ll') && mGt1(s, s.length - 1)) s = s.slice(0, -1);
  return s;
}

/**
 * Whether a query term could equal (or, as a prefix, start) one of the filter tokens of the
 * `scope` column (`s|k|a` + hex + `0`). Only then must a MATCH name its columns; otherwise it may
 * search all columns, which FTS5 does much faster.
 */
export function couldBeScopeToken(stem: string, prefix: boolean): boolean {
  return prefix ? /^[ska][0-9a-f]*$/.test(stem) : /^[ska](?:[0-9a-f]{2})+0$/.test(stem);
}

// -------------------------------------------------------------------------------------------------
// Snippets made in JavaScript around the words FTS5 matched

/** Which tokens of a text a query matched: its terms as stems, and the stems its prefixes start. */
export interface TermMatcher {
  exact: Set<string>;
  prefixes: string[];
}

export function termMatcher(terms: Array<{ term: string; prefix: boolean }>): TermMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const { term, prefix } of terms) {
    const stem = porterStem(foldWord(term));
    if (prefix) prefixes.push(stem);
    else exact.add(stem);
  }
  return { exact, prefixes };
}

/** Texts longer than this are searched for their best snippet window only in their beginning. */
const SNIPPET_SCAN_CHARS = 60_000;

const lowerCode = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * A token can only stem to `s` if it starts with the first two letters of `s` (the stemmer leaves
 * them alone in words of three letters or more, and shorter words are not stemmed): a cheap test
 * on character codes before any string is made.
 */
class Prefilter {
  private readonly one = new Set<number>();
  private readonly two = new Set<number>();
  constructor(m: TermMatcher) {
    for (const stem of [...m.exact, ...m.prefixes]) {
      if (stem.length === 1) this.one.add(stem.charCodeAt(0));
      else if (stem.length > 1) this.two.add(stem.charCodeAt(0) * 65536 + stem.charCodeAt(1));
    }
  }
  test(c0: number, c1: number): boolean {
    return this.one.has(c0) || this.two.has(c0 * 65536 + c1);
  }
}

function stemMatches(folded: string, m: TermMatcher): boolean {
  const stem = porterStem(folded);
  if (m.exact.has(stem)) return true;
  for (const p of m.prefixes) if (stem.startsWith(p)) return true;
  return false;
}

interface Token {
  start: number;
  end: number;
  hit: boolean;
}

const TOKEN_CHAR = /^[\p{L}\p{N}\p{M}\p{Co}]$/u;

/** The text's tokens as unicode61 sees them (ASCII by hand, other characters by their class). */
function snippetTokens(text: string, m: TermMatcher): Token[] {
  const tokens: Token[] = [];
  const pre = new Prefilter(m);
  const n = Math.min(text.length, SNIPPET_SCAN_CHARS);
  let start = -1;
  let plain = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 0;
    let width = 1;
    let token: boolean;
    if (c < 128) token = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
    else {
      width = c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
      token = TOKEN_CHAR.test(text.slice(i, i + width));
    }
    if (token) {
      if (start < 0) [start, plain] = [i, true];
      if (c >= 128) plain = false;
      i += width - 1;
    } else if (start >= 0) {
      let hit: boolean;
      if (plain) {
        const c0 = lowerCode(text.charCodeAt(start));
        const c1 = i - start > 1 ? lowerCode(text.charCodeAt(start + 1)) : -1;
        hit = pre.test(c0, c1) && stemMatches(text.slice(start, i).toLowerCase(), m);
      } else {
        const folded = foldWord(text.slice(start, i));
        hit = pre.test(folded.charCodeAt(0), folded.length > 1 ? folded.charCodeAt(1) : -1) && stemMatches(folded, m);
      }
      tokens.push({ start, end: i, hit });
      start = -1;
    }
  }
  return tokens;
}

/** A snippet and how many matched words its window holds. */
export interface ScoredSnippet {
  html: string;
  hits: number;
}

/** The window of `size` tokens with the most hits (the earliest of equals), starting a little before its first hit. */
function bestWindow(tokens: Token[], size: number): { start: number; hits: number } {
  let best = 0;
  let bestHits = -1;
  let hits = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.hit) hits++;
    if (i >= size && tokens[i - size]!.hit) hits--;
    if (i >= size - 1 || i === tokens.length - 1) {
      const start = Math.max(0, i - size + 1);
      if (hits > bestHits) [best, bestHits] = [start, hits];
    }
  }
  if (bestHits > 0) {
    const firstHit = tokens.findIndex((t, i) => i >= best && t.hit);
    best = Math.max(0, Math.min(firstHit - 3, tokens.length - size));
  }
  return { start: best, hits: Math.max(0, bestHits) };
}

function windowHtml(text: string, tokens: Token[], best: number, size: number): string {
  const last = Math.min(tokens.length, best + size) - 1;
  let html = best > 0 ? '…' : '';
  let at = best > 0 ? tokens[best]!.start : 0;
  for (let i = best; i <= last; i++) {
    const t = tokens[i]!;
    html += escapeHtml(text.slice(at, t.start));
    html += t.hit ? `<mark>${escapeHtml(text.slice(t.start, t.end))}</mark>` : escapeHtml(text.slice(t.start, t.end));
    at = t.end;
  }
  if (last === tokens.length - 1 && text.length <= SNIPPET_SCAN_CHARS) html += escapeHtml(text.slice(at));
  else html += '…';
  return html;
}

/**
 * A snippet as FTS5's `snippet()` makes it (about `size` tokens, the window holding the most
 * matches, `…` where text was cut), HTML-escaped with `<mark>` around the matched words — made in
 * JavaScript because FTS5 can only make one inside a MATCH, which costs a scan of the whole doclist
 * of a common word for every document shown.
 */
export function wordSnippet(text: string, matcher: TermMatcher, size = 24): string {
  return scoredWordSnippet(text, matcher, size).html;
}

/** `wordSnippet` with the number of matched words in its window. */
export function scoredWordSnippet(text: string, matcher: TermMatcher, size = 24): ScoredSnippet {
  const tokens = snippetTokens(text, matcher);
  if (!tokens.length) return { html: escapeHtml(text.slice(0, 200)), hits: 0 };
  const { start, hits } = bestWindow(tokens, size);
  return { html: windowHtml(text, tokens, start, size), hits };
}

/**
 * The snippet of the comment (of an indexed comments text) whose best window holds the most
 * matched words, the first of equals; null when no comment holds one. Only the first
 * SNIPPET_SCAN_CHARS characters of the comments are looked at, and only the chosen comment's
 * snippet is made.
 */
export function commentSnippet(comments: string, matcher: TermMatcher, size = 24): ScoredSnippet | null {
  let best: { text: string; tokens: Token[]; start: number; hits: number } | null = null;
  for (const part of segments(comments)) {
    const tokens = snippetTokens(part, matcher);
    if (!tokens.some((t) => t.hit)) continue;
    const w = bestWindow(tokens, size);
    if (!best || w.hits > best.hits) best = { text: part, tokens, ...w };
  }
  return best ? { html: windowHtml(best.text, best.tokens, best.start, size), hits: best.hits } : null;
}
