/**
 * A child process of the search benchmark that measures one SQLite engine's memory alone, in one
 * of two phases on the same database file:
 *  - index: how much the process's RSS grows while the engine indexes the corpus in the
 *    benchmark's batches (the peak of building it: transient buffers a process keeps);
 *  - serve: how much it grows while the engine opens the built index and answers the benchmark's
 *    queries (what it needs to serve searches: page cache, statements, Handoff's vocabulary), and
 *    the JavaScript heap it still holds after garbage collection.
 * Env: SEARCH_MEMORY_ENGINE (handoff | raw), SEARCH_MEMORY_PHASE (index | serve), SEARCH_MEMORY_DB
 * (the file), SEARCH_MEMORY_CORPUS (generated | ham), SEARCH_MEMORY_DOCS, SEARCH_MEMORY_QUERIES,
 * SEARCH_MEMORY_SEED. Prints one JSON line: { rssMB, heapMB }.
 */
import { BATCH, corpusDocs, type CorpusName, HandoffEngine, KINDS, makeQueries, RawFts, rssMB, settleGc } from './search-setup.ts';

const raw = process.env.SEARCH_MEMORY_ENGINE === 'raw';
const path = process.env.SEARCH_MEMORY_DB!;
const corpus = (process.env.SEARCH_MEMORY_CORPUS ?? 'generated') as CorpusName;
const docs = corpusDocs(corpus, Number(process.env.SEARCH_MEMORY_DOCS ?? 100_000));
const queries = makeQueries(docs, Number(process.env.SEARCH_MEMORY_QUERIES ?? 200), Number(process.env.SEARCH_MEMORY_SEED ?? 1));

await settleGc();
const rss0 = rssMB();
const heap0 = process.memoryUsage().heapUsed;
const engine = raw ? await RawFts.open(path) : await HandoffEngine.open(path);
if (process.env.SEARCH_MEMORY_PHASE === 'index') {
  for (let i = 0; i < docs.length; i += BATCH) await engine.insert(docs.slice(i, i + BATCH), i + 1);
} else {
  for (const kind of KINDS) for (const q of queries[kind]) await engine.search(q);
}
await settleGc();
console.log(JSON.stringify({ rssMB: rssMB() - rss0, heapMB: (process.memoryUsage().heapUsed - heap0) / 2 ** 20 }));
engine.close();
