import { mkdirSync, writeFileSync } from 'node:fs';
import { runApiBench } from './api.bench.ts';
import { runCollabBench } from './collab.bench.ts';
import { runEditorOpenBench } from './editor-open.bench.ts';

/** `npm run bench`: every benchmark, each printing our figure next to a peer's from the same run. */
const seconds = Number(process.env.HANDOFF_BENCH_SECONDS ?? 10);
const results: Record<string, unknown> = { at: new Date().toISOString(), seconds };
results.api = await runApiBench(seconds);
results.collab = await runCollabBench(seconds);
results.editorOpen = await runEditorOpenBench();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify(results, null, 2));
console.log('\nResults written to bench/results/latest.json');
