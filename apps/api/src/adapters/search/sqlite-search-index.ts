import type { Client, InStatement } from '@libsql/client';
import type { IndexedDoc, SearchHit, SearchIndex, SearchRequest, SearchResult } from '../../domain/ports.ts';
import {
  cleanIndexText,
  editDistance,
  hasCjk,
  MARK_CLOSE,
  MARK_OPEN,
  queryWords,
  snippetHtml,
  substringSnippet,
  typoBudget,
  vocabularyWords,
} from './search-text.ts';

/**
 * The embedded search engine: SQLite FTS5 in the same libSQL database (tables from migration
 * 0001_search_index). Words go through a Porter/unicode61 index with the title weighted 10×;
 * partial words and CJK text through a trigram index; a word that matches nothing is expanded to
 * vocabulary words within edit distance 1–2. Permission and facet filters are tokens in the
 * `scope` column, so they are intersected inside the MATCH (exact totals without a join).
 *
 * Ranking is bounded: bm25 is computed for at most the CANDIDATES most recently changed matches
 * (plus the most recent title matches), inside an FTS5 subquery with LIMIT — so a very common word
 * costs the same as a rare one, and relevance is exact whenever there are fewer matches than that.
 */
const CANDIDATES = 2000;
const TITLE_CANDIDATES = 500;
const MAX_TYPO_CANDIDATES = 6;

/** A filter token that survives the tokenizers unchanged: a letter, the id's hex, and a digit. */
export function scopeToken(prefix: 's' | 'k' | 'a', id: string): string {
  return `${prefix}${Buffer.from(id, 'utf8').toString('hex')}0`;
}

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

interface Plan {
  /** The FTS5 MATCH expression over title and body. */
  match: string;
  /** The same restricted to titles (for the title candidates). */
  titleMatch: string;
}

export class SqliteSearchIndex implements SearchIndex {
  readonly engine = 'sqlite' as const;
  private vocab: Set<string> | null = null;

  constructor(private readonly client: Client) {}

  async setup(): Promise<void> {
    await this.loadVocabulary();
  }

  private async loadVocabulary(): Promise<Set<string>> {
    if (this.vocab) return this.vocab;
    const rows = await this.client.execute('SELECT term FROM search_vocab');
    this.vocab = new Set(rows.rows.map((r) => String(r[0])));
    return this.vocab;
  }

  async health(): Promise<boolean> {
    try {
      await this.client.execute('SELECT 1 FROM search_docs LIMIT 1');
      return true;
    } catch {
      return false;
    }
  }

  async upsert(docs: IndexedDoc[]): Promise<void> {
    if (!docs.length) return;
    const vocab = await this.loadVocabulary();
    const statements: InStatement[] = [];
    const newWords = new Set<string>();
    for (const doc of docs) {
      statements.push(...this.deleteStatements(doc.docId));
      const title = cleanIndexText(doc.title);
      const body = cleanIndexText(doc.text);
      const scope = [scopeToken('s', doc.spaceId), scopeToken('k', doc.kind), ...doc.authors.map((a) => scopeToken('a', a))].join(' ');
      statements.push(
        {
          sql: `INSERT INTO search_docs (rowid, doc_id, space_id, kind, authors, updated_at, revision)
                VALUES ((SELECT coalesce(max(rowid), 0) + 1 FROM search_docs), ?, ?, ?, ?, ?, ?)`,
          args: [doc.docId, doc.spaceId, doc.kind, doc.authors.join(' '), doc.updatedAt, doc.revision],
        },
        { sql: 'INSERT INTO search_fts (rowid, title, body, scope) VALUES ((SELECT rowid FROM search_docs WHERE doc_id = ?), ?, ?, ?)', args: [doc.docId, title, body, scope] },
        { sql: 'INSERT INTO search_trigram (rowid, title, body, scope) VALUES ((SELECT rowid FROM search_docs WHERE doc_id = ?), ?, ?, ?)', args: [doc.docId, title, body, scope] },
      );
      for (const w of vocabularyWords(`${title} ${body}`)) if (!vocab.has(w)) newWords.add(w);
    }
    for (const w of newWords) {
      statements.push(
        { sql: 'INSERT INTO search_vocab (term) VALUES (?) ON CONFLICT (term) DO NOTHING', args: [w] },
        { sql: 'INSERT INTO search_vocab_trigram (rowid, term) SELECT id, term FROM search_vocab WHERE term = ? AND changes() > 0', args: [w] },
      );
    }
    await this.client.batch(statements, 'write');
    for (const w of newWords) vocab.add(w);
  }

  private deleteStatements(docId: string): InStatement[] {
    const old = '(SELECT rowid FROM search_docs WHERE doc_id = ?)';
    return [
      { sql: `DELETE FROM search_fts WHERE rowid = ${old}`, args: [docId] },
      { sql: `DELETE FROM search_trigram WHERE rowid = ${old}`, args: [docId] },
      { sql: 'DELETE FROM search_docs WHERE doc_id = ?', args: [docId] },
    ];
  }

