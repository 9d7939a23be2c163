import * as Y from 'yjs';
import { and, asc, docSnapshots, docUpdates, eq, gt, lte, revisions, sql, withWritePriority, type Db, type DbOrTx } from '@handoff/db';
import { applyRemoteUpdate, openHeadlessDoc, type HeadlessDoc } from './doc-body.ts';
import type { KeyedLock } from './doc-lock.ts';
import type { DocRow } from './model.ts';
import type { Clock } from './ports.ts';

/** Fold the log into the snapshot once this many updates are covered by a revision. */
export const COMPACT_AFTER = 64;

/** Bodies kept open after a write, for the next write of the same document (see `openCurrent`). */
const WARM_BODIES = 16;
/** Larger bodies (encoded Y.Doc state) are not kept open. */
const WARM_MAX_BYTES = 1024 * 1024;

export interface LiveUpdate {
  docId: string;
  update: Uint8Array;
  userId: string | null;
}

export function mergeState(snapshotState: Uint8Array | null, log: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  if (snapshotState) parts.push(snapshotState);
  parts.push(...log);
  if (parts.length === 0) return new Uint8Array();
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
}

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * Where a document body lives: an append-only log of Yjs updates (`doc_updates`) folded now and
 * then into one snapshot (`doc_snapshots`). It also keeps the bodies it just wrote open ("warm")
 * so the next write of the same document need not decode them again. Every method that reads a
 * body to write a revision from it runs under the document's lock (`lock`), shared with the
 * revision writer, so no revision or compaction of that document happens meanwhile.
 */
export class BodyStore {
  /**
   * Headless editors of bodies just written as a revision, by document (least recently written
   * first). Each holds exactly its revision's body — every change in it came through Yjs
   * (`applyRemoteUpdate`), as a collaborator's would — and is only used under the document's lock,
   * taken out of the map while in use.
   */
  private readonly warm = new Map<string, { h: HeadlessDoc; revision: number; through: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly lock: KeyedLock,
  ) {}

  /**
   * The snapshot plus the log after it. Compaction may fold the log into the snapshot between the
   * two reads when `tx` is not a transaction; the snapshot's position is then read again, and a
   * moved snapshot means reading both again.
   */
  async loadState(tx: DbOrTx, docId: string): Promise<Uint8Array> {
    for (let attempt = 0; ; attempt++) {
      const snap = await tx.select().from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
      const after = snap?.throughUpdateId ?? 0;
      const log = await this.updatesAfter(tx, docId, after);
      const moved = await tx.select({ through: docSnapshots.throughUpdateId }).from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
      if ((moved?.through ?? 0) !== after && attempt < 5) continue;
      return mergeState(snap ? new Uint8Array(snap.state) : null, log.map((row) => row.update));
    }
  }

  /** The log updates of `docId` after id `after`, oldest first. */
  async updatesAfter(tx: DbOrTx, docId: string, after: number): Promise<Array<{ id: number; update: Uint8Array }>> {
    const rows = await tx
      .select({ id: docUpdates.id, update: docUpdates.update })
      .from(docUpdates)
      .where(and(eq(docUpdates.docId, docId), gt(docUpdates.id, after)))
      .orderBy(asc(docUpdates.id))
      .all();
    return rows.map((r) => ({ id: r.id, update: new Uint8Array(r.update) }));
  }

  /** The id of the newest log update of `docId` (0: none). */
  async lastUpdateId(tx: DbOrTx, docId: string): Promise<number> {
    const last = await tx.select({ id: sql<number | null>`max(${docUpdates.id})` }).from(docUpdates).where(eq(docUpdates.docId, docId)).get();
    return last?.id ?? 0;
  }

  /** Appends an update inside the caller's transaction (an API edit, a new body); returns its id. */
  async log(tx: DbOrTx, docId: string, update: Uint8Array, userId: string | null, now: number): Promise<number> {
    const [logged] = await tx.insert(docUpdates).values({ docId, update: Buffer.from(update), userId, createdAt: now }).returning({ id: docUpdates.id });
    return logged!.id;
  }

  /** The hot path of live editing (one per keystroke batch): a single prepared-shape insert. */
  async appendUpdate(docId: string, update: Uint8Array, userId: string | null): Promise<number> {
    const result = await this.db.run(
      sql`INSERT INTO doc_updates (doc_id, "update", user_id, created_at) VALUES (${docId}, ${asBuffer(update)}, ${userId}, ${this.clock.now()})`,
    );
    return Number(result.lastInsertRowid);
  }

