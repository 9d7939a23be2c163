import { runCollabBench } from './collab.bench.ts';
await runCollabBench(Number(process.env.HANDOFF_BENCH_SECONDS ?? 10));
process.exit(0);
