import type { Client, InStatement, InValue, Row, Transaction } from '@libsql/client';
import type { IndexedDoc, SearchHit, SearchIndex, SearchRequest, SearchResult } from '../../domain/ports.ts';
import {
  cjkWords,
  cleanIndexText,
  couldBeScopeToken,
  editDistance,
  foldWord,
  hasCjk,
  porterStem,
  queryWords,
  substringSnippet,
  termMatcher,
  typoBudget,
  forEachVocabularyWord,
  wordSnippet,
} from './search-text.ts';

/**
 * The embedded search engine: SQLite FTS5 in the same libSQL database (tables from migration
 * 0001_search_index, plus what `setup()` adds). Words go through a Porter/unicode61 index
 * (`search_fts`, title weighted 10× in bm25) and a small index of titles alone (`search_titles`);
 * Chinese, Japanese and Korean text through a trigram index (`search_trigram`, which holds only the
 * CJK words); the word being typed, typos and parts of words through the vocabulary (`search_vocab`
 * with document counts, held in memory with a trigram map for corrections). Permission and facet
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
 *    `snippet()` or any MATCH restricted to a rowid walks the whole doclist again for each hit.
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
/** Document counts of known words are written in bulk, at most this often or past this many words. */
const COUNTS_FLUSH_MS = 10_000;
const COUNTS_FLUSH_WORDS = 50_000;
const INSERT_CHUNK = 400;

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
  /** About how many documents used the word (for choosing among completions and corrections). */
  docs: number;
  /** Documents counted here and not yet added to `search_vocab.docs`. */
  pending: number;
  /** The last document that counted it (so a document counts once). */
  last: number;
  /** Whether `search_vocab` holds the word. */
  stored: boolean;
}

/**
 * The vocabulary in memory: every indexed word (folded, 3–30 letters) with about how many
 * documents used it, bucketed by its first letters for prefix completion. Loaded at setup, counted
 * while documents are indexed (one long-lived map, updated in place), and refreshed once a second
 * with the words other processes added.
 */
class Vocabulary {
  readonly entries = new Map<string, VocabEntry>();
  private readonly byTwo = new Map<string, string[]>();
  private readonly byOne = new Map<string, string[]>();
  /** Stored words by id, and the ids of the words holding each trigram (of the word padded with spaces). */
  private readonly words: string[] = [];
  private readonly grams = new Map<string, number[]>();
  private shared = new Int32Array(1024);
  private serial = 0;
  private fresh: string[] = [];
  /** Stored words with pending counts. */
  dirty = 0;
  lastId = 0;
  refreshedAt = 0;

  docs(term: string): number {
    return this.entries.get(term)?.docs ?? 0;
  }

  has(term: string): boolean {
    return this.entries.has(term);
  }

  private readonly visit = (w: string) => {
    let e = this.entries.get(w);
    if (e === undefined) {
      e = { id: -1, docs: 0, pending: 0, last: 0, stored: false };
      this.entries.set(w, e);
      this.fresh.push(w);
    }
    if (e.last !== this.serial) {
      e.last = this.serial;
      e.docs++;
      if (e.pending++ === 0 && e.stored) this.dirty++;
    }
  };

  /** Counts the words of one document (its title and text); words never seen go to `fresh`. */
  countDocument(texts: string[], fresh: string[]): void {
    this.serial++;
    this.fresh = fresh;
    for (const t of texts) forEachVocabularyWord(t, this.visit);
  }

  /** After a write: the new words are stored (and completable), or forgotten if it failed. */
  settleFresh(fresh: Array<[string, number]>, stored: boolean): void {
    for (const [w, n] of fresh) {
      const e = this.entries.get(w);
      if (!e) continue;
      if (!stored) {
        if (!e.stored) this.entries.delete(w);
        continue;
      }
      e.pending = Math.max(0, e.pending - n);
      if (!e.stored) this.store(w, e);
    }
  }

  /** A word read from `search_vocab` (at setup, or added by another process). */
  load(term: string, docs: number): void {
    if (this.entries.get(term)?.stored) return;
    const e: VocabEntry = { id: -1, docs, pending: 0, last: 0, stored: false };
    this.entries.set(term, e);
    this.store(term, e);
  }

