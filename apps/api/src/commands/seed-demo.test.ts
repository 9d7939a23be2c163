import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, documents, memberships, revisions, spaces } from '@handoff/db';
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
    expect(await seedDemoWorkspace(t.deps)).toBeNull();
  }, 60_000);
});