  /** Group commit of live updates (collab/group-commit.ts): one multi-row insert, so one pass through the write gate. */
  async appendUpdates(entries: ReadonlyArray<LiveUpdate>): Promise<number[]> {
    if (!entries.length) return [];
    const now = this.clock.now();
    const rows = entries.map((e) => sql`(${e.docId}, ${asBuffer(e.update)}, ${e.userId}, ${now})`);
    // Someone is waiting for this acknowledgement: the write gate's priority lane (alternating with REST writes).
    const ids = await withWritePriority(() =>
      this.db.all<{ id: number }>(sql`INSERT INTO doc_updates (doc_id, "update", user_id, created_at) VALUES ${sql.join(rows, sql`, `)} RETURNING id`),
    );
    // One statement: the rows get ascending ids in the order of VALUES.
    return ids.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /**
   * Folds the updates that the latest revision includes into the snapshot and deletes them from
   * the log; updates after its `through_update_id` are never touched (the next revision and its
   * authors are made from them). Returns how many were folded.
   */
  async compact(docId: string, minUpdates = COMPACT_AFTER): Promise<number> {
    return this.lock.run(docId, () =>
      this.db.transaction(async (tx) => {
        const latest = await tx.select({ through: sql<number | null>`max(${revisions.throughUpdateId})` }).from(revisions).where(eq(revisions.docId, docId)).get();
        const through = latest?.through ?? 0;
        if (!through) return 0;
        const covered = await tx
          .select({ update: docUpdates.update })
          .from(docUpdates)
          .where(and(eq(docUpdates.docId, docId), lte(docUpdates.id, through)))
          .orderBy(asc(docUpdates.id))
          .all();
        if (covered.length < minUpdates) return 0;
        const snap = await tx.select().from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
        const state = Buffer.from(mergeState(snap ? new Uint8Array(snap.state) : null, covered.map((c) => new Uint8Array(c.update))));
        const now = this.clock.now();
        await tx
          .insert(docSnapshots)
          .values({ docId, state, throughUpdateId: through, updatedAt: now })
          .onConflictDoUpdate({ target: docSnapshots.docId, set: { state, throughUpdateId: through, updatedAt: now } });
        await tx.delete(docUpdates).where(and(eq(docUpdates.docId, docId), lte(docUpdates.id, through)));
        return covered.length;
      }),
    );
  }

  /** The Y.Doc state stored with revision `revision` of `docId`, or null when there is no such revision. */
  async revisionState(tx: DbOrTx, docId: string, revision: number): Promise<Uint8Array | null> {
    const row = await tx
      .select({ state: revisions.ydocState })
      .from(revisions)
      .where(and(eq(revisions.docId, docId), eq(revisions.revision, revision)))
      .get();
    return row ? new Uint8Array(row.state) : null;
  }

  /**
   * A headless editor holding the document's current body, opened *outside* any write transaction:
   * the latest revision's Y.Doc state (compact: garbage-collected when it was written) plus the log
   * updates after it — which compaction never folds, and which are few (live edits since that
   * revision) — instead of merging the whole log. `through` is the last log id it includes; the
   * caller's transaction catches up with anything appended after that (`catchUp`). Must run under
   * the document's lock.
   */
  async openCurrent(current: DocRow): Promise<{ h: HeadlessDoc; through: number }> {
    const atRevision = and(eq(revisions.docId, current.id), eq(revisions.revision, current.revision));
    const rev = await this.db.select({ through: revisions.throughUpdateId }).from(revisions).where(atRevision).get();
    const kept = this.warm.get(current.id);
    if (kept) this.warm.delete(current.id);
    if (kept && rev && kept.revision === current.revision && kept.through === rev.through) {
      // Still exactly this revision's body: catch up with the live updates after it, if any.
      try {
        return { h: kept.h, through: await this.catchUp(this.db, current.id, kept.h, rev.through) };
      } catch (err) {
        kept.h.dispose();
        throw err;
      }
    }
    kept?.h.dispose();
    if (!rev) {
      // No revision row for the current revision (should not happen): the whole log, as it is.
      const through = await this.lastUpdateId(this.db, current.id);
      return { h: openHeadlessDoc(await this.loadState(this.db, current.id)), through };
    }
    const base = await this.revisionState(this.db, current.id, current.revision);
    const later = await this.updatesAfter(this.db, current.id, rev.through);
    const state = mergeState(base, later.map((row) => row.update));
    return { h: openHeadlessDoc(state), through: later.length ? later[later.length - 1]!.id : rev.through };
  }

  /**
   * Inside the write transaction: applies to `h` the log updates appended after `through` (live
   * edits that arrived while the body was computed outside it), so the revision holds everything
   * its `through_update_id` covers. Returns the last log id `h` now includes.
   */
  async catchUp(tx: DbOrTx, docId: string, h: HeadlessDoc, through: number): Promise<number> {
    const later = await this.updatesAfter(tx, docId, through);
    for (const row of later) applyRemoteUpdate(h, row.update);
    return later.length ? later[later.length - 1]!.id : through;
  }

  /** Keeps `h` (exactly revision `revision`'s body, through log id `through`) open for the next write. */
  keepWarm(docId: string, h: HeadlessDoc, revision: number, through: number, bytes: number): void {
    if (bytes > WARM_MAX_BYTES) return h.dispose();
    this.warm.set(docId, { h, revision, through });
    while (this.warm.size > WARM_BODIES) {
      const [oldest, entry] = this.warm.entries().next().value!;
      this.warm.delete(oldest);
      entry.h.dispose();
    }
  }
}