  /** Makes a word completable and correctable. */
  private store(w: string, e: VocabEntry): void {
    e.stored = true;
    e.id = this.words.length;
    this.words.push(w);
    push(this.byOne, w.slice(0, 1), w);
    push(this.byTwo, w.slice(0, 2), w);
    for (const g of paddedTrigrams(w)) {
      const ids = this.grams.get(g);
      if (ids) ids.push(e.id);
      else this.grams.set(g, [e.id]);
    }
  }

  /**
   * The stored words closest to `word` (within `budget` edits), most used first: the words sharing
   * the most trigrams with it are shortlisted by counting, and only those are measured.
   */
  corrections(word: string, budget: number, max: number): string[] {
    if (this.shared.length < this.words.length) this.shared = new Int32Array(this.words.length * 2);
    const shared = this.shared;
    const touched: number[] = [];
    const grams = paddedTrigrams(word);
    for (const g of grams) {
      for (const id of this.grams.get(g) ?? []) {
        if (Math.abs(this.words[id]!.length - word.length) > budget) continue;
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
    // Only the closest: a word one edit away is what was meant far more often than one two away
    // (and every extra correction adds a doclist to merge).
    const closest = Math.min(...scored.map((x) => x.d));
    return scored
      .filter((x) => x.d === closest)
      .sort((a, b) => b.n - a.n || (a.term < b.term ? -1 : 1))
      .slice(0, max)
      .map((x) => x.term);
  }

  /** Stored words that contain `part` (three letters or more), most used first. */
  containing(part: string, max: number): string[] {
    const grams = [...new Set(trigrams(part))];
    if (!grams.length) return [];
    const lists = grams.map((g) => this.grams.get(g) ?? []);
    const shortest = lists.reduce((a, b) => (b.length < a.length ? b : a));
    const found = shortest.map((id) => this.words[id]!).filter((w) => w.includes(part));
    return found.sort((a, b) => this.docs(b) - this.docs(a) || a.length - b.length).slice(0, max);
  }

  /** Stored words with counts not yet written. */
  pendingCounts(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [w, e] of this.entries) if (e.stored && e.pending > 0) out.push([w, e.pending]);
    return out;
  }

  settlePending(written: Array<[string, number]>): void {
    for (const [w, n] of written) {
      const e = this.entries.get(w);
      if (e) e.pending = Math.max(0, e.pending - n);
    }
    this.dirty = 0;
  }

  /** Stored words starting with `prefix`, most used first. */
  completions(prefix: string): string[] {
    const bucket = (prefix.length === 1 ? this.byOne.get(prefix) : this.byTwo.get(prefix.slice(0, 2))) ?? [];
    return bucket.filter((w) => w.startsWith(prefix)).sort((a, b) => this.docs(b) - this.docs(a) || a.length - b.length);
  }

  resetCounts(): void {
    for (const e of this.entries.values()) [e.docs, e.pending] = [0, 0];
    this.dirty = 0;
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
  private readonly vocab = new Vocabulary();
  /** The spaces that hold documents (a superset is fine), or null when there are too many to rely on. */
  private universe: Set<string> | null = new Set();
  private readyPromise: Promise<void> | null = null;
  private countsFlushedAt = Date.now();

  constructor(private readonly client: Client) {}

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

  /** Loads the vocabulary and the spaces (the tables come from migration 0001_search_index). */
  private async prepare(): Promise<void> {
    await this.refreshVocabulary(true);
    const spaces = await this.client.execute(UNIVERSE_SQL);
    this.setUniverse(spaces.rows.map((r) => String(r[0])));
  }

  private setUniverse(spaces: string[]): void {
    this.universe = spaces.length > UNIVERSE_LIMIT ? null : new Set(spaces);
  }

  /** Words other processes added since the last look (all of them on the first). */
  private async refreshVocabulary(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.vocab.refreshedAt < VOCAB_REFRESH_MS) return;
    this.vocab.refreshedAt = now;
    const rows = await this.client.execute({ sql: 'SELECT id, term, docs FROM search_vocab WHERE id > ? ORDER BY id', args: [this.vocab.lastId] });
    for (const r of rows.rows) this.vocab.load(String(r[1]), Number(r[2]));
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

  async upsert(docs: IndexedDoc[]): Promise<void> {
    if (!docs.length) return;
    await this.ready();
    const latest = [...new Map(docs.map((d) => [d.docId, d])).values()];
    const freshWords: string[] = [];
    const prepared = latest.map((doc) => {
      const title = cleanIndexText(doc.title);
      const body = cleanIndexText(doc.text);
      this.vocab.countDocument([title, body], freshWords);
      const scope = [scopeToken('s', doc.spaceId), scopeToken('k', doc.kind), ...doc.authors.map((a) => scopeToken('a', a))].join(' ');
      return { doc, title, body, scope, cjkTitle: cjkWords(title), cjkBody: cjkWords(body) };
    });
    // New words are written now (every process's typo and prefix vocabulary needs them); the
    // counts of known words are summed in memory and written in bulk now and then.
    const fresh = freshWords.map((w): [string, number] => [w, this.vocab.entries.get(w)?.pending ?? 1]);
    const flush = this.vocab.dirty >= COUNTS_FLUSH_WORDS || Date.now() - this.countsFlushedAt >= COUNTS_FLUSH_MS;
    const counts = flush ? this.vocab.pendingCounts() : [];
    const addCounts = ' ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs';
    let stored = false;
    const tx = await this.client.transaction('write');
    try {
      const [old, max] = await tx.batch([
        { sql: 'SELECT rowid FROM search_docs WHERE doc_id IN (SELECT value FROM json_each(?))', args: [JSON.stringify(latest.map((d) => d.docId))] },
        'SELECT coalesce(max(rowid), 0) FROM search_docs',
      ]);
      // New rowids above every current one: "ORDER BY rowid DESC" walks the most recently changed first.
      const base = Number(max!.rows[0]![0]) + 1;
      const rows = prepared.map((p, i) => ({ ...p, rowid: base + i }));
      await tx.batch([
        ...this.deleteByRowids(old!.rows.map((r) => Number(r[0]))),
        ...insertRows(
          'search_docs',
          ['rowid', 'doc_id', 'space_id', 'kind', 'authors', 'updated_at', 'revision'],
          rows.map((r) => [r.rowid, r.doc.docId, r.doc.spaceId, r.doc.kind, r.doc.authors.join(' '), r.doc.updatedAt, r.doc.revision]),
        ),
        ...insertRows('search_fts', ['rowid', 'title', 'body', 'scope'], rows.map((r) => [r.rowid, r.title, r.body, r.scope])),
        ...insertRows('search_titles', ['rowid', 'title', 'scope'], rows.map((r) => [r.rowid, r.title, r.scope])),
        ...insertRows(
          'search_trigram',
          ['rowid', 'title', 'body', 'scope'],
          rows.filter((r) => r.cjkTitle || r.cjkBody).map((r) => [r.rowid, r.cjkTitle, r.cjkBody, r.scope]),
        ),
        ...insertRows('search_vocab', ['term', 'docs'], fresh, addCounts),
        ...insertRows('search_vocab', ['term', 'docs'], counts, addCounts),
      ]);
      await tx.commit();
      stored = true;
    } finally {
      tx.close();
      this.vocab.settleFresh(fresh, stored);
    }
    if (flush) {
      this.vocab.settlePending(counts);
      this.countsFlushedAt = Date.now();
    }
    for (const d of latest) this.universe?.add(d.spaceId);
  }

  /** Writes the document counts summed in memory (at the end of a rebuild). */
  private async flushCounts(): Promise<void> {
    const counts = this.vocab.pendingCounts();
    if (counts.length) await this.client.batch(insertRows('search_vocab', ['term', 'docs'], counts, ' ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs'), 'write');
    this.vocab.settlePending(counts);
    this.countsFlushedAt = Date.now();
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
    try {
      const old = await tx.execute({ sql: 'SELECT rowid FROM search_docs WHERE doc_id IN (SELECT value FROM json_each(?))', args: [JSON.stringify(docIds)] });
      const statements = this.deleteByRowids(old.rows.map((r) => Number(r[0])));
      if (statements.length) await tx.batch(statements);
      await tx.commit();
    } finally {
      tx.close();
    }
  }

  async indexedRevisions(): Promise<Map<string, number>> {
    const rows = await this.client.execute('SELECT doc_id, revision FROM search_docs');
    return new Map(rows.rows.map((r) => [String(r[0]), Number(r[1])]));
  }

  async rebuild(batches: AsyncIterable<IndexedDoc[]>, onProgress?: (indexed: number) => void): Promise<void> {
    await this.ready();
    // The word and trigram tables store their content, so they are emptied with DELETE ('delete-all'
    // is only for contentless and external-content tables, and fails there); the title index is
    // contentless. Vocabulary counts start again from zero (the words stay, for typo tolerance).
    await this.client.batch(
      [
        'DELETE FROM search_docs',
        'DELETE FROM search_fts',
        'DELETE FROM search_trigram',
        "INSERT INTO search_titles (search_titles) VALUES ('delete-all')",
        'UPDATE search_vocab SET docs = 0',
      ],
      'write',
    );
    this.vocab.resetCounts();
    let done = 0;
    for await (const batch of batches) {
      await this.upsert(batch);
      onProgress?.((done += batch.length));
    }
    await this.flushCounts();
    await this.client.batch(
      ['search_fts', 'search_titles', 'search_trigram'].map((t) => `INSERT INTO ${t} (${t}) VALUES ('optimize')`),
      'write',
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Querying

  async search(req: SearchRequest): Promise<SearchResult> {
    const { words, lastIsPrefix } = queryWords(req.q);
    if (!words.length || !req.spaceIds.length) return empty();
    await this.ready();
    await this.refreshVocabulary();
    if (words.some(hasCjk)) return this.withFilter(req, (tx, filter) => this.substringSearch(tx, words, filter, req));
    const plan = this.wordPlan(words, lastIsPrefix);
    if (plan) {
      const result = await this.withFilter(req, (tx, filter) => this.wordSearch(tx, plan, filter, req));
      if (result.total > 0) return result;
    }
    // Nothing as words (even with typos): try the words as parts of longer words.
    if (words.every((w) => w.length >= 3)) {
      const infix = this.infixPlan(words);
      if (infix) return this.withFilter(req, (tx, filter) => this.wordSearch(tx, infix, filter, req));
    }
    return empty();
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
    return columns ? `${columns} : (${groups})` : risky ? `{title body} : (${groups})` : groups;
  }

  /** One group per word: the word itself, its completions while typed, or its typo corrections. */
  private wordPlan(words: string[], lastIsPrefix: boolean): Plan | null {
    const groups: Term[][] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const folded = foldWord(w);
      const numeric = /\p{N}/u.test(w); // ids, versions: matched as written, never corrected
      if (i === words.length - 1 && lastIsPrefix) {
        const group = this.prefixGroup(w, folded, numeric);
        if (group) {
          groups.push(group);
          continue;
        }
      } else if (this.vocab.has(folded) || w.length < 3 || numeric) {
        groups.push([{ term: w, prefix: false }]);
        continue;
      }
      const fixes = this.typoCandidates(folded);
      if (!fixes.length) return null;
      groups.push([{ term: w, prefix: false }, ...fixes.map((term) => ({ term, prefix: false }))]);
    }
    return { groups };
  }

  /**
   * The word being typed, as the words that start with it: FTS5 cannot match it as a prefix itself,
   * because its porter tokenizer stems the prefix too ("fas" becomes "fa"). Null when no indexed
   * word starts with it (then it may be a typo).
   */
  private prefixGroup(w: string, folded: string, numeric: boolean): Term[] | null {
    if (numeric) return [{ term: w, prefix: true }];
    const completions = this.vocab.completions(folded);
    if (!completions.length) return w.length < 3 ? [{ term: w, prefix: false }] : null;
    const group: Term[] = [{ term: w, prefix: false }];
    const stems = new Set([porterStem(folded)]);
    let postings = 0;
    for (const c of completions) {
      const stem = porterStem(c);
      if (stems.has(stem)) continue;
      const n = this.vocab.docs(c);
      if (group.length > PREFIX_MIN_EXPANSIONS && (postings + n > PREFIX_POSTINGS || group.length > PREFIX_MAX_EXPANSIONS)) break;
      stems.add(stem);
      group.push({ term: c, prefix: false });
      postings += n;
    }
    return group;
  }

  /** Vocabulary words within the word's typo budget, closest and most used first. */
  private typoCandidates(word: string): string[] {
    const budget = typoBudget(word);
    return budget === 0 ? [] : this.vocab.corrections(word, budget, MAX_TYPO_CANDIDATES);
  }

  /** Each word as the vocabulary words that contain it (for parts of words: "book" in "handbook"). */
  private infixPlan(words: string[]): Plan | null {
    const groups: Term[][] = [];
    for (const w of words) {
      const found = this.vocab.containing(foldWord(w), INFIX_EXPANSIONS);
      if (!found.length) return null;
      groups.push(found.map((term) => ({ term, prefix: false })));
    }
    return { groups, substrings: words };
  }

  private async wordSearch(tx: Transaction, plan: Plan, filter: Filter, req: SearchRequest): Promise<SearchResult> {
    const match = this.matchFor(this.wordsExpression(plan, null), filter);
    const since = req.updatedSince;
    const dateJoin = since === undefined ? '' : 'CROSS JOIN search_docs d ON d.rowid = f.rowid';
    const dateWhere = since === undefined ? '' : 'AND d.updated_at >= ?';
    const args = (m: string) => (since === undefined ? [m] : [m, since]);
    const counted = await tx.execute({ sql: `SELECT count(*) FROM search_fts f ${dateJoin} WHERE search_fts MATCH ? ${dateWhere}`, args: args(match) });
    const total = Number(counted.rows[0]?.[0] ?? 0);
    if (total === 0) return empty();
    let top: number[];
    if (total <= FULL_RANK) {
      const ranked = await tx.execute({
        sql: `SELECT f.rowid FROM search_fts f ${dateJoin} WHERE search_fts MATCH ? ${dateWhere}
              ORDER BY bm25(search_fts, 10.0, 1.0, 0.0) LIMIT ${req.limit}`,
        args: args(match),
      });
      top = ranked.rows.map((r) => Number(r[0]));
    } else {
      const titleMatch = this.matchFor(this.wordsExpression(plan, 'title'), filter);
      const titleJoin = dateJoin.replace('f.rowid', 't.rowid');
      const [titles, recent] = await tx.batch([
        { sql: `SELECT t.rowid FROM search_titles t ${titleJoin} WHERE search_titles MATCH ? ${dateWhere} ORDER BY t.rowid DESC LIMIT ${req.limit}`, args: args(titleMatch) },
        { sql: `SELECT f.rowid FROM search_fts f ${dateJoin} WHERE search_fts MATCH ? ${dateWhere} ORDER BY f.rowid DESC LIMIT ${req.limit * 2}`, args: args(match) },
      ]);
      top = [...new Set([...titles!.rows, ...recent!.rows].map((r) => Number(r[0])))].slice(0, req.limit);
    }
    const matcher = termMatcher(plan.groups.flat());
    const hits = await this.hitsFor(tx, top, (body) => (plan.substrings ? substringSnippet(body, plan.substrings) : wordSnippet(body, matcher)));
    return { hits, total };
  }

  /** Titles, text and fields of the chosen rows (rowid lookups, no MATCH), in the given order. */
  private async hitsFor(tx: Transaction, rowids: number[], snippet: (body: string) => string): Promise<SearchHit[]> {
    if (!rowids.length) return [];
    const rows = await tx.execute({
      sql: `SELECT d.rowid, d.doc_id, d.space_id, d.kind, d.updated_at, f.title, f.body
            FROM search_docs d CROSS JOIN search_fts f ON f.rowid = d.rowid WHERE d.rowid IN (SELECT value FROM json_each(?))`,
      args: [JSON.stringify(rowids)],
    });
    const byId = new Map<number, Row>(rows.rows.map((r) => [Number(r[0]), r]));
    return rowids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      return [{ docId: String(r[1]), title: String(r[5]), snippet: snippet(String(r[6])), spaceId: String(r[2]), kind: String(r[3]) as SearchHit['kind'], updatedAt: Number(r[4]) }];
    });
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
    const trigramWords = indexed.length ? indexed.map((w) => `{title body} : ${quote(w)}`).join(' AND ') : null;
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
      conditions.push(`instr(t.title || ' ' || t.body, ?) > 0`);
      args.push(w);
    }
    if (latin.length) {
      conditions.push('t.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)');
      args.push(this.wordsExpression({ groups: latin.map((w) => [{ term: w, prefix: false }]) }, '{title body}'));
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
    const hits = await this.hitsFor(
      tx,
      scored.slice(0, req.limit).map((s) => s.id),
      (body) => substringSnippet(body, words),
    );
    return { hits, total: Number(total!.rows[0]?.[0] ?? 0) };
  }
}
