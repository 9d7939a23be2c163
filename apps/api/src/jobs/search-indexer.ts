import { and, asc, documents, eq, gt, inArray, outbox, outboxOffsets, revisionAuthors, type Db } from '@handoff/db';
import type { Logger } from '../logger.ts';
import type { Clock, IndexedDoc, SearchIndex } from '../domain/ports.ts';

const CONSUMER = 'search';

export interface SearchIndexer {
  start(): void;
  stop(): Promise<void>;
  /** Indexes one batch of outbox rows; returns how many rows it consumed. */
  drainOnce(): Promise<number>;
  /** Drains until the outbox is empty (for the CLI and tests). */
  drain(): Promise<void>;
  /** Wakes the loop now instead of at the next poll (called after local writes). */
  nudge(): void;
  /** Outbox rows not yet indexed. */
  backlog(): Promise<number>;
}

/** The documents as the search engines index them (current revision, everyone who wrote it). */
export async function loadIndexedDocs(db: Db, docIds: string[]): Promise<{ docs: IndexedDoc[]; gone: string[] }> {
  if (!docIds.length) return { docs: [], gone: [] };
  const rows = await db.select().from(documents).where(inArray(documents.id, docIds)).all();
  const live = rows.filter((r) => !r.trashedAt);
  const authors = live.length
    ? await db.selectDistinct({ docId: revisionAuthors.docId, userId: revisionAuthors.userId }).from(revisionAuthors).where(inArray(revisionAuthors.docId, live.map((r) => r.id))).all()
    : [];
  const byDoc = new Map<string, string[]>();
  for (const a of authors) byDoc.set(a.docId, [...(byDoc.get(a.docId) ?? []), a.userId]);
  const docs = live.map((r) => ({
    docId: r.id,
    spaceId: r.spaceId,
    kind: r.kind,
    title: r.title,
    text: r.text,
    authors: (byDoc.get(r.id) ?? []).sort(),
    updatedAt: r.updatedAt,
    revision: r.revision,
  }));
  const liveIds = new Set(docs.map((d) => d.docId));
  return { docs, gone: docIds.filter((id) => !liveIds.has(id)) };
}

/**
 * Keeps the search index in step with the database by draining the transactional outbox: every
 * change that matters to search wrote an outbox row in its own transaction, so nothing is missed
 * while the engine is down — the indexer retries with backoff (capped at 30 s) and catches up
 * when it returns. Its position is stored in `outbox_offsets`, so a restart resumes where it was.
 */
export function createSearchIndexer(deps: { db: Db; index: SearchIndex; log: Logger; clock: Clock; pollMs?: number; batchSize?: number }): SearchIndexer {
  const { db, index, log } = deps;
  const pollMs = deps.pollMs ?? 200;
  const batchSize = deps.batchSize ?? 500;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let setupDone = false;

  async function position(): Promise<number> {
    const row = await db.select({ lastId: outboxOffsets.lastId }).from(outboxOffsets).where(eq(outboxOffsets.consumer, CONSUMER)).get();
    return row?.lastId ?? 0;
  }

  async function drainOnce(): Promise<number> {
    if (!setupDone) {
      await index.setup();
      setupDone = true;
    }
    const from = await position();
    const rows = await db.select({ id: outbox.id, docId: outbox.docId }).from(outbox).where(gt(outbox.id, from)).orderBy(asc(outbox.id)).limit(batchSize).all();
    if (!rows.length) return 0;
    const docIds = [...new Set(rows.map((r) => r.docId).filter((d): d is string => !!d))];
    const { docs, gone } = await loadIndexedDocs(db, docIds);
    await index.upsert(docs);
    await index.remove(gone);
    const lastId = rows[rows.length - 1]!.id;
    await db
      .insert(outboxOffsets)
      .values({ consumer: CONSUMER, lastId, updatedAt: deps.clock.now() })
      .onConflictDoUpdate({ target: outboxOffsets.consumer, set: { lastId, updatedAt: deps.clock.now() } });
    return rows.length;
  }

  /** Waits `ms` on the clock, or until `nudge`/`stop` wakes the loop. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = deps.clock.setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        deps.clock.clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  async function run() {
    let backoff = 250;
    while (running) {
      try {
        const n = await drainOnce();
        backoff = 250;
        if (n === 0) await sleep(pollMs);
      } catch (err) {
        log.warn({ msg: 'search indexing failed; will retry', err: (err as Error).message, retryInMs: backoff });
        await sleep(backoff);
        backoff = Math.min(30_000, backoff * 2);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    drainOnce,
    async drain() {
      while ((await drainOnce()) > 0) {
        /* keep going */
      }
    },
    nudge() {
      wake?.();
    },
    async backlog() {
      const from = await position();
      const rows = await db.select({ id: outbox.id }).from(outbox).where(and(gt(outbox.id, from))).all();
      return rows.length;
    },
  };
}
