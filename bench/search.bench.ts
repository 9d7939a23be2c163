/**
 * Search: Handoff's embedded engine (`SqliteSearchIndex.search`, no HTTP) beside raw FTS5 through
 * `@libsql/client` and MiniSearch — the same documents, the same queries, the same process — on
 * generated documents of real prose (HANDOFF_BENCH_DOCS, default 100,000) and on the real corpus
 * (the SpamAssassin ham mails, subjects as titles). Then the time from a written revision to its
 * words being searchable, through a real test app with the outbox indexer running.
 *
 * Raw FTS5 (a plain `fts5(title, body)` table, one INSERT per document in batched transactions;
 * `SELECT rowid, snippet(…) … MATCH ? ORDER BY bm25(t) LIMIT 10`) and Handoff run in one phase,
 * taking turns batch by batch and query by query (order alternating), so that whatever else the
 * machine does weighs on both alike. MiniSearch runs after, alone (its heap would slow the others'
 * garbage collection).
 *
 * Queries (HANDOFF_BENCH_QUERIES per kind, default 200, seeded) are drawn from the corpus
 * vocabulary, half common words (the 1,000 most frequent that are not stop words), half rare ones:
 *   one word    a finished word                    (Handoff `word `, FTS5 `"word"`, MiniSearch exact)
 *   several     2–3 words of one document          (all words required in every engine)
 *   prefix      the first 3+ letters of a word     (Handoff `wor`, FTS5 `"wor"*`, MiniSearch prefix)
 *   typo        one edit in a word of ≥ 5 letters  (Handoff typo tolerance, MiniSearch fuzzy; FTS5 has none)
 * Handoff searches as a reader of 10 of the 12 spaces the documents are spread over (permission
 * filter and exact total included); MiniSearch gets the same filter; raw FTS5 has no spaces.
 *
 * Memory: MiniSearch's heap growth; for each SQLite engine, its database file and how much a child
 * process's RSS grows while that engine alone indexes the corpus and answers the queries
 * (`search-memory.ts`), with the JavaScript heap it keeps (Handoff's vocabulary).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { createTestApp } from '@handoff/api/testing';
import { generateDocs, pick, rng } from './corpus.ts';
import { fmt, percentile } from './lib.ts';
import {
  BATCH,
  type BenchDoc,
  corpusDocs,
  type CorpusName,
  fileMB,
  HandoffEngine,
  KINDS,
  type Kind,
  makeQueries,
  type Query,
  RawFts,
  READABLE,
  settleGc,
} from './search-setup.ts';

const ENGINES = ['Handoff', 'raw FTS5', 'MiniSearch'] as const;
type Engine = (typeof ENGINES)[number];

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  /** Share of queries with at least one hit. */
  found: number;
}

interface Memory {
  /** Database file on disk. */
  fileMB?: number;
  /** RSS growth of a process that opens the built index and answers the queries (SQLite engines). */
  rssMB?: number;
  /** JavaScript heap retained: MiniSearch's index, Handoff's vocabulary. */
  heapMB?: number;
  /** RSS growth of a process that builds the index (SQLite engines). */
  indexingRssMB?: number;
}

interface EngineResult {
  docsPerSec: number;
  indexSeconds: number;
  memory: Memory;
  latency: Record<Kind, Latency>;
  samples: Record<Kind, number[]>;
}

export interface CorpusResult {
  name: string;
  docs: number;
  avgWords: number;
  engines: Record<Engine, EngineResult>;
}

// -------------------------------------------------------------------------------------------------
// Timing

type Runner = (q: Query) => Promise<number> | number;

/** Times each engine on every query; engines take turns query by query (order alternating). */
async function timeQueries(queries: Record<Kind, Query[]>, runners: Runner[]) {
  // Warm-up: a few queries of each kind, untimed.
  for (const kind of KINDS) for (const q of queries[kind].slice(0, 10)) for (const run of runners) await run(q);
  const out = runners.map(() => ({ latency: {} as Record<Kind, Latency>, samples: {} as Record<Kind, number[]> }));
  for (const kind of KINDS) {
    const times = runners.map(() => [] as number[]);
    const found = runners.map(() => 0);
    for (const [i, q] of queries[kind].entries()) {
      const order = runners.map((_, j) => j);
      if (i % 2) order.reverse();
      for (const j of order) {
        const t0 = performance.now();
        const hits = await runners[j]!(q);
        times[j]!.push(performance.now() - t0);
        if (hits > 0) found[j]!++;
      }
    }
    runners.forEach((_, j) => {
      const sorted = [...times[j]!].sort((a, b) => a - b);
      out[j]!.samples[kind] = times[j]!;
      out[j]!.latency[kind] = { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), found: found[j]! / sorted.length };
    });
  }
  return out;
}

