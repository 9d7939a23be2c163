import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { briefs } from '@handoff/db';
import { ManualClock } from '../domain/clock.ts';
import { lastAcknowledged } from '../domain/brief-store.ts';
import type { BriefWriter } from '../domain/ports.ts';
import { acknowledgeBrief } from './acknowledge-brief.ts';
import { createBrief, createBriefNow } from './create-brief.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { putMember } from './put-member.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('createBrief', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  type Person = Awaited<ReturnType<CommandTestApp['person']>>;
  /** `author` writes a new document in a new space `reader` is a member of (reason: new). */
  async function changeBy(author: Person, reader: Person, title: string) {
    const space = await createSpace(app.deps, author, { name: `Space of ${title}` });
    await putMember(app.deps, space.id, reader.id, 'viewer');
    await clock.advance(60_000);
    const doc = await app.deps.docs.create(author, { spaceId: space.id, title, markdown: `Everything about ${title}.` });
    await clock.advance(60_000);
    return doc;
  }

  it('stores the brief over the last 7 days by default, and one scheduled brief a day', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const doc = await changeBy(ada, bob, 'Roadmap');
    const row = await createBrief(app.deps, bob, { scheduledFor: '2026-12-01' });
    expect(row).toMatchObject({ userId: bob.id, until: clock.now(), since: clock.now() - 7 * 24 * 3600_000, writer: 'extractive' });
    expect(JSON.parse(row!.items).map((i: { docId: string }) => i.docId)).toEqual([doc.id]);
    expect(await createBrief(app.deps, bob, { scheduledFor: '2026-12-01' })).toBeNull();
    expect(await app.deps.db.select().from(briefs).all()).toHaveLength(1);
  });

  it('starts where the last acknowledged brief ended', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    await changeBy(ada, bob, 'First');
    const first = (await createBrief(app.deps, bob))!;
    await acknowledgeBrief(app.deps, bob.id, first.id);
    const second = await changeBy(ada, bob, 'Second');
    const next = (await createBrief(app.deps, bob))!;
    expect(next.since).toBe(first.until);
    expect(JSON.parse(next.items).map((i: { docId: string }) => i.docId)).toEqual([second.id]);
  });

  it('reaches a scheduled brief back over an absence when nothing was acknowledged; an unacknowledged brief never shortens the window', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const before = (await createBrief(app.deps, bob, { scheduledFor: '2026-12-01' }))!;
    // Away for 12 days; something changes on the second day of it.
    await clock.advance(2 * 24 * 3600_000);
    const early = await changeBy(ada, bob, 'Early in the leave');
    await clock.advance(10 * 24 * 3600_000);
    const late = await changeBy(ada, bob, 'Late in the leave');
    const back = (await createBrief(app.deps, bob, { scheduledFor: '2026-12-13' }))!;
    expect(back.since).toBe(before.until); // not 7 days back: the whole absence
    expect(JSON.parse(back.items).map((i: { docId: string }) => i.docId).sort()).toEqual([early.id, late.id].sort());
    // Asked for by hand, the default stays 7 days; with an acknowledged brief, it starts there.
    expect((await createBrief(app.deps, bob))!.since).toBe(clock.now() - 7 * 24 * 3600_000);
    await acknowledgeBrief(app.deps, bob.id, before.id);
    expect((await createBrief(app.deps, bob, { scheduledFor: '2026-12-14' }))!.since).toBe(before.until);
  });

  it('falls back to the extractive writer when the configured one fails', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    await changeBy(ada, bob, 'Fallback');
    const failing: BriefWriter = { name: 'llm', write: () => Promise.reject(new Error('model down')) };
    const warnings: object[] = [];
    const row = await createBrief({ ...app.deps, briefWriter: failing, log: { warn: (o) => void warnings.push(o) } }, bob);
    expect(row!.writer).toBe('extractive');
    expect(row!.markdown).toContain('Fallback');
    expect(warnings).toHaveLength(1);
  });

  it('createBriefNow answers the stored brief as the reader may see it', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const doc = await changeBy(ada, bob, 'Now');
    const shown = await createBriefNow(app.deps, bob, undefined);
    expect(shown.items.map((i) => i.docId)).toEqual([doc.id]);
    expect(shown.row.userId).toBe(bob.id);
  });

  it('writes a question into the brief with its link, and does not tell it again after the brief is acknowledged', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'Launch' });
    await putMember(app.deps, space.id, bob.id, 'viewer');
    const doc = await app.deps.docs.create(ada, { spaceId: space.id, title: 'Plan', markdown: 'We ship on Friday at noon.' });
    const first = (await createBrief(app.deps, bob))!;
    await acknowledgeBrief(app.deps, bob.id, first.id);
    await clock.advance(10_000);
    const thread = await createThread(app.deps, ada, doc, { markdown: 'Is noon *UTC*?', anchor: { quote: 'Friday at noon' }, ask: [bob.id] });
    await clock.advance(10_000);
    const row = (await createBrief(app.deps, bob))!;
    const url = `/docs/${doc.id}?thread=${thread.thread.id}`;
    expect(JSON.parse(row.items)).toMatchObject([{ docId: doc.id, reasons: ['asked'], fromRevision: 1, toRevision: 1, diffUrl: url }]);
    expect(row.markdown).toContain('## Questions for you');
    expect(row.markdown).toContain(`### [Plan](${url})`);
    expect(row.markdown).toContain(`**ada asked you** on “Friday at noon” · [open the thread](${url})`);
    expect(row.markdown).toContain('- “Is noon UTC?” (ada)');
    expect(row.markdown).not.toContain('Changed by');
    await acknowledgeBrief(app.deps, bob.id, row.id);

    // What it told of: the comment and the ask, at the document's current revision.
    const told = (await lastAcknowledged(app.deps.db, bob.id))!;
    expect(told.briefed.get(doc.id)).toBe(1);
    expect([...told.briefedThreads.comments]).toEqual([thread.comments[0]!.id]);
    expect(told.briefedThreads.asks.size).toBe(1);
    // The next brief looks a minute back (for late commits) and still does not tell it again.
    await clock.advance(10_000);
    const next = (await createBrief(app.deps, bob))!;
    expect(next.since).toBe(row.until);
    expect(JSON.parse(next.items)).toEqual([]);
    // Asked explicitly over the same stretch, it is there.
    expect(JSON.parse((await createBrief(app.deps, bob, { since: row.since }))!.items)).toHaveLength(1);
  });
});
