import { runBriefsBench } from './__b.bench.ts';
await runBriefsBench();
