import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from './config.ts';
import { createDeps, createServerApp } from './server.ts';
import type { Deps } from './context.ts';
import type { Clock } from './domain/ports.ts';

/**
 * A real Handoff app on a fresh libSQL file in a temp folder, for tests and benchmarks
 * (never `:memory:`: a drizzle transaction there opens a fresh, empty database).
 */
export async function createTestApp(options: { config?: Partial<Config>; clock?: Clock; startIndexer?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-test-'));
  const config: Config = { ...loadConfig({ HANDOFF_LOG_LEVEL: 'silent', DATABASE_URL: `file:${join(dir, 'handoff.db')}` }), ...options.config };
  const deps: Deps = await createDeps(config, options.clock ? { clock: options.clock } : {});
  const app = createServerApp(deps);
  if (options.startIndexer !== false) deps.searchIndexer.start();
  return {
    app,
    deps,
    dir,
    dbPath: join(dir, 'handoff.db'),
    async close() {
      await deps.searchIndexer.stop();
      deps.database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
export { createApp } from './app.ts';
export { ManualClock, systemClock, type Clock } from './domain/clock.ts';
export { loadConfig } from './config.ts';
export { createDeps, createServerApp } from './server.ts';
export { openHeadlessDoc } from './domain/headless-doc.ts';
export { createSearchIndexer } from './jobs/search-indexer.ts';
export { dueBrief } from './jobs/brief-scheduler.ts';
export { createBriefDelivery, type BriefDelivery, type DeliveryRunSummary } from './jobs/brief-delivery.ts';
export { deliverBrief, publicBaseOf } from './commands/deliver-brief.ts';
export type { DeliveryTransports } from './domain/delivery-ports.ts';
export { isBriefDay, isWorkingTime, nextWorkingStart, plannedDelivery } from './domain/working-hours.ts';
export type { LiveRevisionTimings } from './jobs/live-revisions.ts';
export { createSharedWindow } from './domain/build-brief.ts';
export { buildBrief } from './commands/build-brief.ts';
export { clearBriefBlockCache } from './domain/brief-blocks.ts';
