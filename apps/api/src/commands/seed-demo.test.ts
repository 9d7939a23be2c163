import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { comments, count, documents, memberships, revisions, spaces, threads, users, eq } from '@handoff/db';
import { readableSpaceIds } from '../policies/access.ts';
import { listWaiting } from './list-waiting.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { seedDemoWorkspace } from './seed-demo.ts';

describe('seedDemoWorkspace', () => {
  let t: TestApp;
  beforeEach(async () => void (t = await createTestApp({ startIndexer: false })));
  afterEach(() => t.close());

  it('fills an empty database once, through the app\'s engine, with history spread over days', async () => {
    const seeded = await seedDemoWorkspace(t.deps);
    expect(seeded?.people).toHaveLength(6);
    const n = async (table: typeof spaces | typeof memberships | typeof documents | typeof revisions) => (await t.deps.db.select({ n: count() }).from(table).get())?.n;
    expect(await n(spaces)).toBe(3);
    expect(await n(memberships)).toBe(7);
    expect(await n(documents)).toBe(8);
    expect(await n(revisions)).toBe(14);
    const times = (await t.deps.db.select({ at: revisions.createdAt }).from(revisions).all()).map((r) => r.at);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(12 * 3600_000);
    expect(Math.max(...times)).toBeLessThan(t.deps.clock.now());
    // Comments: three threads (one resolved), and a question waiting on Lena from San Francisco.
    expect((await t.deps.db.select({ n: count() }).from(threads).get())?.n).toBe(3);
    expect((await t.deps.db.select({ n: count() }).from(comments).get())?.n).toBe(4);
    const lena = (await t.deps.db.select().from(users).where(eq(users.handle, 'lena')).get())!;
    const waiting = await listWaiting(t.deps, lena, await readableSpaceIds(t.deps.db, lena));
    expect(waiting.threads.map((w) => [w.doc.title, w.thread.quote])).toEqual([['Sync API design', 'Every page carries a checksum']]);
    expect(await seedDemoWorkspace(t.deps)).toBeNull();
  }, 60_000);
});
