// Issue 8, item 16: the outbox is pruned. Rows every consumer has passed (and older than the
// retention window, which a reindex replays from) are deleted in small batches; a row some consumer
// has not passed — including a consumer that has never run — is never deleted.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, outbox, outboxOffsets } from '@handoff/db';
import { ApiClient, type Person } from '../api/client.ts';
import { ManualClock } from '@handoff/api/testing';

const HOUR = 60 * 60 * 1000;
// Time moves only when a test says so (the pruner's timer waits on this clock too).
const clock = new ManualClock(Date.UTC(2026, 11, 1, 9));

let api: ApiClient;
let ada: Person;
let space: string;

const rows = async () => (await api.t.deps.db.select({ n: count() }).from(outbox).get())!.n;
const searchOffset = async () =>
  (await api.t.deps.db.select({ lastId: outboxOffsets.lastId }).from(outboxOffsets).where(eq(outboxOffsets.consumer, 'search')).get())?.lastId;

async function write(n: number) {
  for (let i = 0; i < n; i++) await api.doc(ada, space, `Doc ${clock.now()}-${i}`, `text ${i}`);
}

beforeAll(async () => {
  // The indexer is driven by hand: a consumer that "has never run yet" is the starting state.
  api = await ApiClient.start({ clock, startIndexer: false });
  ada = await api.signup('ada');
  space = await api.space(ada, 'Ops');
});
afterAll(() => api?.close());

describe('outbox pruning', () => {
  it('keeps every row while a consumer has never run', async () => {
    await write(30);
    const before = await rows();
    expect(before).toBeGreaterThanOrEqual(30);
    await clock.advance(48 * HOUR);
    expect(await searchOffset()).toBeUndefined();
    expect(await api.t.deps.outboxPruner.pruneOnce()).toBe(0);
    expect(await rows()).toBe(before);
  });

  it('deletes rows every consumer has passed once they are older than the retention window', async () => {
    await api.t.deps.searchIndexer.drain();
    const passed = await searchOffset();
    expect(passed).toBeGreaterThan(0);
    // Newer rows, not yet indexed: they stay.
    await write(5);
    const pending = await rows();
    const deleted = await api.t.deps.outboxPruner.pruneOnce({ batchSize: 7 });
    expect(deleted).toBeGreaterThanOrEqual(30);
    const left = await api.t.deps.db.select({ id: outbox.id }).from(outbox).all();
    expect(left).toHaveLength(pending - deleted);
    expect(left.every((r) => r.id > passed!)).toBe(true);
    // The search indexer still finds what it has not indexed and moves on from there.
    await api.t.deps.searchIndexer.drain();
    expect(await api.t.deps.searchIndexer.backlog()).toBe(0);
    // Those were indexed just now (by the clock), so the retention window keeps them for a reindex replay.
    expect(await api.t.deps.outboxPruner.pruneOnce()).toBe(0);
    expect(await rows()).toBe(5);
  });

  it('respects every consumer in outbox_offsets, also one it does not know', async () => {
    const head = (await api.t.deps.db.select({ id: outbox.id }).from(outbox).all()).at(-1)!.id;
    // A reindex (or any other consumer) holding its position before the last rows.
    await api.t.deps.db.insert(outboxOffsets).values({ consumer: 'reindex-replay', lastId: head - 3, updatedAt: clock.now() });
    await clock.advance(48 * HOUR);
    expect(await api.t.deps.outboxPruner.pruneOnce()).toBe(2);
    expect(await rows()).toBe(3);
    await api.t.deps.db.delete(outboxOffsets).where(eq(outboxOffsets.consumer, 'reindex-replay'));
    expect(await api.t.deps.outboxPruner.pruneOnce()).toBe(3);
    expect(await rows()).toBe(0);
    // Ids are never reused after the table was emptied (AUTOINCREMENT): new rows are seen by the indexer.
    await write(1);
    expect((await api.t.deps.db.select({ id: outbox.id }).from(outbox).get())!.id).toBeGreaterThan(head);
    expect(await api.t.deps.searchIndexer.backlog()).toBe(1);
  });

  it('prunes on its timer, every ten minutes of its clock, until stopped', async () => {
    await api.t.deps.searchIndexer.drain();
    await clock.advance(48 * HOUR);
    expect(await rows()).toBe(1);
    const pruner = api.t.deps.outboxPruner;
    pruner.start();
    await clock.advance(10 * 60_000 - 1);
    expect(await rows()).toBe(1); // its first run is due at ten minutes
    await clock.advance(1);
    await pruner.stop(); // waits for the run the timer started
    expect(await rows()).toBe(0);

    // Stopped: rows old enough to go stay.
    await write(2);
    await api.t.deps.searchIndexer.drain();
    await clock.advance(48 * HOUR);
    await pruner.stop();
    expect(await rows()).toBe(2);
  });
});