/** Raw FTS5 and Handoff side by side: each batch and each query to one and then the other. */
async function benchSqlite(dir: string, docs: BenchDoc[], queries: Record<Kind, Query[]>): Promise<{ raw: EngineResult; handoff: EngineResult }> {
  const raw = await RawFts.open(join(dir, 'raw.db'));
  const handoff = await HandoffEngine.open(join(dir, 'h.db'));
  const seconds = [0, 0];
  const engines = [raw, handoff];
  for (let i = 0; i < docs.length; i += BATCH) {
    const order = (i / BATCH) % 2 ? [0, 1] : [1, 0];
    for (const j of order) {
      const t0 = performance.now();
      await engines[j]!.insert(docs.slice(i, i + BATCH), i + 1);
      seconds[j]! += (performance.now() - t0) / 1000;
    }
  }
  const [rawTimed, handoffTimed] = await timeQueries(queries, [(q) => raw.search(q), (q) => handoff.search(q)]);
  const files = [fileMB(join(dir, 'raw.db')), fileMB(join(dir, 'h.db'))];
  raw.close();
  handoff.close();
  return {
    raw: { docsPerSec: docs.length / seconds[0]!, indexSeconds: seconds[0]!, memory: { fileMB: files[0] }, ...rawTimed! },
    handoff: { docsPerSec: docs.length / seconds[1]!, indexSeconds: seconds[1]!, memory: { fileMB: files[1] }, ...handoffTimed! },
  };
}

async function benchMiniSearch(docs: BenchDoc[], queries: Record<Kind, Query[]>): Promise<EngineResult> {
  await settleGc();
  const heap0 = process.memoryUsage().heapUsed;
  const mini = new MiniSearch<BenchDoc>({ fields: ['title', 'text'], storeFields: ['spaceId'] });
  const t0 = performance.now();
  for (let i = 0; i < docs.length; i += BATCH) {
    mini.addAll(docs.slice(i, i + BATCH));
    if (i % 20_000 === 0) await new Promise((r) => setImmediate(r));
  }
  const indexSeconds = (performance.now() - t0) / 1000;
  await settleGc();
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  const readable = new Set(READABLE);
  const [timed] = await timeQueries(queries, [
    (q) => mini.search(q.mini, { boost: { title: 10 }, combineWith: 'AND', filter: (r) => readable.has(r.spaceId as string), ...q.miniOptions }).slice(0, 10).length,
  ]);
  return { docsPerSec: docs.length / indexSeconds, indexSeconds, memory: { heapMB }, ...timed! };
}

/** One SQLite engine's memory, measured in child processes of its own (see search-memory.ts). */
async function sqliteMemory(engine: 'handoff' | 'raw', corpus: CorpusName, docs: number, perKind: number, seed: number, dir: string): Promise<Memory> {
  const script = fileURLToPath(new URL('./search-memory.ts', import.meta.url));
  const db = join(dir, `memory-${engine}.db`);
  const run = async (phase: 'index' | 'serve') => {
    const env = {
      SEARCH_MEMORY_ENGINE: engine,
      SEARCH_MEMORY_PHASE: phase,
      SEARCH_MEMORY_DB: db,
      SEARCH_MEMORY_CORPUS: corpus,
      SEARCH_MEMORY_DOCS: String(docs),
      SEARCH_MEMORY_QUERIES: String(perKind),
      SEARCH_MEMORY_SEED: String(seed),
    };
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`search-memory.ts (${engine}, ${phase}, ${corpus}) exited with ${code}`);
    return JSON.parse(out.trim().split('\n').pop() ?? '') as { rssMB: number; heapMB: number };
  };
  const indexing = await run('index');
  const serving = await run('serve');
  return { fileMB: fileMB(db), rssMB: serving.rssMB, heapMB: serving.heapMB, indexingRssMB: indexing.rssMB };
}

