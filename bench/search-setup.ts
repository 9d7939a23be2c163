/**
 * What the search benchmark's main process and its memory-measuring children share: the documents
 * (generated prose or the ham mails, spread over spaces), the seeded queries, and the two SQLite
 * engines set up the same way in both.
 */
import { existsSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createClient, type Client, type InStatement } from '@libsql/client';
import type { SearchOptions } from 'minisearch';
import { openDatabase, type Database } from '@handoff/db';
import { SqliteSearchIndex } from '../apps/api/src/adapters/search/sqlite-search-index.ts';
import type { IndexedDoc } from '../apps/api/src/domain/ports.ts';
import { between, generateDocs, loadHamMails, oneEdit, pick, rng, STOP_WORDS } from './corpus.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
export const settleGc = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const BATCH = 500;
const SPACES = 12;
/** The searching user reads 10 of the 12 spaces the documents are spread over. */
export const READABLE = Array.from({ length: 10 }, (_, i) => `space-${i}`);
export const KINDS = ['one word', 'several words', 'prefix', 'typo'] as const;
export type Kind = (typeof KINDS)[number];

export interface BenchDoc {
  id: string;
  title: string;
  text: string;
  spaceId: string;
}

export interface Query {
  kind: Kind;
  /** As typed into Handoff's search bar (a trailing space ends the last word; none makes it a prefix). */
  handoff: string;
  /** The FTS5 MATCH expression. */
  fts: string;
  mini: string;
  miniOptions: SearchOptions;
}

export type CorpusName = 'generated' | 'ham';

export function corpusDocs(corpus: CorpusName, n: number): BenchDoc[] {
  const spaceOf = (i: number) => `space-${i % SPACES}`;
  return corpus === 'generated'
    ? generateDocs(n).map((d, i) => ({ id: d.id, title: d.title, text: d.text, spaceId: spaceOf(i) }))
    : loadHamMails().map((m, i) => ({ id: m.id, title: m.title, text: m.text, spaceId: spaceOf(i) }));
}

export const fileMB = (path: string) => ['', '-wal', '-shm'].reduce((sum, s) => sum + (existsSync(path + s) ? statSync(path + s).size : 0), 0) / 2 ** 20;
export const rssMB = () => process.memoryUsage().rss / 2 ** 20;

// -------------------------------------------------------------------------------------------------
// Queries

const ascii = (text: string) => text.toLowerCase().match(/[a-z]+/g) ?? [];
const quote = (w: string) => `"${w}"`;

/**
 * `perKind` queries of each kind, drawn with a fixed seed from the corpus vocabulary: alternately a
 * common word (the 1,000 most frequent that are not stop words) and a rare one (in 2 to 0.2% of
 * the documents); several words come from one document, so that they have answers.
 */
