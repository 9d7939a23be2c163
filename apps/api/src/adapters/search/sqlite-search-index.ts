import type { Client, InStatement, InValue, Row, Transaction } from '@libsql/client';
import type { IndexedDoc, SearchHit, SearchIndex, SearchRequest, SearchResult } from '../../domain/ports.ts';
import {
  cjkWords,
  cleanIndexText,
  commentSnippet,
  couldBeScopeToken,
  editDistance,
  foldWord,
  hasCjk,
  porterStem,
  joinComments,
  queryWords,
  scoredWordSnippet,
  substringSnippetOf,
  termMatcher,
  typoBudget,
  forEachVocabularyWord,
  type TermMatcher,
} from './search-text.ts';

/**
 * The embedded search engine: SQLite FTS5 in the same libSQL database (tables from migrations
 * 0001_search_index and 0007_search_comments). Words go through a Porter/unicode61 index
 * (`search_fts`: title, body and the document's live comments, weighted 10 : 1 : 0.5 in bm25) and
 * a small index of titles alone (`search_titles`);
 * Chinese, Japanese and Korean text through a trigram index (`search_trigram`, which holds only the
 * CJK words); the word being typed, typos and parts of words through the vocabulary (`search_vocab`
 * with exact document counts, a word deleted when no document holds it any more; at most
 * VOCAB_RESIDENT_WORDS of the most used words held in memory with a trigram map for corrections,
 * chosen at start by a scan with a bounded sort, never the whole table in memory). Whether a query word is known, and which
 * corrections, completions and parts of words stand for it, is decided on the documents the caller
 * may read: every candidate is looked up under the caller's filter before it is used. Permission and facet
 * filters are tokens in the `scope` column, intersected inside the MATCH, so totals are exact
 * without a join.
 *
 * What a query costs is what FTS5 does with the doclist of its most common word, so every search
 * walks each doclist at most once or twice:
 *  - the exact total is a `count(*)` over the MATCH, and the MATCH searches all columns unless a
 *    query term could equal a filter token (naming columns makes FTS5 decode every position list);
 *  - the space filter is written the cheap way round: nothing when the caller may read every space
 *    that has documents, `NOT` the few unreadable ones, or `OR` of the readable ones — checked, in
 *    the same read transaction, against the spaces the index really holds;
 *  - up to FULL_RANK matches are ranked by bm25 (IDF, term frequency, title boost); past that, the
 *    word is common enough that bm25 mostly measures document length, and the ranking is title
 *    matches first (from `search_titles`, whose doclists are short), then the most recently changed
 *    documents — both read in rowid order with LIMIT, so they stop early;
 *  - snippets are made in JavaScript from the stored text with the engine's own stemmer, because
 *    `snippet()` or any MATCH restricted to a rowid walks the whole doclist again for each hit; a
 *    hit whose comments hold more of the query than its body shows the comment as its snippet.
 *
 * Comments are a column of the document's row, not rows of their own: a query costs the same
 * whatever the number of comments, and a document matches when its title, body and comments
 * together hold every query word.
 */
const FULL_RANK = 2000;
const MAX_TYPO_CANDIDATES = 6;
/** Vocabulary words (sharing the most trigrams with a misspelt word) whose edit distance is computed. */
const TYPO_SHORTLIST = 200;
/**
 * The word being typed stands for the words that start with it (one per stem), most used first:
 * all of them while they hold few postings, else the first few (as Typesense and Meilisearch cap
 * them), so that typing "co" does not merge the doclists of a thousand words.
 */
const PREFIX_POSTINGS = 40_000;
const PREFIX_MIN_EXPANSIONS = 4;
const PREFIX_MAX_EXPANSIONS = 32;
const INFIX_EXPANSIONS = 24;
/** Past this many spaces with documents, the space filter is always the list of readable spaces. */
const UNIVERSE_LIMIT = 256;
const VOCAB_REFRESH_MS = 1000;
/** Words read per refresh of the words other processes added. */
const VOCAB_REFRESH_ROWS = 1000;
/**
 * The vocabulary's bounds (issue 8): at most this many words in memory, most used first (about
 * 25 MB; the rest stay in `search_vocab` on disk), and at most this many distinct words of one
 * document counted in it (its first ones: a 10,000-word text has about 2,000 distinct words; past
 * that, words are still found as written, without typo tolerance or completion of their own).
 */
export const VOCAB_RESIDENT_WORDS = 100_000;
export const VOCAB_WORDS_PER_DOC = 2_000;
/**
 * Candidates checked against the caller's readable spaces before use (one indexed look-up each):
 * typo corrections (then counted there, up to SCOPED_COUNT_CAP, to rank them), completions of the
 * word being typed, words containing a part.
 */
const TYPO_CHECK = 24;
const PREFIX_CHECK = 48;
const INFIX_CHECK = 48;
const SCOPED_COUNT_CAP = 100;
/** Documents matching a query word that are read to see whether one holds it as written. */
const KNOWN_SCAN = 200;
/** Completions read from disk when the vocabulary does not fit in memory. */
const DISK_COMPLETIONS = 256;
const INSERT_CHUNK = 400;
/** bm25 weights of the columns of `search_fts`: title, body, comments, scope (filter tokens). */
const BM25 = 'bm25(search_fts, 10.0, 1.0, 0.5, 0.0)';