async function benchCorpus(name: string, corpus: CorpusName, n: number, perKind: number, seed: number): Promise<CorpusResult> {
  const docs = corpusDocs(corpus, n);
  const queries = makeQueries(docs, perKind, seed);
  const dir = mkdtempSync(join(tmpdir(), 'handoff-search-bench-'));
  const avgWords = docs.reduce((sum, d) => sum + d.text.split(/\s+/).length, 0) / docs.length;
  console.log(`\n… ${name}: ${docs.length.toLocaleString('en-US')} documents (${fmt(avgWords, 0)} words on average), ${perKind} queries of each kind`);
  try {
    const { raw, handoff } = await benchSqlite(dir, docs, queries);
    console.log(`  raw FTS5 and Handoff done (${fmt(raw.indexSeconds)} s and ${fmt(handoff.indexSeconds)} s indexing)`);
    await settleGc();
    const mini = await benchMiniSearch(docs, queries);
    console.log(`  MiniSearch done (${fmt(mini.indexSeconds)} s indexing)`);
    await settleGc();
    handoff.memory = await sqliteMemory('handoff', corpus, n, perKind, seed, dir);
    raw.memory = await sqliteMemory('raw', corpus, n, perKind, seed, dir);
    console.log('  memory measured (each SQLite engine alone in a child process)');
    const result: CorpusResult = { name, docs: docs.length, avgWords, engines: { Handoff: handoff, 'raw FTS5': raw, MiniSearch: mini } };
    printCorpus(result);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// -------------------------------------------------------------------------------------------------
// An edit, searchable: through the real app and its outbox indexer

export async function benchEditLatency(samples: number, preload: number): Promise<Latency> {
  const t = await createTestApp();
  try {
    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await t.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; callers read the fields they expect
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const signup = await call('POST', '/api/auth/signup', { email: 'bench@example.com', name: 'Bench', handle: 'bench', password: 'correct horse battery', timezone: 'UTC' });
    const token = signup.token as string;
    const space = (await call('POST', '/api/spaces', { name: 'Bench', private: false }, token)).space.id as string;
    const rand = rng(7);
    const prose = generateDocs(preload + 1, 99);
    for (const d of prose.slice(0, preload)) await call('POST', '/api/docs', { spaceId: space, title: d.title, markdown: d.text }, token);
    const target = (await call('POST', '/api/docs', { spaceId: space, title: 'Edited', markdown: prose[preload]!.text }, token)).doc.id as string;
    await t.deps.searchIndexer.drain();
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const word = `zq${Array.from({ length: 8 }, () => pick(rand, [...'bcdfghjklmnpqrstvwxz'])).join('')}`;
      await call('PATCH', `/api/docs/${target}`, { markdown: `${prose[preload]!.text.slice(0, 2000)}\n\nNow with ${word}.` }, token);
      const t0 = performance.now(); // the revision is written
      for (;;) {
        const r = await call('GET', `/api/search?q=${word}%20`, undefined, token);
        if (r.hits.some((h: { docId: string }) => h.docId === target)) break;
        if (performance.now() - t0 > 10_000) throw new Error(`edit ${i} not searchable after 10 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - t0);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { n: times.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), found: 1 };
  } finally {
    await t.close();
  }
}

// -------------------------------------------------------------------------------------------------
// Report

function pooled(r: EngineResult, kinds: readonly Kind[]): Latency {
  const all = kinds.flatMap((k) => r.samples[k]).sort((a, b) => a - b);
  const found = kinds.reduce((s, k) => s + r.latency[k].found * r.latency[k].n, 0) / kinds.reduce((s, k) => s + r.latency[k].n, 0);
  return { n: all.length, p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99), found };
}

const EXACT: Kind[] = ['one word', 'several words'];

function memoryText(m: Memory): string {
  const mb = (x: number | undefined) => `${fmt(Math.max(0, x ?? 0), 0)} MB`;
  if (m.rssMB === undefined) return `${mb(m.heapMB)} heap`;
  return `${mb(m.fileMB)} file; serving ${mb(m.rssMB)} RSS (${mb(m.heapMB)} heap); indexing ${mb(m.indexingRssMB)} RSS`;
}

function printCorpus(r: CorpusResult) {
  console.log(`\n### Search — ${r.name}: ${r.docs.toLocaleString('en-US')} documents, ${fmt(r.avgWords, 0)} words on average`);
  console.log('| engine | indexing docs/s | memory | ' + KINDS.map((k) => `${k} p50 / p95 / p99 ms`).join(' | ') + ' | all p95 ms |');
  console.log('| --- | ---: | ---: | ' + KINDS.map(() => '---:').join(' | ') + ' | ---: |');
  for (const e of ENGINES) {
    const x = r.engines[e];
    const cells = KINDS.map((k) => {
      const l = x.latency[k];
      const na = e === 'raw FTS5' && k === 'typo' ? ' (no typo tolerance)' : '';
      return `${fmt(l.p50, 2)} / ${fmt(l.p95, 2)} / ${fmt(l.p99, 2)} (${fmt(l.found * 100, 0)}% found)${na}`;
    });
    console.log(`| ${e} | ${fmt(x.docsPerSec, 0)} | ${memoryText(x.memory)} | ${cells.join(' | ')} | ${fmt(pooled(x, KINDS).p95, 2)} |`);
  }
  console.log(
    '\nMemory: MiniSearch: heap growth once it holds the index. SQLite engines, each alone in a child process: the file on disk; the RSS growth of a process that opens the built index and answers all the queries (and the heap it keeps); the RSS growth of a process that builds the index (transient buffers it keeps).',
  );
}

export interface GoalCheck {
  goal: string;
  value: string;
  met: boolean;
}

export function searchGoals(big: CorpusResult, edit: Latency): GoalCheck[] {
  const h = big.engines.Handoff;
  const raw = big.engines['raw FTS5'];
  const mini = big.engines.MiniSearch;
  const hExact = pooled(h, EXACT).p95;
  const rawExact = pooled(raw, EXACT).p95;
  const hAll = pooled(h, KINDS).p95;
  const miniAll = pooled(mini, KINDS).p95;
  const worst = Math.max(...KINDS.map((k) => h.latency[k].p95));
  const hMemory = Math.max(0, h.memory.rssMB ?? 0);
  return [
    { goal: 'Handoff p95 ≤ 1.3× raw FTS5 p95 (one- and several-word queries)', value: `${fmt(hExact, 2)} ms vs ${fmt(rawExact, 2)} ms = ${fmt(hExact / rawExact, 2)}×`, met: hExact <= 1.3 * rawExact },
    { goal: 'Handoff p95 ≤ 0.5× MiniSearch p95 (all queries)', value: `${fmt(hAll, 2)} ms vs ${fmt(miniAll, 2)} ms = ${fmt(hAll / miniAll, 2)}×`, met: hAll <= 0.5 * miniAll },
    { goal: 'Handoff p95 ≤ 20 ms (all queries, and each kind)', value: `${fmt(hAll, 2)} ms (slowest kind ${fmt(worst, 2)} ms)`, met: hAll <= 20 && worst <= 20 },
    {
      goal: 'typo p95 ≤ 3× one-word p95',
      value: `${fmt(h.latency.typo.p95, 2)} ms vs ${fmt(h.latency['one word'].p95, 2)} ms = ${fmt(h.latency.typo.p95 / h.latency['one word'].p95, 2)}×`,
      met: h.latency.typo.p95 <= 3 * h.latency['one word'].p95,
    },
    { goal: 'bulk indexing ≥ 0.5× raw FTS5 docs/s', value: `${fmt(h.docsPerSec, 0)} vs ${fmt(raw.docsPerSec, 0)} docs/s = ${fmt(h.docsPerSec / raw.docsPerSec, 2)}×`, met: h.docsPerSec >= 0.5 * raw.docsPerSec },
    {
      goal: 'memory < ¼ of MiniSearch (issue 4: RSS growth of a process serving Handoff\'s index vs MiniSearch\'s heap; the file is on disk)',
      value: `${fmt(hMemory, 0)} MB vs ${fmt(mini.memory.heapMB ?? 0, 0)} MB = ${fmt(hMemory / (mini.memory.heapMB ?? 1), 2)}× (file ${fmt(h.memory.fileMB ?? 0, 0)} MB)`,
      met: hMemory < 0.25 * (mini.memory.heapMB ?? 0),
    },
    { goal: 'an edit searchable ≤ 1 s p95 (PATCH → GET /api/search finds it)', value: `p50 ${fmt(edit.p50, 0)} ms, p95 ${fmt(edit.p95, 0)} ms, p99 ${fmt(edit.p99, 0)} ms (${edit.n} edits)`, met: edit.p95 <= 1000 },
  ];
}

export async function runSearchBench() {
  const n = Number(process.env.HANDOFF_BENCH_DOCS ?? 100_000);
  const perKind = Number(process.env.HANDOFF_BENCH_QUERIES ?? 200);
  const edits = Number(process.env.HANDOFF_BENCH_EDITS ?? 50);
  const started = performance.now();
  const generated = await benchCorpus('generated prose', 'generated', n, perKind, 1);
  const ham = await benchCorpus('SpamAssassin ham mails', 'ham', 0, perKind, 2);
  const edit = await benchEditLatency(edits, 200);
  const goals = searchGoals(generated, edit);
  console.log(`\n### Search goals (GOALS.md), on the ${generated.docs.toLocaleString('en-US')} generated documents`);
  console.log('| goal | measured | |');
  console.log('| --- | --- | --- |');
  for (const g of goals) console.log(`| ${g.goal} | ${g.value} | ${g.met ? 'met' : 'NOT met'} |`);
  console.log(`\n(search bench: ${fmt((performance.now() - started) / 1000, 0)} s)`);
  const strip = (c: CorpusResult) => ({ ...c, engines: Object.fromEntries(ENGINES.map((e) => [e, { ...c.engines[e], samples: undefined }])) });
  return { generated: strip(generated), ham: strip(ham), edit, goals };
}
