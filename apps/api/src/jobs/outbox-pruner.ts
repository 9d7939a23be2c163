import { and, asc, eq, lt, lte, outbox, outboxOffsets, sql, type Db } from '@handoff/db';
import type { Logger } from '../logger.ts';
import type { Clock, Timer } from '../domain/clock.ts';

/**
 * The consumers that must hear of every outbox row, whether or not they have run yet (a consumer
 * that never ran has no row in `outbox_offsets`: its position is 0 and nothing may be pruned).
 * `search` is the search indexer (jobs/search-indexer.ts); add a consumer here when you add one.
 */
export const OUTBOX_CONSUMERS = ['search'] as const;

export interface OutboxPruner {
  start(): void;
  stop(): Promise<void>;
  /** Deletes, in batches, every row all consumers have passed and older than the retention window; returns how many. */
  pruneOnce(options?: { batchSize?: number }): Promise<number>;
}

export interface OutboxPrunerOptions {
  db: Db;
  log: Logger;
  clock: Clock;
  /** Rows younger than this stay even when every consumer passed them: `handoff reindex` replays from the outbox. */
  keepMs?: number;
  /** How often to prune. */
  everyMs?: number;
  /** Rows per DELETE: each statement holds the database write gate only briefly. */
  batchSize?: number;
}

const HOUR = 60 * 60 * 1000;

/**
 * Prunes the transactional outbox: a row is deleted once every consumer has passed it — the known
 * consumers (missing offset = 0) and every other row in `outbox_offsets` (e.g. a replay that holds
 * its place) — and it is older than `keepMs`. Offsets only move forward, so the floor read at the
 * start of a run stays safe for the whole run. Ids are AUTOINCREMENT: they are never reused, even
 * after the table has been emptied, so no consumer can skip a new row.
 */
export function createOutboxPruner(options: OutboxPrunerOptions): OutboxPruner {
  const { db, log, clock } = options;
  const keepMs = options.keepMs ?? 24 * HOUR;
  const everyMs = options.everyMs ?? 10 * 60 * 1000;
  let timer: Timer | null = null;
  let running: Promise<unknown> | null = null;

  /** The highest id every consumer has passed. */
  async function floor(): Promise<{ id: number; heldBy: string }> {
    const offsets = await db.select().from(outboxOffsets).orderBy(asc(outboxOffsets.lastId)).all();
    const positions = new Map<string, number>(OUTBOX_CONSUMERS.map((c) => [c, 0]));
    for (const o of offsets) positions.set(o.consumer, o.lastId);
    let lowest = { id: Number.POSITIVE_INFINITY, heldBy: '' };
    for (const [consumer, id] of positions) if (id < lowest.id) lowest = { id, heldBy: consumer };
    return lowest;
  }

  async function pruneOnce(run: { batchSize?: number } = {}): Promise<number> {
    const batchSize = run.batchSize ?? options.batchSize ?? 500;
    const { id: passed, heldBy } = await floor();
    if (passed <= 0) return 0;
    const cutoff = clock.now() - keepMs;
    let deleted = 0;
    for (;;) {
      const batch = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(lte(outbox.id, passed), lt(outbox.createdAt, cutoff)))
        .orderBy(asc(outbox.id))
        .limit(batchSize);
      const result = await db.delete(outbox).where(sql`${outbox.id} in ${batch}`);
      deleted += result.rowsAffected;
      if (result.rowsAffected < batchSize) break;
      // Let other writers through the gate between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) log.info({ msg: 'outbox pruned', deleted, upTo: passed, heldBy });
    return deleted;
  }

  function schedule() {
    timer = clock.setTimeout(() => {
      running = pruneOnce()
        .catch((err: unknown) => log.warn({ msg: 'pruning the outbox failed; will retry', err: (err as Error).message }))
        .finally(() => {
          running = null;
          if (timer) schedule();
        });
    }, everyMs);
    timer.unref();
  }

  return {
    start() {
      if (timer) return;
      schedule();
    },
    async stop() {
      clock.clearTimeout(timer);
      timer = null;
      await running;
    },
    pruneOnce,
  };
}

/**
 * Holds the outbox from `afterId` on while a replay runs (e.g. `handoff reindex`, which replays the
 * rows written during a rebuild): recorded as a consumer, so the pruner keeps those rows. Release
 * it when done.
 */
export async function holdOutbox(db: Db, name: string, afterId: number, clock: Clock): Promise<() => Promise<void>> {
  const consumer = `hold:${name}`;
  await db
    .insert(outboxOffsets)
    .values({ consumer, lastId: afterId, updatedAt: clock.now() })
    .onConflictDoUpdate({ target: outboxOffsets.consumer, set: { lastId: afterId, updatedAt: clock.now() } });
  return async () => {
    await db.delete(outboxOffsets).where(eq(outboxOffsets.consumer, consumer));
  };
}
