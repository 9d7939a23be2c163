import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { users, eq } from '@handoff/db';
import { ManualClock } from '../domain/clock.ts';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { listHandoffs } from './list-handoffs.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listHandoffs', () => {
  let app: CommandTestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-03-10T12:00:00Z'));
    app = await commandTestApp({ clock });
  });
  afterEach(() => app.close());

  it("groups notes by the day they were written in the reader's zone, newest first, with counts, and pages", async () => {
    const priya = await app.person('priya');
    const lena = await app.person('lena');
    await app.deps.db.update(users).set({ name: 'Priya' }).where(eq(users.id, priya.id));
    const space = await createSpace(app.deps, priya, { name: 'Sync' });
    const other = await createSpace(app.deps, priya, { name: 'Other' });
    const write = async (at: string, title: string, markdown?: string, spaceId = space.id) => {
      await clock.set(at);
      return (await createDoc(app.deps, priya, { spaceId, title, kind: 'handoff', markdown, handoff: { to: [lena.id] } })).doc;
    };
    // 12:30 UTC on the 10th is 18:00 in Kolkata; 20:00 UTC is already the 11th there.
    const a = await write('2026-03-10T12:30:00Z', 'A', '## Done\n\n- one\n- two\n\n## Blocked on\n\n- x @lena\n');
    const b = await write('2026-03-10T20:00:00Z', 'B');
    const c = await write('2026-03-11T09:00:00Z', 'C');
    await write('2026-03-11T10:00:00Z', 'Elsewhere', undefined, other.id);
    await createDoc(app.deps, priya, { spaceId: space.id, title: 'Not a handoff' });

    const utc = await listHandoffs(app.deps, { spaceIds: [space.id], timezone: 'UTC', limit: 50 });
    expect(utc.days.map((d) => [d.date, d.handoffs.map((h) => h.doc.title)])).toEqual([
      ['2026-03-11', ['C']],
      ['2026-03-10', ['B', 'A']],
    ]);
    const kolkata = await listHandoffs(app.deps, { spaceIds: [space.id], timezone: 'Asia/Kolkata', limit: 50 });
    expect(kolkata.days.map((d) => [d.date, d.handoffs.map((h) => h.doc.id)])).toEqual([
      ['2026-03-11', [c.id, b.id]],
      ['2026-03-10', [a.id]],
    ]);
    expect(kolkata.days[1]!.handoffs[0]).toMatchObject({ author: { id: priya.id, name: 'Priya' }, to: [lena.id], counts: { done: 2, next: 0, blocked: 1, decisions: 0 } });

    const first = await listHandoffs(app.deps, { spaceIds: [space.id], timezone: 'UTC', limit: 2 });
    expect(first.days.flatMap((d) => d.handoffs.map((h) => h.doc.title))).toEqual(['C', 'B']);
    const second = await listHandoffs(app.deps, { spaceIds: [space.id], timezone: 'UTC', limit: 2, cursor: first.nextCursor! });
    expect(second.days.flatMap((d) => d.handoffs.map((h) => h.doc.title))).toEqual(['A']);
    expect(second.nextCursor).toBeNull();

    const range = await listHandoffs(app.deps, { spaceIds: [space.id], timezone: 'Asia/Kolkata', limit: 50, from: '2026-03-10', to: '2026-03-10' });
    expect(range.days.flatMap((d) => d.handoffs.map((h) => h.doc.title))).toEqual(['A']);
    expect((await listHandoffs(app.deps, { spaceIds: [], timezone: 'UTC', limit: 50 })).days).toEqual([]);
  });
});
