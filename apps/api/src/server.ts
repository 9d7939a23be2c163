import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { openDatabase } from '@handoff/db';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { Deps } from './context.ts';
import { createDocEngine } from './domain/doc-engine.ts';
import { createLoginLimiter } from './domain/login-limiter.ts';
import { ReadCache } from './domain/read-cache.ts';
import { systemClock, type Clock } from './domain/ports.ts';
import { createLogger, type Logger } from './logger.ts';

export const webDist = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Builds every dependency from configuration: the one place adapters are chosen. */
export async function createDeps(config: Config, overrides: { log?: Logger; clock?: Clock } = {}): Promise<Deps> {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const database = await openDatabase(config.databaseUrl, config.databaseAuthToken);
  const cache = new ReadCache(clock);
  return {
    database,
    cache,
    db: database.db,
    config,
    log,
    clock,
    loginLimiter: createLoginLimiter(),
    docs: createDocEngine({ db: database.db, clock, cache }),
  };
}

/** The API plus the built web app (and its index.html for every client-side route). */
export function createServerApp(deps: Deps) {
  const app = createApp(deps);
  if (existsSync(webDist)) {
    app.use('/assets/*', serveStatic({ root: webDist }));
    app.use('/favicon.svg', serveStatic({ root: webDist }));
    let indexHtml: string | null = null;
    app.get('*', async (c, next) => {
      if (c.req.path.startsWith('/api/')) return next();
      indexHtml ??= await readFile(resolve(webDist, 'index.html'), 'utf8');
      return c.html(indexHtml);
    });
  }
  return app;
}
