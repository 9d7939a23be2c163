import { sql, type Db } from '@handoff/db';
import { refillDocLinksBatch } from '../domain/doc-links.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';

/*
 * The doc-link graph of documents written before it existed. At server start, once: when
 * `doc_links` is empty while documents exist, every document's links are refilled from its
 * current body, in bounded batches (each one transaction), yielding to the event loop between
 * them so requests and live editing go on. When it has run to its end (or found nothing to do) it
 * leaves a mark (`maintenance_marks` row `doc-links-backfill`), so a workspace whose documents
 * link nowhere is not read again at every start. A document revised meanwhile writes its own links in
 * its revision's transaction; a batch reads bodies inside its transaction, so it never writes
 * links older than the body. `npx handoff reindex` refills them all too (`refillAllDocLinks`).
 */

export interface DocLinksBackfill {
  /** Resolves with the number of documents done (0 when nothing needed doing). */
  done: Promise<number>;
  /** Stops after the batch in progress. */
  stop(): Promise<void>;
}

const BATCH = 200;
/** The `maintenance_marks` row that says the backfill has run to its end. */
const DONE_MARK = 'doc-links-backfill';
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Refills the links of every document, a batch at a time; returns how many documents. */
export async function refillAllDocLinks(db: Db, clock: Clock, options: { batch?: number; stopped?: () => boolean; onProgress?: (done: number) => void } = {}): Promise<number> {
  let after = '';
  let total = 0;
  while (!options.stopped?.()) {
    const { lastId, done } = await db.transaction((tx) => refillDocLinksBatch(tx, after, options.batch ?? BATCH, clock.now()));
    if (!lastId) break;
    after = lastId;
    total += done;
    options.onProgress?.(total);
    await yieldToLoop();
  }
  return total;
}

/** Starts the one-time backfill when the graph is empty and documents exist. */
export function startDocLinksBackfill(options: { db: Db; clock: Clock; log: Logger; batch?: number }): DocLinksBackfill {
  const { db, clock, log } = options;
  let stopped = false;
  const done = (async () => {
    await yieldToLoop();
    const [mark] = await db.all<{ n: number }>(sql`SELECT EXISTS (SELECT 1 FROM maintenance_marks WHERE name = ${DONE_MARK}) AS n`);
    if (mark?.n) return 0;
    const [links] = await db.all<{ n: number }>(sql`SELECT EXISTS (SELECT 1 FROM doc_links) AS n`);
    const [docs] = await db.all<{ n: number }>(sql`SELECT EXISTS (SELECT 1 FROM documents) AS n`);
    const total = links?.n || !docs?.n ? 0 : await refillAllDocLinks(db, clock, { batch: options.batch, stopped: () => stopped });
    if (stopped) return total; // not to its end: the next start goes on
    await db.run(sql`INSERT INTO maintenance_marks (name, done_at) VALUES (${DONE_MARK}, ${clock.now()}) ON CONFLICT (name) DO NOTHING`);
    if (total) log.info({ msg: 'doc-link graph backfilled', documents: total });
    return total;
  })().catch((err: unknown) => {
    log.error({ msg: 'backfilling the doc-link graph failed', err });
    return 0;
  });
  return {
    done,
    async stop() {
      stopped = true;
      await done;
    },
  };
}
