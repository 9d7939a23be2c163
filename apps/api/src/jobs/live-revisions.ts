import { docUpdates, sql, type Db } from '@handoff/db';
import type { Clock, Timer } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';

export interface LiveRevisionTimings {
  /** A revision is written after this long without an edit. */
  idleMs: number;
  /** …and at least this often while edits keep coming. */
  maxMs: number;
}

export const DEFAULT_LIVE_REVISION_TIMINGS: LiveRevisionTimings = { idleMs: 2 * 60_000, maxMs: 10 * 60_000 };

export interface LiveRevisions {
  /** A live edit to `docId` was accepted (it is in the log). */
  edited(docId: string): void;
  /** The last editor of `docId` left: write its revision now. */
  editorsLeft(docId: string): void;
  /** Documents with live edits that no revision includes yet. */
  pendingDocs(): string[];
  /** Writes the revisions of every document with pending edits (at shutdown), then stops. */
  stop(): Promise<void>;
}

interface Pending {
  /** When the latest edit was accepted (the idle timer re-arms itself from it). */
  lastEdit: number;
  idle: Timer;
  max: Timer;
}

/**
 * Turns live editing into revisions: after `idleMs` without an edit, at most every `maxMs` while
 * edits continue, and when the last editor leaves. `snapshot` (the doc engine's) writes nothing when
 * the content did not change, so a spurious trigger costs one read.
 */
export function createLiveRevisions(deps: {
  snapshot: (docId: string) => Promise<{ changed: boolean }>;
  log: Logger;
  clock: Clock;
  timings?: Partial<LiveRevisionTimings>;
}): LiveRevisions {
  const { clock } = deps;
  const timings = { ...DEFAULT_LIVE_REVISION_TIMINGS, ...deps.timings };
  const pending = new Map<string, Pending>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  function take(docId: string) {
    const p = pending.get(docId);
    if (!p) return;
    clock.clearTimeout(p.idle);
    clock.clearTimeout(p.max);
    pending.delete(docId);
    // The snapshot starts in a turn of the event loop of its own, never inside whatever callback
    // (a socket closing, a permission change) asked for it.
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => deps.snapshot(docId))
      .then(
        () => undefined,
        (err: unknown) => deps.log.error({ msg: 'live revision failed', docId, err }),
      )
      .finally(() => running.delete(run));
    running.add(run);
  }

  /**
   * The idle timer is not re-armed on every keystroke (one timer per idle period, not per edit):
   * when it fires it looks at the latest edit and waits out the rest of the idle time, if any.
   */
  function idleTimer(docId: string, ms: number): Timer {
    return clock
      .setTimeout(() => {
        const p = pending.get(docId);
        if (!p) return;
        const rest = p.lastEdit + timings.idleMs - clock.now();
        if (rest > 0) p.idle = idleTimer(docId, rest);
        else take(docId);
      }, ms)
      .unref();
  }

  return {
    edited(docId) {
      if (stopped) return;
      const now = clock.now();
      const p = pending.get(docId);
      if (p) {
        p.lastEdit = now;
        return;
      }
      pending.set(docId, {
        lastEdit: now,
        idle: idleTimer(docId, timings.idleMs),
        max: clock.setTimeout(() => take(docId), timings.maxMs).unref(),
      });
    },
    editorsLeft(docId) {
      take(docId);
    },
    pendingDocs() {
      return [...pending.keys()];
    },
    async stop() {
      stopped = true;
      for (const docId of [...pending.keys()]) take(docId);
      await Promise.all([...running]);
    },
  };
}

/**
 * Documents whose log has updates after their latest revision — live edits that a crash (or kill)
 * kept from becoming a revision. Run at start-up; each gets its revision written.
 */
export async function recoverLiveRevisions(db: Db, snapshot: (docId: string) => Promise<{ changed: boolean }>, log: Logger): Promise<number> {
  const rows = await db
    .select({ docId: docUpdates.docId })
    .from(docUpdates)
    .groupBy(docUpdates.docId)
    .having(sql`max(${docUpdates.id}) > coalesce((select max(r.through_update_id) from revisions r where r.doc_id = ${docUpdates.docId}), 0)`)
    .all();
  let written = 0;
  for (const { docId } of rows) {
    try {
      if ((await snapshot(docId)).changed) written++;
    } catch (err) {
      log.error({ msg: 'recovering a live revision failed', docId, err });
    }
  }
  return written;
}
