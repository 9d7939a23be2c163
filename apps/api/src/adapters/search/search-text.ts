/**
 * Text helpers shared by the search adapters: query words, typo distance, snippet escaping.
 * Pure functions; no engine-specific code.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{N}]+/gu;

/** True when the text holds Chinese, Japanese or Korean characters (written without spaces). */
export const hasCjk = (text: string) => CJK.test(text);

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

/** Distinct lower-cased words of a text worth keeping in the typo vocabulary. */
export function vocabularyWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    const w = m[0];
    if (w.length >= 3 && w.length <= 30 && !/^\p{N}+$/u.test(w) && !hasCjk(w)) out.add(w);
  }
  return out;
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
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ');
}

/** HTML-escapes a snippet and turns the sentinel marks into `<mark>` tags. */
export function snippetHtml(raw: string): string {
  return escapeHtml(raw).replaceAll(MARK_OPEN, '<mark>').replaceAll(MARK_CLOSE, '</mark>');
}

/**
 * A snippet made in JavaScript (for substring matches, where the engine cannot make one): a window
 * around the first match, with every occurrence of the words marked.
 */
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