export function makeQueries(docs: BenchDoc[], perKind: number, seed: number): Record<Kind, Query[]> {
  const rand = rng(seed);
  // Document frequencies over a sample (all documents of a small corpus).
  const sample = docs.length <= 20_000 ? docs : Array.from({ length: 20_000 }, () => pick(rand, docs));
  const df = new Map<string, number>();
  for (const d of sample) for (const w of new Set(ascii(`${d.title} ${d.text}`))) df.set(w, (df.get(w) ?? 0) + 1);
  const usable = [...df.entries()].filter(([w]) => w.length >= 3 && !STOP_WORDS.has(w)).sort((a, b) => b[1] - a[1]);
  const common = usable.slice(0, 1000).map(([w]) => w);
  const rareMax = Math.max(3, Math.round(sample.length * 0.002));
  const rare = usable.filter(([w, n]) => n >= 2 && n <= rareMax && w.length >= 4).map(([w]) => w);
  const word = (i: number, minLength = 3) => {
    for (;;) {
      const w = pick(rand, i % 2 === 0 ? common : rare);
      if (w.length >= minLength) return w;
    }
  };
  const exact = (w: string) => ({ mini: w, miniOptions: {} });
  const out = { 'one word': [], 'several words': [], prefix: [], typo: [] } as Record<Kind, Query[]>;
  for (let i = 0; i < perKind; i++) {
    const w = word(i);
    out['one word'].push({ kind: 'one word', handoff: `${w} `, fts: quote(w), ...exact(w) });

    let ws: string[] = [];
    while (ws.length < 2) {
      const own = [...new Set(ascii(pick(rand, docs).text))].filter((x) => x.length >= 3 && !STOP_WORDS.has(x));
      const n = between(rand, 2, 3);
      ws = [];
      for (let tries = 0; ws.length < n && tries < 50 && own.length >= n; tries++) {
        const x = pick(rand, own);
        if (!ws.includes(x)) ws.push(x);
      }
    }
    out['several words'].push({ kind: 'several words', handoff: `${ws.join(' ')} `, fts: ws.map(quote).join(' '), ...exact(ws.join(' ')) });

    const long = word(i, 5);
    const typed = long.slice(0, between(rand, 3, long.length - 1));
    out.prefix.push({
      kind: 'prefix',
      handoff: typed,
      fts: `${quote(typed)}*`,
      mini: typed,
      miniOptions: { prefix: (_t: string, j: number, terms: string[]) => j === terms.length - 1 },
    });

    let typo = '';
    for (let tries = 0; tries < 50 && (!typo || df.has(typo)); tries++) typo = oneEdit(word(i, 5), rand);
    out.typo.push({
      kind: 'typo',
      handoff: `${typo} `,
      fts: quote(typo),
      mini: typo,
      miniOptions: { fuzzy: (t: string) => (t.length >= 8 ? 2 : t.length >= 4 ? 1 : 0) },
    });
  }
  return out;
}

// -------------------------------------------------------------------------------------------------
// The two SQLite engines

/** A plain FTS5 table of the same documents, as anyone would write it: one INSERT per document. */
export class RawFts {
  private constructor(readonly client: Client) {}

  static async open(path: string): Promise<RawFts> {
    const client = createClient({ url: `file:${path}`, intMode: 'number' });
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('CREATE VIRTUAL TABLE IF NOT EXISTS t USING fts5(title, body)');
    return new RawFts(client);
  }

  async insert(docs: BenchDoc[], firstRowid: number): Promise<void> {
    const stmts: InStatement[] = docs.map((d, j) => ({ sql: 'INSERT INTO t (rowid, title, body) VALUES (?, ?, ?)', args: [firstRowid + j, d.title, d.text] }));
    await this.client.batch(stmts, 'write');
  }

  async search(q: Query): Promise<number> {
    const rows = await this.client.execute({ sql: `SELECT rowid, snippet(t, 1, '<b>', '</b>', '…', 24) FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10`, args: [q.fts] });
    return rows.rows.length;
  }

  close() {
    this.client.close();
  }
}

/** Handoff's engine on its own database (migrations applied), fed `IndexedDoc`s. */
export class HandoffEngine {
  private constructor(
    readonly database: Database,
    readonly index: SqliteSearchIndex,
  ) {}

  static async open(path: string): Promise<HandoffEngine> {
    const database = await openDatabase(`file:${path}`);
    const index = new SqliteSearchIndex(database.client);
    await index.setup();
    return new HandoffEngine(database, index);
  }

  async insert(docs: BenchDoc[], firstRowid: number): Promise<void> {
    const base = Date.UTC(2025, 0, 1);
    const indexed: IndexedDoc[] = docs.map((d, j) => ({
      docId: d.id,
      spaceId: d.spaceId,
      kind: (firstRowid + j) % 10 === 0 ? 'decision' : 'page',
      title: d.title,
      text: d.text,
      authors: [`user-${(firstRowid + j) % 37}`],
      updatedAt: base + (firstRowid + j) * 60_000,
      revision: 1,
    }));
    await this.index.upsert(indexed);
  }

  async search(q: Query): Promise<number> {
    return (await this.index.search({ q: q.handoff, spaceIds: READABLE, limit: 10 })).hits.length;
  }

  close() {
    this.database.close();
  }
}