  async remove(docIds: string[]): Promise<void> {
    if (!docIds.length) return;
    await this.client.batch(docIds.flatMap((id) => this.deleteStatements(id)), 'write');
  }

  async indexedRevisions(): Promise<Map<string, number>> {
    const rows = await this.client.execute('SELECT doc_id, revision FROM search_docs');
    return new Map(rows.rows.map((r) => [String(r[0]), Number(r[1])]));
  }

  async rebuild(batches: AsyncIterable<IndexedDoc[]>, onProgress?: (indexed: number) => void): Promise<void> {
    // Both FTS5 tables store their content, so they are emptied with DELETE ('delete-all' is only
    // for contentless and external-content tables, and fails here).
    await this.client.batch(['DELETE FROM search_docs', 'DELETE FROM search_fts', 'DELETE FROM search_trigram'], 'write');
    let done = 0;
    for await (const batch of batches) {
      await this.upsert(batch);
      onProgress?.((done += batch.length));
    }
    await this.client.batch(["INSERT INTO search_fts(search_fts) VALUES ('optimize')", "INSERT INTO search_trigram(search_trigram) VALUES ('optimize')"], 'write');
  }

  // ---------------------------------------------------------------------------------------------
  // Querying

  async search(req: SearchRequest): Promise<SearchResult> {
    const { words, lastIsPrefix } = queryWords(req.q);
    if (!words.length || !req.spaceIds.length) return { hits: [], total: 0 };
    const filter = this.filterExpression(req);
    if (words.some(hasCjk)) return this.substringSearch(words, filter, req);
    const plan = await this.wordPlan(words, lastIsPrefix);
    if (plan) {
      const result = await this.wordSearch(plan, filter, req);
      if (result.total > 0) return result;
    }
    // Nothing as words (even with typos): try the words as parts of longer words.
    if (words.every((w) => w.length >= 3)) return this.substringSearch(words, filter, req);
    return { hits: [], total: 0 };
  }

  private filterExpression(req: SearchRequest): string {
    const parts = [`scope : (${req.spaceIds.map((s) => quote(scopeToken('s', s))).join(' OR ')})`];
    if (req.kind) parts.push(`scope : ${quote(scopeToken('k', req.kind))}`);
    if (req.authorId) parts.push(`scope : ${quote(scopeToken('a', req.authorId))}`);
    return parts.join(' AND ');
  }

