import { mkdirSync, writeFileSync } from 'node:fs';
import { runApiBench } from './api.bench.ts';
import { runCollabBench } from './collab.bench.ts';
import { runCollabThroughputBench } from './collab-throughput.bench.ts';
import { runSearchBench } from './search.bench.ts';
import { runSearchVocabBench } from './search-vocab.bench.ts';
import { runEditorOpenBench } from './editor-open.bench.ts';
import { runBriefsBench } from './briefs.bench.ts';
import { runCommentsBench } from './comments.bench.ts';
import { runDeliveryBench } from './delivery.bench.ts';

/**
 * `npm run bench`: every benchmark, each printing our figure next to a peer's from the same run.
 * HANDOFF_BENCH_ONLY=search (or api, collab, editor-open, briefs, comments, delivery; comma-separated) runs only those.
 */
const seconds = Number(process.env.HANDOFF_BENCH_SECONDS ?? 10);
const only = (process.env.HANDOFF_BENCH_ONLY ?? '').split(',').filter(Boolean);
const wanted = (name: string) => !only.length || only.includes(name);
const results: Record<string, unknown> = { at: new Date().toISOString(), seconds };
if (wanted('api')) results.api = await runApiBench(seconds);
if (wanted('search')) results.search = await runSearchBench();
if (wanted('search-vocab')) results.searchVocab = await runSearchVocabBench();
if (wanted('collab')) results.collab = await runCollabBench(seconds);
if (wanted('collab')) results.collabThroughput = await runCollabThroughputBench(seconds);
if (wanted('editor-open')) results.editorOpen = await runEditorOpenBench();
if (wanted('briefs')) results.briefs = await runBriefsBench();
if (wanted('comments')) results.comments = await runCommentsBench(seconds);
if (wanted('delivery')) results.delivery = await runDeliveryBench();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2));
console.log('\nResults written to bench/results/latest.json');