/** A filter token that survives the tokenizers unchanged: a letter, the id's hex, and a digit. */
export function scopeToken(prefix: 's' | 'k' | 'a', id: string): string {
  return `${prefix}${Buffer.from(id, 'utf8').toString('hex')}0`;
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;
const empty = (): SearchResult => ({ hits: [], total: 0 });
const UNIVERSE_SQL = `WITH RECURSIVE s(id) AS (
    SELECT (SELECT min(space_id) FROM search_docs)
    UNION ALL SELECT (SELECT min(space_id) FROM search_docs WHERE space_id > s.id) FROM s WHERE s.id IS NOT NULL
  ) SELECT id FROM s WHERE id IS NOT NULL LIMIT ${UNIVERSE_LIMIT + 1}`;

export interface SqliteSearchOptions {
  /** Words of the typo and prefix vocabulary held in memory (default VOCAB_RESIDENT_WORDS). */
  residentWords?: number;
  /** Distinct words of one document counted in the vocabulary (default VOCAB_WORDS_PER_DOC). */
  wordsPerDoc?: number;
}

interface Term {
  term: string;
  prefix: boolean;
}

interface Plan {
  /** One group of alternatives per query word; a document must match a term of every group. */
  groups: Term[][];
  /** Substrings to mark in snippets (a plan made of words that contain the query words). */
  substrings?: string[];
}

interface Filter {
  /** The filter part of a MATCH over a table with a `scope` column, to AND (or to NOT, see `negate`). */
  positive: string[];
  negate: string | null;
  /** The spaces assumed to be all that hold documents (checked in the same transaction), if relied on. */
  universe: Set<string> | null;
}

interface VocabEntry {
  id: number;
  /** About how many documents hold the word (for choosing among completions and corrections). */
  docs: number;
}

/**
 * The part of the vocabulary held in memory: at most `capacity` words (the most used ones read at
 * setup, then words as they are indexed while there is room), bucketed by their first letters for
 * prefix completion and by trigram for typo corrections and parts of words. `search_vocab` on disk
 * is the whole vocabulary with exact document counts; when it holds more words than fit here
 * (`complete` false), completions are also read from disk, and corrections come from the words held
 * here only. Whatever this offers is checked against the caller's readable spaces before use.
 */
class Vocabulary {
  readonly entries = new Map<string, VocabEntry>();
  private byTwo = new Map<string, string[]>();
  private byOne = new Map<string, string[]>();
  /** Words by id (undefined once removed), and the ids of the words holding each trigram (of the word padded with spaces). */
  private words: Array<string | undefined> = [];
  private grams = new Map<string, number[]>();
  private shared = new Int32Array(1024);
  private removed = 0;
  /** Whether every word of `search_vocab` is held here (then a word not here is in no document). */
  complete = true;
  /** The highest `search_vocab` id looked at (words other processes add are read past it). */
  lastId = 0;
  refreshedAt = 0;

  constructor(readonly capacity: number) {}

  docs(term: string): number {
    return this.entries.get(term)?.docs ?? 0;
  }

  has(term: string): boolean {
    return this.entries.has(term);
  }

  /** Holds a word (or updates its count); false when there is no room (then the vocabulary is no longer complete). */
  add(w: string, docs: number): boolean {
    const known = this.entries.get(w);
    if (known) {
      known.docs = docs;
      return true;
    }
    if (this.entries.size >= this.capacity) {
      this.complete = false;
      return false;
    }
    const e: VocabEntry = { id: this.words.length, docs };
    this.entries.set(w, e);
    this.words.push(w);
    push(this.byOne, w.slice(0, 1), w);
    push(this.byTwo, w.slice(0, 2), w);
    for (const g of paddedTrigrams(w)) {
      const ids = this.grams.get(g);
      if (ids) ids.push(e.id);
      else this.grams.set(g, [e.id]);
    }
    return true;
  }

  /** A change of a held word's document count (words not held are left alone). */
  adjust(w: string, delta: number): void {
    const e = this.entries.get(w);
    if (e) e.docs = Math.max(0, e.docs + delta);
  }

  /** Forgets a word (no document holds it any more); the lists are compacted when half is gone. */
  delete(w: string): void {
    const e = this.entries.get(w);
    if (!e) return;
    this.entries.delete(w);
    this.words[e.id] = undefined;
    if (++this.removed > 1024 && this.removed * 2 > this.words.length) this.compact();
  }

  clear(): void {
    this.entries.clear();
    [this.byOne, this.byTwo, this.grams] = [new Map(), new Map(), new Map()];
    this.words = [];
    this.removed = 0;
    this.complete = true;
  }

  private compact(): void {
    const live = [...this.entries].map(([w, e]) => [w, e.docs] as const);
    const complete = this.complete;
    this.clear();
    for (const [w, n] of live) this.add(w, n);
    this.complete = complete;
  }

  /**
   * Held words within `budget` edits of `word`, closest first, then most used: the words sharing
   * the most trigrams with it are shortlisted by counting, and only those are measured.
   */
  corrections(word: string, budget: number, max: number): Array<{ term: string; d: number }> {
    if (this.shared.length < this.words.length) this.shared = new Int32Array(this.words.length * 2);
    const shared = this.shared;
    const touched: number[] = [];
    const grams = paddedTrigrams(word);
    for (const g of grams) {
      for (const id of this.grams.get(g) ?? []) {
        const w = this.words[id];
        if (w === undefined || Math.abs(w.length - word.length) > budget) continue;
        if (shared[id] === 0) touched.push(id);
        shared[id] = shared[id]! + 1;
      }
    }
    // The shortlist: by shared trigrams, most first (counting sort; counts are at most grams.length).
    const byCount: number[][] = Array.from({ length: grams.length + 1 }, () => []);
    for (const id of touched) {
      byCount[shared[id]!]!.push(id);
      shared[id] = 0;
    }
    const scored: Array<{ term: string; d: number; n: number }> = [];
    let looked = 0;
    for (let c = grams.length; c > 0 && looked < TYPO_SHORTLIST; c--) {
      for (const id of byCount[c]!) {
        const term = this.words[id]!;
        const d = editDistance(word, term, budget);
        if (d <= budget && term !== word) scored.push({ term, d, n: this.docs(term) });
        if (++looked >= TYPO_SHORTLIST) break;
      }
    }
    return scored
      .sort((a, b) => a.d - b.d || b.n - a.n || (a.term < b.term ? -1 : 1))
      .slice(0, max)
      .map(({ term, d }) => ({ term, d }));
  }

  /** Held words that contain `part` (three letters or more), most used first. */
  containing(part: string, max: number): string[] {
    const grams = [...new Set(trigrams(part))];
    if (!grams.length) return [];
    const lists = grams.map((g) => this.grams.get(g) ?? []);
    const shortest = lists.reduce((a, b) => (b.length < a.length ? b : a));
    const found = shortest.flatMap((id) => {
      const w = this.words[id];
      return w !== undefined && w.includes(part) ? [w] : [];
    });
    return found.sort((a, b) => this.docs(b) - this.docs(a) || a.length - b.length).slice(0, max);
  }

  /** Held words starting with `prefix`, most used first. */
  completions(prefix: string): string[] {
    const bucket = (prefix.length === 1 ? this.byOne.get(prefix) : this.byTwo.get(prefix.slice(0, 2))) ?? [];
    const found = new Set(bucket.filter((w) => w.startsWith(prefix) && this.entries.has(w)));
    return [...found].sort((a, b) => this.docs(b) - this.docs(a) || a.length - b.length);
  }
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The three-letter pieces of a word. */
function trigrams(word: string): string[] {
  const grams: string[] = [];
  for (let i = 0; i + 3 <= word.length; i++) grams.push(word.slice(i, i + 3));
  return grams;
}

/** The distinct trigrams of a word padded with a space at each end (so that its ends count too). */
const paddedTrigrams = (word: string) => [...new Set(trigrams(` ${word} `))];

/** Where a text is looked at for a query word written as such (past it, the word is looked up). */
const WRITTEN_SCAN_CHARS = 100_000;
const ASCII_UPPER = /[A-Z]+/g;
const isWordCode = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

/**
 * Whether `word` (lower-cased) is written in `text` between characters that are not ASCII letters
 * or digits, with ASCII letters lower-cased: what `knownAsWritten` checks with GLOB and lower().
 */
export function writtenIn(text: string, word: string): boolean {
  const lower = text.slice(0, WRITTEN_SCAN_CHARS).replace(ASCII_UPPER, (m) => m.toLowerCase());
  for (let i = lower.indexOf(word); i >= 0; i = lower.indexOf(word, i + 1)) {
    if (!isWordCode(lower.charCodeAt(i - 1)) && !isWordCode(lower.charCodeAt(i + word.length))) return true;
  }
  return false;
}

/**
 * How one write changes the vocabulary's document counts: each document's first `cap` distinct
 * vocabulary words (title, then text) count +1 (indexed) or -1 (its old text, replaced or removed).
 * One map look-up per word read: a word's entry remembers the last document that counted it.
 */
class WordDeltas {
  private readonly counts = new Map<string, { doc: number; n: number }>();
  private doc = 0;

  constructor(private readonly cap: number) {}

  count(texts: string[], sign: 1 | -1): void {
    const doc = ++this.doc;
    const cap = this.cap;
    let distinct = 0;
    const counts = this.counts;
    for (const t of texts) {
      if (distinct >= cap) break;
      forEachVocabularyWord(t, (w) => {
        if (distinct >= cap) return;
        const e = counts.get(w);
        if (e === undefined) counts.set(w, { doc, n: sign });
        else if (e.doc !== doc) {
          e.doc = doc;
          e.n += sign;
        } else return;
        distinct++;
      });
    }
  }

  deltas(): Map<string, number> {
    return new Map([...this.counts].map(([w, e]) => [w, e.n]));
  }
}

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** One multi-row INSERT per chunk (no per-row statements, no JSON to parse). */
function insertRows(table: string, columns: string[], rows: unknown[][], suffix = ''): InStatement[] {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return chunks(rows, INSERT_CHUNK).map((chunk) => ({
    sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => row).join(', ')}${suffix}`,
    args: chunk.flat() as InValue[],
  }));
}

export class SqliteSearchIndex implements SearchIndex {
  readonly engine = 'sqlite' as const;
  private readonly vocab: Vocabulary;
  private readonly wordsPerDoc: number;
  /** The spaces that hold documents (a superset is fine), or null when there are too many to rely on. */
  private universe: Set<string> | null = new Set();
  /** About how many documents are indexed (read at start, then followed by this process's writes): for estimates only. */
  private docCount = 0;
  private readyPromise: Promise<void> | null = null;

  constructor(
    private readonly client: Client,
    options: SqliteSearchOptions = {},
  ) {
    this.vocab = new Vocabulary(options.residentWords ?? VOCAB_RESIDENT_WORDS);
    this.wordsPerDoc = options.wordsPerDoc ?? VOCAB_WORDS_PER_DOC;
  }

  async setup(): Promise<void> {
    await this.ready();
  }

  private ready(): Promise<void> {
    this.readyPromise ??= this.prepare().catch((err: unknown) => {
      this.readyPromise = null;
      throw err;
    });
    return this.readyPromise;
  }

  /**
   * Reads the most used words of the vocabulary (at most the memory cap: SQLite keeps only that
   * many rows while it sorts, and only those reach memory here; there is no index on `docs`, which
   * every count change would move, see migration 0005) and the spaces (the tables come from
   * migrations 0001_search_index, 0004_search_vocabulary and 0005_search_vocab_no_docs_index).
   */
  private async prepare(): Promise<void> {
    await this.loadVocabulary();
    const spaces = await this.client.execute(UNIVERSE_SQL);
    this.setUniverse(spaces.rows.map((r) => String(r[0])));
    const count = await this.client.execute('SELECT count(*) FROM search_docs');
    this.docCount = Number(count.rows[0]?.[0] ?? 0);
  }

  private async loadVocabulary(): Promise<void> {
    const [top, last] = await this.client.batch(
      [
        { sql: 'SELECT term, docs FROM search_vocab ORDER BY docs DESC, id LIMIT ?', args: [this.vocab.capacity + 1] },
        'SELECT coalesce(max(id), 0) FROM search_vocab',
      ],
      'read',
    );
    this.vocab.clear();
    for (const r of top!.rows) this.vocab.add(String(r[0]), Number(r[1]));
    this.vocab.lastId = Number(last!.rows[0]![0]);
    this.vocab.refreshedAt = Date.now();
  }

  private setUniverse(spaces: string[]): void {
    this.universe = spaces.length > UNIVERSE_LIMIT ? null : new Set(spaces);
  }

  /** Words other processes added since the last look, a page at a time, while there is room. */
  private async refreshVocabulary(): Promise<void> {
    const now = Date.now();
    if (now - this.vocab.refreshedAt < VOCAB_REFRESH_MS) return;
    this.vocab.refreshedAt = now;
    if (this.vocab.entries.size >= this.vocab.capacity) {
      const last = await this.client.execute('SELECT coalesce(max(id), 0) FROM search_vocab');
      const max = Number(last.rows[0]![0]);
      if (max > this.vocab.lastId) this.vocab.complete = false;
      this.vocab.lastId = Math.max(this.vocab.lastId, max);
      return;
    }
    const rows = await this.client.execute({ sql: `SELECT id, term, docs FROM search_vocab WHERE id > ? ORDER BY id LIMIT ${VOCAB_REFRESH_ROWS}`, args: [this.vocab.lastId] });
    for (const r of rows.rows) this.vocab.add(String(r[1]), Number(r[2]));
    if (rows.rows.length) this.vocab.lastId = Number(rows.rows[rows.rows.length - 1]![0]);
  }

  async health(): Promise<boolean> {
    try {
      await this.client.execute('SELECT 1 FROM search_docs LIMIT 1');
      return true;
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * The indexed rows of these documents with the vocabulary words they counted (their stored title,
   * text and comments are the cleaned texts that were counted, in that order, so the same words come out).
   */
  private async oldRows(tx: Transaction, docIds: string[], words: WordDeltas): Promise<number[]> {
    const old = await tx.execute({
      sql: `SELECT d.rowid, f.title, f.body, f.comments FROM search_docs d CROSS JOIN search_fts f ON f.rowid = d.rowid
            WHERE d.doc_id IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(docIds)],
    });
    for (const r of old.rows) words.count([String(r[1] ?? ''), String(r[2] ?? ''), String(r[3] ?? '')], -1);
    return old.rows.map((r) => Number(r[0]));
  }

  /**
   * Statements that apply document-count changes to `search_vocab` (adding the new words) and
   * delete the words no document holds any more; the last statement returns those.
   */
  private vocabularyChanges(words: WordDeltas): { statements: InStatement[]; deltas: Map<string, number>; returnsGone: boolean } {
    const deltas = words.deltas();
    const changed: Array<[string, number]> = [];
    const lowered: string[] = [];
    for (const w of deltas.keys()) {
      const n = deltas.get(w)!;
      if (n !== 0) changed.push([w, n]);
      if (n < 0) lowered.push(w);
    }
    const statements: InStatement[] = [
      // One statement for all the words (their list as one JSON argument, no per-word arguments to
      // bind), sorted by term so that the upserts walk the term index and the table page after
      // page. Lowered words are upserted too (a word missing here gets a count below 1), then
      // deleted at 0.
      ...(changed.length
        ? [
            {
              sql: `INSERT INTO search_vocab (term, docs) SELECT value ->> 0 AS term, value ->> 1 FROM json_each(?) WHERE true ORDER BY term
                    ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs`,
              args: [JSON.stringify(changed)],
            },
          ]
        : []),
      ...(lowered.length
        ? [{ sql: 'DELETE FROM search_vocab WHERE docs <= 0 AND term IN (SELECT value FROM json_each(?)) RETURNING term', args: [JSON.stringify(lowered)] }]
        : []),
    ];
    return { statements, deltas, returnsGone: lowered.length > 0 };
  }

  /** After a committed write: the held vocabulary follows the counts, gains new words while there is room, forgets gone ones. */
  private settleVocabulary(deltas: Map<string, number>, gone: string[]): void {
    for (const [w, n] of deltas) {
      if (n > 0 && !this.vocab.has(w)) this.vocab.add(w, n);
      else this.vocab.adjust(w, n);
    }
    for (const w of gone) this.vocab.delete(w);
  }

  async upsert(docs: IndexedDoc[]): Promise<void> {
    if (!docs.length) return;
    await this.ready();
    const latest = [...new Map(docs.map((d) => [d.docId, d])).values()];
    const words = new WordDeltas(this.wordsPerDoc);
    let replaced = 0;
    const prepared = latest.map((doc) => {
      const title = cleanIndexText(doc.title);
      const body = cleanIndexText(doc.text);
      const comments = joinComments(doc.comments);
      const scope = [scopeToken('s', doc.spaceId), scopeToken('k', doc.kind), ...doc.authors.map((a) => scopeToken('a', a))].join(' ');
      words.count([title, body, comments], 1);
      return { doc, title, body, comments, scope, cjkTitle: cjkWords(title), cjkBody: cjkWords(body), cjkComments: cjkWords(comments) };
    });
    const tx = await this.client.transaction('write');
    let settle: () => void = () => undefined;
    try {
      const oldRowids = await this.oldRows(tx, latest.map((d) => d.docId), words);
      replaced = oldRowids.length;
      const max = await tx.execute('SELECT coalesce(max(rowid), 0) FROM search_docs');
      // New rowids above every current one: "ORDER BY rowid DESC" walks the most recently changed first.
      const base = Number(max.rows[0]![0]) + 1;
      const rows = prepared.map((p, i) => ({ ...p, rowid: base + i }));
      const vocabulary = this.vocabularyChanges(words);
      const results = await tx.batch([
        ...this.deleteByRowids(oldRowids),
        ...insertRows(
          'search_docs',
          ['rowid', 'doc_id', 'space_id', 'kind', 'authors', 'updated_at', 'revision'],
          rows.map((r) => [r.rowid, r.doc.docId, r.doc.spaceId, r.doc.kind, r.doc.authors.join(' '), r.doc.updatedAt, r.doc.revision]),
        ),
        ...insertRows('search_fts', ['rowid', 'title', 'body', 'comments', 'scope'], rows.map((r) => [r.rowid, r.title, r.body, r.comments, r.scope])),
        ...insertRows('search_titles', ['rowid', 'title', 'scope'], rows.map((r) => [r.rowid, r.title, r.scope])),
        ...insertRows(
          'search_trigram',
          ['rowid', 'title', 'body', 'comments', 'scope'],
          rows.filter((r) => r.cjkTitle || r.cjkBody || r.cjkComments).map((r) => [r.rowid, r.cjkTitle, r.cjkBody, r.cjkComments, r.scope]),
        ),
        ...vocabulary.statements,
      ]);
      await tx.commit();
      const gone = vocabulary.returnsGone ? results[results.length - 1]!.rows.map((r) => String(r[0])) : [];
      settle = () => this.settleVocabulary(vocabulary.deltas, gone);
    } finally {
      tx.close();
    }
    settle();
    for (const d of latest) this.universe?.add(d.spaceId);
    this.docCount += latest.length - replaced;
  }

  private deleteByRowids(rowids: number[]): InStatement[] {
    if (!rowids.length) return [];
    const list = `(SELECT value FROM json_each(?))`;
    const args = [JSON.stringify(rowids)];
    return ['search_fts', 'search_titles', 'search_trigram', 'search_docs'].map((table) => ({ sql: `DELETE FROM ${table} WHERE rowid IN ${list}`, args }));
  }

  async remove(docIds: string[]): Promise<void> {
    if (!docIds.length) return;
    await this.ready();
    const tx = await this.client.transaction('write');
    let settle: () => void = () => undefined;
    try {
      const words = new WordDeltas(this.wordsPerDoc);
      const oldRowids = await this.oldRows(tx, docIds, words);
      if (oldRowids.length) {
        const vocabulary = this.vocabularyChanges(words);
        const results = await tx.batch([...this.deleteByRowids(oldRowids), ...vocabulary.statements]);
        const gone = vocabulary.returnsGone ? results[results.length - 1]!.rows.map((r) => String(r[0])) : [];
        settle = () => this.settleVocabulary(vocabulary.deltas, gone);
      }
      await tx.commit();
      this.docCount = Math.max(0, this.docCount - oldRowids.length);
    } finally {
      tx.close();
    }
    settle();
  }

  async indexedRevisions(): Promise<Map<string, number>> {
    const rows = await this.client.execute('SELECT doc_id, revision FROM search_docs');
    return new Map(rows.rows.map((r) => [String(r[0]), Number(r[1])]));
  }

  async rebuild(batches: AsyncIterable<IndexedDoc[]>, onProgress?: (indexed: number) => void): Promise<void> {
    await this.ready();
    // The word and trigram tables store their content, so they are emptied with DELETE ('delete-all'
    // is only for contentless and external-content tables, and fails there); the title index is
    // contentless. The vocabulary is counted again from the new documents.
    await this.client.batch(
      [
        'DELETE FROM search_docs',
        'DELETE FROM search_fts',
        'DELETE FROM search_trigram',
        "INSERT INTO search_titles (search_titles) VALUES ('delete-all')",
        'DELETE FROM search_vocab',
      ],
      'write',
    );
    this.vocab.clear();
    this.docCount = 0;
    let done = 0;
    for await (const batch of batches) {
      await this.upsert(batch);
      onProgress?.((done += batch.length));
    }
    await this.client.batch(
      ['search_fts', 'search_titles', 'search_trigram'].map((t) => `INSERT INTO ${t} (${t}) VALUES ('optimize')`),
      'write',
    );
    // The words held in memory came in the order they were indexed: hold the most used ones.
    await this.loadVocabulary();
  }

  // ---------------------------------------------------------------------------------------------
  // Querying

  async search(req: SearchRequest): Promise<SearchResult> {
    const { words, lastIsPrefix } = queryWords(req.q);
    if (!words.length || !req.spaceIds.length) return empty();
    await this.ready();
    await this.refreshVocabulary();
    if (words.some(hasCjk)) return this.withFilter(req, (tx, filter) => this.substringSearch(tx, words, filter, req));
    // Which words are known, and which corrections and completions stand for the others, is decided
    // on the documents the caller may read (in the same transaction as the search), never on the
    // vocabulary of every space: it cannot tell whether a word occurs where the caller cannot read.
    return this.withFilter(req, async (tx, filter) => {
      const result = await this.wordQuery(tx, filter, words, lastIsPrefix, req);
      if (result && result.total > 0) return result;
      // Nothing as words (even with typos): try the words as parts of longer words.
      if (words.every((w) => w.length >= 3)) {
        const infix = await this.infixPlan(tx, filter, words);
        if (infix) return (await this.wordSearch(tx, infix, filter, req)).result;
      }
      return empty();
    });
  }

  /**
   * For each term, how many documents in the filter's scope match it (counting stops at `cap`):
   * one indexed look-up each, in one batch.
   */
  private async scopedCounts(tx: Transaction, terms: string[], filter: Filter, cap: number): Promise<Map<string, number>> {
    const unique = [...new Set(terms)];
    if (!unique.length) return new Map();
    const results = await tx.batch(
      unique.map((term) => ({
        sql: `SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ${cap})`,
        args: [this.matchFor(this.wordsExpression({ groups: [[{ term, prefix: false }]] }, null), filter)],
      })),
    );
    return new Map(unique.map((term, i) => [term, Number(results[i]!.rows[0]?.[0] ?? 0)]));
  }

  /**
   * The words written as such in a document of the filter's scope (not only a word of the same
   * stem: "replying" is not known because "replies" is): among the first KNOWN_SCAN documents that
   * match the word, one holds it as typed.
   */
  private async knownAsWritten(tx: Transaction, words: string[], filter: Filter): Promise<Set<string>> {
    const unique = [...new Set(words)];
    if (!unique.length) return new Set();
    const results = await tx.batch(
      unique.map((w) => ({
        sql: `SELECT count(*) FROM (SELECT 1 FROM (SELECT title, body, comments FROM search_fts WHERE search_fts MATCH ? LIMIT ${KNOWN_SCAN})
              WHERE (' ' || lower(title) || ' ' || lower(body) || ' ' || lower(comments) || ' ') GLOB ? LIMIT 1)`,
        // A query word holds only letters and digits, none of them GLOB syntax.
        args: [this.matchFor(this.wordsExpression({ groups: [[{ term: w, prefix: false }]] }, null), filter), `*[^a-z0-9]${w}[^a-z0-9]*`],
      })),
    );
    return new Set(unique.filter((_, i) => Number(results[i]!.rows[0]?.[0] ?? 0) > 0));
  }

  /** The terms (in their order) that match in the filter's scope. */
  private async visible(tx: Transaction, terms: string[], filter: Filter): Promise<string[]> {
    const counts = await this.scopedCounts(tx, terms, filter, 1);
    return terms.filter((t) => (counts.get(t) ?? 0) > 0);
  }

  /**
   * Runs a search in one read transaction with the cheapest exact space filter. When that filter
   * relies on knowing every space that has documents, the spaces are read in the same transaction
   * (a snapshot) and, if one appeared meanwhile, the search runs again with the new list.
   */
  private async withFilter(req: SearchRequest, run: (tx: Transaction, filter: Filter) => Promise<SearchResult>): Promise<SearchResult> {
    for (let attempt = 0; ; attempt++) {
      const filter = this.filterFor(req, attempt >= 2);
      const tx = await this.client.transaction('read');
      try {
        if (filter.universe) {
          const spaces = (await tx.execute(UNIVERSE_SQL)).rows.map((r) => String(r[0]));
          if (spaces.some((s) => !filter.universe!.has(s))) {
            this.setUniverse(spaces);
            continue;
          }
        }
        return await run(tx, filter);
      } finally {
        tx.close();
      }
    }
  }

  private filterFor(req: SearchRequest, listReadable: boolean): Filter {
    const positive: string[] = [];
    if (req.kind) positive.push(`scope : ${quote(scopeToken('k', req.kind))}`);
    if (req.authorId) positive.push(`scope : ${quote(scopeToken('a', req.authorId))}`);
    const readable = new Set(req.spaceIds);
    const universe = this.universe;
    const spaces = (ids: Iterable<string>) => `scope : (${[...ids].map((s) => quote(scopeToken('s', s))).join(' OR ')})`;
    if (universe && !listReadable) {
      const hidden = [...universe].filter((s) => !readable.has(s));
      const shown = [...universe].filter((s) => readable.has(s)).length;
      if (!hidden.length) return { positive, negate: null, universe };
      if (hidden.length <= shown) return { positive, negate: spaces(hidden), universe };
    }
    positive.push(spaces(readable));
    return { positive, negate: null, universe: null };
  }

  /** The MATCH for a table: the words (in the given columns, or any), the filters. */
  private matchFor(words: string, filter: Filter): string {
    const expr = [words, ...filter.positive].map((p) => `(${p})`).join(' AND ');
    return filter.negate ? `(${expr}) NOT (${filter.negate})` : expr;
  }

  private wordsExpression(plan: Plan, columns: string | null): string {
    const groups = plan.groups.map((g) => `(${g.map((t) => quote(t.term) + (t.prefix ? '*' : '')).join(' OR ')})`).join(' AND ');
    const risky = plan.groups.some((g) => g.some((t) => couldBeScopeToken(porterStem(foldWord(t.term)), t.prefix)));
    return columns ? `${columns} : (${groups})` : risky ? `{title body comments} : (${groups})` : groups;
  }

  /**
   * One group per word: the word itself, its completions while typed, or its typo corrections. A
   * word is known (and so not corrected) when it is written as such in a document of the caller's
   * scope; a correction or a completion is used only when it matches there too. Null when a word
   * has neither a match nor a correction there.
   *
   * Most words are known, so the search first runs with every finished word as typed: each word
   * found as written in one of the hits it returns (documents of the caller's scope) is known
   * without a look-up of its own, and when all are, that is the answer. Only the others are looked
   * up (`knownAsWritten`); a single word with no match at all in the scope is not known either.
   */
  private async wordQuery(tx: Transaction, filter: Filter, words: string[], lastIsPrefix: boolean, req: SearchRequest): Promise<SearchResult | null> {
    const last = words.length - 1;
    const numeric = (w: string) => /\p{N}/u.test(w); // ids, versions: matched as written, never corrected
    const isPrefix = (i: number) => i === last && lastIsPrefix;
    const asTyped = [...new Set(words.filter((w, i) => !isPrefix(i) && w.length >= 3 && !numeric(w)))];
    const prefix = lastIsPrefix ? await this.prefixGroup(tx, filter, words[last]!, foldWord(words[last]!), numeric(words[last]!)) : null;
    const planFor = async (known: Set<string>): Promise<Plan | null> => {
      const groups: Term[][] = [];
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        if (isPrefix(i) && prefix) {
          groups.push(prefix);
          continue;
        }
        if (!isPrefix(i) && (w.length < 3 || numeric(w) || known.has(w))) {
          groups.push([{ term: w, prefix: false }]);
          continue;
        }
        const fixes = await this.typoCandidates(tx, filter, foldWord(w));
        if (!fixes.length) return null;
        groups.push([{ term: w, prefix: false }, ...fixes.map((term) => ({ term, prefix: false }))]);
      }
      return { groups };
    };
    let known: Set<string>;
    if (asTyped.length && !(lastIsPrefix && !prefix)) {
      const { result, texts } = await this.wordSearch(tx, (await planFor(new Set(asTyped)))!, filter, req);
      known = new Set(asTyped.filter((w) => texts.some((t) => writtenIn(t, w))));
      const unsure = asTyped.filter((w) => !known.has(w));
      if (!unsure.length) return result;
      // With no match in the scope (and no other condition), a single word is written in none of its documents.
      const unmatched = result.total === 0 && words.length === 1 && req.updatedSince === undefined;
      if (!unmatched) for (const w of await this.knownAsWritten(tx, unsure, filter)) known.add(w);
      if (asTyped.every((w) => known.has(w))) return result;
    } else {
      known = await this.knownAsWritten(tx, asTyped, filter);
    }
    const plan = await planFor(known);
    if (!plan) return null;
    return (await this.wordSearch(tx, plan, filter, req)).result;
  }

  /** Words starting with `prefix`, most used first: those held in memory, and those on disk when not all fit. */
  private async completions(tx: Transaction, prefix: string): Promise<string[]> {
    const held = this.vocab.completions(prefix);
    if (this.vocab.complete || !prefix) return held;
    const end = prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);
    const rows = await tx.execute({ sql: `SELECT term, docs FROM search_vocab WHERE term >= ? AND term < ? ORDER BY term LIMIT ${DISK_COMPLETIONS}`, args: [prefix, end] });
    const docs = new Map<string, number>(held.map((w) => [w, this.vocab.docs(w)]));
    for (const r of rows.rows) docs.set(String(r[0]), Math.max(docs.get(String(r[0])) ?? 0, Number(r[1])));
    return [...docs.keys()].sort((a, b) => docs.get(b)! - docs.get(a)! || a.length - b.length);
  }

  /**
   * The word being typed, as the words that start with it: FTS5 cannot match it as a prefix itself,
   * because its porter tokenizer stems the prefix too ("fas" becomes "fa"). Null when no word the
   * caller may read starts with it (then it may be a typo).
   */
  private async prefixGroup(tx: Transaction, filter: Filter, w: string, folded: string, numeric: boolean): Promise<Term[] | null> {
    if (numeric) return [{ term: w, prefix: true }];
    // One word per stem (the most used), the first PREFIX_CHECK; a word of the typed word's own
    // stem is matched by the typed word itself, so it only tells whether the group matches.
    const ownStem = porterStem(folded);
    const stems = new Set<string>();
    const candidates: string[] = [];
    let own: string | null = null;
    for (const c of await this.completions(tx, folded)) {
      const stem = porterStem(c);
      if (stems.has(stem)) continue;
      stems.add(stem);
      if (stem === ownStem) own = c;
      else candidates.push(c);
      if (candidates.length >= PREFIX_CHECK) break;
    }
    const visible = await this.visible(tx, own === null ? candidates : [own, ...candidates], filter);
    if (!visible.length) return w.length < 3 ? [{ term: w, prefix: false }] : null;
    const completions = visible.filter((c) => c !== own);
    const group: Term[] = [{ term: w, prefix: false }];
    let postings = 0;
    for (const c of completions) {
      const n = this.vocab.docs(c);
      if (group.length > PREFIX_MIN_EXPANSIONS && (postings + n > PREFIX_POSTINGS || group.length > PREFIX_MAX_EXPANSIONS)) break;
      group.push({ term: c, prefix: false });
      postings += n;
    }
    return group;
  }

  /**
   * Words within the word's typo budget that match in the caller's scope: the closest, then those
   * with the most documents there.
   */
  private async typoCandidates(tx: Transaction, filter: Filter, word: string): Promise<string[]> {
    const budget = typoBudget(word);
    if (budget === 0) return [];
    const candidates = this.vocab.corrections(word, budget, TYPO_CHECK);
    // Only the closest that match in the scope: a word one edit away is what was meant far more
    // often than one two away (and every extra correction adds a doclist to merge). So the
    // candidates are looked up a distance at a time, closest first, and the farther ones only when
    // none of the closer ones matches in the scope.
    for (const d of [...new Set(candidates.map((c) => c.d))].sort((a, b) => a - b)) {
      const tier = candidates.filter((c) => c.d === d);
      const counts = await this.scopedCounts(tx, tier.map((c) => c.term), filter, SCOPED_COUNT_CAP);
      const found = tier.filter((c) => (counts.get(c.term) ?? 0) > 0);
      if (!found.length) continue;
      return found
        .sort((a, b) => counts.get(b.term)! - counts.get(a.term)! || (a.term < b.term ? -1 : 1))
        .slice(0, MAX_TYPO_CANDIDATES)
        .map((c) => c.term);
    }
    return [];
  }

  /** Each word as the words that contain it and match in the caller's scope (for parts of words: "book" in "handbook"). */
  private async infixPlan(tx: Transaction, filter: Filter, words: string[]): Promise<Plan | null> {
    const groups: Term[][] = [];
    for (const w of words) {
      const found = (await this.visible(tx, this.vocab.containing(foldWord(w), INFIX_CHECK), filter)).slice(0, INFIX_EXPANSIONS);
      if (!found.length) return null;
      groups.push(found.map((term) => ({ term, prefix: false })));
    }
    return { groups, substrings: words };
  }

  /**
   * About how many documents a plan can match, from the vocabulary's counts (all spaces, surface
   * words only): the rarest group's, or, for several groups, what they would share if independent
   * (four times that, as words of one text go together). A guess, used only to choose how to rank,
   * never to decide what matches.
   */
  private estimate(plan: Plan): number {
    let least = Infinity;
    let product = 1;
    const n = Math.max(1, this.docCount);
    for (const g of plan.groups) {
      let sum = 0;
      for (const t of g) sum += t.prefix ? Infinity : this.vocab.docs(foldWord(t.term));
      least = Math.min(least, sum);
      product *= Math.min(1, sum / n);
    }
    return plan.groups.length > 1 ? Math.min(least, 4 * n * product) : least;
  }

  private async wordSearch(tx: Transaction, plan: Plan, filter: Filter, req: SearchRequest): Promise<{ result: SearchResult; texts: string[] }> {
    const match = this.matchFor(this.wordsExpression(plan, null), filter);
    const since = req.updatedSince;
    const dateJoin = since === undefined ? '' : 'CROSS JOIN search_docs d ON d.rowid = f.rowid';
    const dateWhere = since === undefined ? '' : 'AND d.updated_at >= ?';
    const args = (m: string) => (since === undefined ? [m] : [m, since]);
    let total = -1;
    let top: number[] = [];
    if (this.estimate(plan) <= FULL_RANK) {
      // Probably few matches: ranked and counted in one walk of the doclists (up to FULL_RANK + 1).
      const ranked = await tx.execute({
        sql: `SELECT rowid, n FROM (
                SELECT rowid, r, count(*) OVER () AS n FROM (
                  SELECT f.rowid AS rowid, ${BM25} AS r FROM search_fts f ${dateJoin}
                  WHERE search_fts MATCH ? ${dateWhere} LIMIT ${FULL_RANK + 1}))
              ORDER BY r, rowid LIMIT ${req.limit}`,
        args: args(match),
      });
      const n = ranked.rows.length ? Number(ranked.rows[0]![1]) : 0;
      if (n <= FULL_RANK) [total, top] = [n, ranked.rows.map((r) => Number(r[0]))];
    }
    if (total < 0) {
      const counted = await tx.execute({ sql: `SELECT count(*) FROM search_fts f ${dateJoin} WHERE search_fts MATCH ? ${dateWhere}`, args: args(match) });
      total = Number(counted.rows[0]?.[0] ?? 0);
      if (total > 0 && total <= FULL_RANK) {
        const ranked = await tx.execute({
          sql: `SELECT f.rowid FROM search_fts f ${dateJoin} WHERE search_fts MATCH ? ${dateWhere}
                ORDER BY ${BM25} LIMIT ${req.limit}`,
          args: args(match),
        });
        top = ranked.rows.map((r) => Number(r[0]));
      } else if (total > FULL_RANK) {
        const titleMatch = this.matchFor(this.wordsExpression(plan, 'title'), filter);
        const titleJoin = dateJoin.replace('f.rowid', 't.rowid');
        const [titles, recent] = await tx.batch([
          { sql: `SELECT t.rowid FROM search_titles t ${titleJoin} WHERE search_titles MATCH ? ${dateWhere} ORDER BY t.rowid DESC LIMIT ${req.limit}`, args: args(titleMatch) },
          { sql: `SELECT f.rowid FROM search_fts f ${dateJoin} WHERE search_fts MATCH ? ${dateWhere} ORDER BY f.rowid DESC LIMIT ${req.limit * 2}`, args: args(match) },
        ]);
        top = [...new Set([...titles!.rows, ...recent!.rows].map((r) => Number(r[0])))].slice(0, req.limit);
      }
    }
    if (total === 0) return { result: empty(), texts: [] };
    const matcher = termMatcher(plan.groups.flat());
    const substrings = plan.substrings;
    const { hits, texts } = await this.hitsFor(tx, top, (body, comments) => (substrings ? substringSnippetOf(body, comments, substrings) : snippetOf(body, comments, matcher)));
    return { result: { hits, total }, texts };
  }

  /** Titles, text, comments and fields of the chosen rows (rowid lookups, no MATCH), in the given order. */
  private async hitsFor(tx: Transaction, rowids: number[], snippet: (body: string, comments: string) => string): Promise<{ hits: SearchHit[]; texts: string[] }> {
    if (!rowids.length) return { hits: [], texts: [] };
    const rows = await tx.execute({
      sql: `SELECT d.rowid, d.doc_id, d.space_id, d.kind, d.updated_at, f.title, f.body, f.comments
            FROM search_docs d CROSS JOIN search_fts f ON f.rowid = d.rowid WHERE d.rowid IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(rowids)],
    });
    const byId = new Map<number, Row>(rows.rows.map((r) => [Number(r[0]), r]));
    const texts = rows.rows.flatMap((r) => [String(r[5]), String(r[6]), String(r[7] ?? '')]);
    const hits = rowids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      const snip = snippet(String(r[6]), String(r[7] ?? ''));
      return [{ docId: String(r[1]), title: String(r[5]), snippet: snip, spaceId: String(r[2]), kind: String(r[3]) as SearchHit['kind'], updatedAt: Number(r[4]) }];
    });
    return { hits, texts };
  }

  /**
   * Substring search over the trigram index, which holds the CJK words of titles and texts (written
   * without spaces, so the word index cannot split them). Words of three or more characters are
   * matched through the index; shorter ones (two CJK characters make a word) are checked on the
   * candidates' CJK text; other words of the query must match in the word index.
   */
  private async substringSearch(tx: Transaction, words: string[], filter: Filter, req: SearchRequest): Promise<SearchResult> {
    const cjk = words.filter(hasCjk);
    const indexed = cjk.filter((w) => [...w].length >= 3);
    const short = cjk.filter((w) => [...w].length < 3);
    const latin = words.filter((w) => !hasCjk(w));
    const trigramWords = indexed.length ? indexed.map((w) => `{title body comments} : ${quote(w)}`).join(' AND ') : null;
    const conditions: string[] = [];
    const args: InValue[] = [];
    if (trigramWords) {
      conditions.push('search_trigram MATCH ?');
      args.push(this.matchFor(trigramWords, filter));
    } else {
      // No word long enough for the index: every CJK document (there are few) that passes the filter.
      if (filter.positive.length) {
        conditions.push('search_trigram MATCH ?');
        args.push(filter.positive.map((p) => `(${p})`).join(' AND '));
      }
      if (filter.negate) {
        conditions.push('t.rowid NOT IN (SELECT rowid FROM search_trigram WHERE search_trigram MATCH ?)');
        args.push(filter.negate);
      }
    }
    for (const w of short) {
      conditions.push(`instr(t.title || ' ' || t.body || ' ' || t.comments, ?) > 0`);
      args.push(w);
    }
    if (latin.length) {
      conditions.push('t.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)');
      args.push(this.wordsExpression({ groups: latin.map((w) => [{ term: w, prefix: false }]) }, '{title body comments}'));
    }
    if (req.updatedSince !== undefined) {
      conditions.push('d.updated_at >= ?');
      args.push(req.updatedSince);
    }
    const where = conditions.join(' AND ');
    const [rows, total] = await tx.batch([
      {
        sql: `SELECT t.rowid, t.title FROM search_trigram t CROSS JOIN search_docs d ON d.rowid = t.rowid WHERE ${where} ORDER BY t.rowid DESC LIMIT ${FULL_RANK}`,
        args,
      },
      { sql: `SELECT count(*) FROM search_trigram t CROSS JOIN search_docs d ON d.rowid = t.rowid WHERE ${where}`, args },
    ]);
    const scored = rows!.rows.map((r) => {
      const title = String(r[1]).toLowerCase();
      return { id: Number(r[0]), score: words.filter((w) => title.includes(w)).length * 10 + 1 };
    });
    scored.sort((a, b) => b.score - a.score || b.id - a.id);
    const { hits } = await this.hitsFor(
      tx,
      scored.slice(0, req.limit).map((s) => s.id),
      (body, comments) => substringSnippetOf(body, comments, words),
    );
    return { hits, total: Number(total!.rows[0]?.[0] ?? 0) };
  }
}

/** A hit's snippet: from the comment holding more of the query than the body's best window, else from the body. */
function snippetOf(body: string, comments: string, matcher: TermMatcher): string {
  const inBody = scoredWordSnippet(body, matcher);
  if (!comments) return inBody.html;
  const inComment = commentSnippet(comments, matcher);
  return inComment && inComment.hits > inBody.hits ? inComment.html : inBody.html;
}