  /** One group per word: the word itself, its prefix while typed, or its typo corrections. */
  private async wordPlan(words: string[], lastIsPrefix: boolean): Promise<Plan | null> {
    const vocab = await this.loadVocabulary();
    const groups: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const isLast = i === words.length - 1;
      const alternatives = [quote(w) + (isLast && lastIsPrefix ? '*' : '')];
      const known = vocab.has(w) || (isLast && lastIsPrefix && (await this.hasPrefix(w))) || w.length < 3 || /^\p{N}+$/u.test(w);
      if (!known) {
        const fixes = await this.typoCandidates(w);
        if (!fixes.length) return null;
        alternatives.push(...fixes.map(quote));
      }
      groups.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`);
    }
    const body = groups.join(' AND ');
    return { match: `{title body} : (${body})`, titleMatch: `title : (${body})` };
  }

  private async hasPrefix(prefix: string): Promise<boolean> {
    const row = await this.client.execute({ sql: 'SELECT 1 FROM search_vocab WHERE term >= ? AND term < ? LIMIT 1', args: [prefix, `${prefix}\uffff`] });
    return row.rows.length > 0;
  }

  /** Vocabulary words within the word's typo budget, closest first. */
  private async typoCandidates(word: string): Promise<string[]> {
    const budget = typoBudget(word);
    if (budget === 0) return [];
    const grams = new Set<string>();
    for (let i = 0; i + 3 <= word.length; i++) grams.add(word.slice(i, i + 3));
    if (!grams.size) return [];
    const rows = await this.client.execute({
      sql: `SELECT v.term FROM search_vocab v
            WHERE v.id IN (SELECT rowid FROM search_vocab_trigram WHERE search_vocab_trigram MATCH ?)
              AND length(v.term) BETWEEN ? AND ?`,
      args: [[...grams].map(quote).join(' OR '), word.length - budget, word.length + budget],
    });
    const scored: Array<{ term: string; d: number }> = [];
    for (const r of rows.rows) {
      const term = String(r[0]);
      const d = editDistance(word, term, budget);
      if (d <= budget) scored.push({ term, d });
    }
    scored.sort((a, b) => a.d - b.d || Number(b.term[0] === word[0]) - Number(a.term[0] === word[0]) || a.term.localeCompare(b.term));
    return scored.slice(0, MAX_TYPO_CANDIDATES).map((s) => s.term);
  }

  private async wordSearch(plan: Plan, filter: string, req: SearchRequest): Promise<SearchResult> {
    const match = `(${plan.match}) AND ${filter}`;
    const titleMatch = `(${plan.titleMatch}) AND ${filter}`;
    const since = req.updatedSince;
    const dateJoin = since === undefined ? '' : 'JOIN search_docs d ON d.rowid = f.rowid AND d.updated_at >= ?';
    const dateArgs = since === undefined ? [] : [since];
    const candidates = (m: string, limit: number) => ({
      sql: `SELECT f.rowid AS id, bm25(search_fts, 10.0, 1.0, 0.0) AS score
            FROM search_fts f ${dateJoin} WHERE search_fts MATCH ? ORDER BY f.rowid DESC LIMIT ${limit}`,
      args: [...dateArgs, m],
    });
    const [all, titles, total] = await this.client.batch(
      [
        candidates(match, CANDIDATES),
        candidates(titleMatch, TITLE_CANDIDATES),
        { sql: `SELECT count(*) FROM search_fts f ${dateJoin} WHERE search_fts MATCH ?`, args: [...dateArgs, match] },
      ],
      'read',
    );
    const scores = new Map<number, number>();
    for (const r of [...all!.rows, ...titles!.rows]) scores.set(Number(r[0]), Number(r[1]));
    const top = [...scores.entries()].sort((a, b) => a[1] - b[1] || b[0] - a[0]).slice(0, req.limit).map(([id]) => id);
    const hits = await this.hitsFor(top, match);
    return { hits, total: Number(total!.rows[0]?.[0] ?? 0) };
  }

  /** Titles, snippets (made by FTS5 around the matched words) and fields of the chosen rows. */
  private async hitsFor(rowids: number[], match: string): Promise<SearchHit[]> {
    if (!rowids.length) return [];
    const marks = rowids.map(() => '?').join(',');
    const [texts, meta] = await this.client.batch(
      [
        {
          sql: `SELECT rowid, title, snippet(search_fts, 1, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 24) AS snip
                FROM search_fts WHERE search_fts MATCH ? AND rowid IN (${marks})`,
          args: [match, ...rowids],
        },
        { sql: `SELECT rowid, doc_id, space_id, kind, updated_at FROM search_docs WHERE rowid IN (${marks})`, args: rowids },
      ],
      'read',
    );
    const text = new Map(texts!.rows.map((r) => [Number(r[0]), { title: String(r[1]), snippet: String(r[2]) }]));
    const fields = new Map(meta!.rows.map((r) => [Number(r[0]), r]));
    return rowids.flatMap((id) => {
      const t = text.get(id);
      const f = fields.get(id);
      if (!t || !f) return [];
      return [{ docId: String(f[1]), title: t.title, snippet: snippetHtml(t.snippet), spaceId: String(f[2]), kind: String(f[3]) as SearchHit['kind'], updatedAt: Number(f[4]) }];
    });
  }

  /**
   * Substring search over the trigram index: for CJK text (no spaces between words) and for parts
   * of words. Words of three or more characters are matched through the index; shorter ones (two
   * CJK characters make a word) are checked on the candidates' text.
   */
  private async substringSearch(words: string[], filter: string, req: SearchRequest): Promise<SearchResult> {
    const indexed = words.filter((w) => [...w].length >= 3);
    const short = words.filter((w) => [...w].length < 3);
    const trigramFilter = filter.replace(/scope : /g, 'scope : ');
    const match = [...indexed.map((w) => `{title body} : ${quote(w)}`), trigramFilter].join(' AND ');
    const since = req.updatedSince;
    const shortCond = short.map(() => `instr(lower(t.title || ' ' || t.body), ?) > 0`).join(' AND ');
    const where = ['search_trigram MATCH ?', ...(shortCond ? [shortCond] : []), ...(since === undefined ? [] : ['d.updated_at >= ?'])].join(' AND ');
    const args = [match, ...short, ...(since === undefined ? [] : [since])];
    const [rows, total] = await this.client.batch(
      [
        {
          sql: `SELECT t.rowid, t.title, t.body, d.doc_id, d.space_id, d.kind, d.updated_at
                FROM search_trigram t JOIN search_docs d ON d.rowid = t.rowid
                WHERE ${where} ORDER BY t.rowid DESC LIMIT ${CANDIDATES}`,
          args,
        },
        { sql: `SELECT count(*) FROM search_trigram t JOIN search_docs d ON d.rowid = t.rowid WHERE ${where}`, args },
      ],
      'read',
    );
    const scored = rows!.rows.map((r) => {
      const title = String(r[1]).toLowerCase();
      const inTitle = words.filter((w) => title.includes(w)).length;
      return { r, score: inTitle * 10 + 1 };
    });
    scored.sort((a, b) => b.score - a.score || Number(b.r[0]) - Number(a.r[0]));
    const hits = scored.slice(0, req.limit).map(({ r }) => ({
      docId: String(r[3]),
      title: String(r[1]),
      snippet: substringSnippet(String(r[2]), words),
      spaceId: String(r[4]),
      kind: String(r[5]) as SearchHit['kind'],
      updatedAt: Number(r[6]),
    }));
    return { hits, total: Number(total!.rows[0]?.[0] ?? 0) };
  }
}
