import type { Database } from '@handoff/db';
import type { Clock, Timer } from '../domain/clock.ts';
import type { BriefWriter, SearchIndex } from '../domain/ports.ts';

export interface HealthContext {
  database: Pick<Database, 'client'>;
  search: Pick<SearchIndex, 'health' | 'engine'>;
  briefWriter: Pick<BriefWriter, 'name'>;
  clock: Clock;
}

/** How long the search engine may take to answer before it counts as down. */
const SEARCH_PROBE_MS = 2000;

/**
 * Whether the database and the search engine answer. Only the database decides `ok`: with search
 * down, editing goes on and the index catches up later. The LLM is only probed when a brief is
 * written (a failure there falls back to the extractive writer), so it is reported as configured.
 */
export async function checkHealth(ctx: HealthContext) {
  let db: 'ok' | 'error' = 'ok';
  try {
    await ctx.database.client.execute('SELECT 1');
  } catch {
    db = 'error';
  }
  let timer: Timer | null = null;
  const timedOut = new Promise<boolean>((resolve) => {
    // unref: a probe still waiting must not keep the process alive.
    timer = ctx.clock.setTimeout(() => resolve(false), SEARCH_PROBE_MS).unref();
  });
  const searchUp = await Promise.race([ctx.search.health().catch(() => false), timedOut]);
  ctx.clock.clearTimeout(timer);
  return {
    ok: db === 'ok',
    db,
    search: searchUp ? ('ok' as const) : ('error' as const),
    searchEngine: ctx.search.engine,
    llm: ctx.briefWriter.name === 'llm' ? ('ok' as const) : ('disabled' as const),
  };
}
