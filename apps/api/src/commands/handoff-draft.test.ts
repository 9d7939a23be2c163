import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, users } from '@handoff/db';
import { ManualClock } from '../domain/clock.ts';
import type { UserRow } from '../domain/model.ts';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { handoffDraft } from './handoff-draft.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('handoffDraft', () => {
  let app: CommandTestApp;
  let clock: ManualClock;
  // Monday 9 March 2026, 08:00 in Berlin (UTC+1).
  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-03-09T07:00:00Z'));
    app = await commandTestApp({ clock });
  });
  afterEach(() => app.close());

  const reload = async (u: UserRow) => (await app.deps.db.select().from(users).where(eq(users.id, u.id)).get())!;

  it('offers in the last hour of the working day until a note is written, never on a day off', async () => {
    let lena = await app.person('lena');
    await app.deps.db.update(users).set({ timezone: 'Europe/Berlin' }).where(eq(users.id, lena.id));
    lena = await reload(lena);
    const space = await createSpace(app.deps, lena, { name: 'S' });
    const at = async (iso: string) => {
      await clock.set(iso);
      return (await handoffDraft(app.deps, lena, [space.id])).offer;
    };
    expect(await at('2026-03-09T14:59:00Z')).toBe(false); // 15:59 Berlin
    expect(await at('2026-03-09T15:00:00Z')).toBe(true); // 16:00
    expect(await at('2026-03-09T15:59:00Z')).toBe(true);
    expect(await at('2026-03-09T16:00:00Z')).toBe(false); // 17:00: the day is over
    expect(await at('2026-03-10T15:30:00Z')).toBe(true);
    await createDoc(app.deps, lena, { spaceId: space.id, title: 'Handoff', kind: 'handoff' });
    expect((await handoffDraft(app.deps, lena, [space.id])).offer).toBe(false);
    expect(await at('2026-03-14T15:30:00Z')).toBe(false); // Saturday

    await app.deps.db.update(users).set({ workEnd: '19:30', workDays: '[6]' }).where(eq(users.id, lena.id));
    lena = await reload(lena);
    expect(await at('2026-03-14T17:45:00Z')).toBe(true); // 18:45 on her Saturday
    expect((await handoffDraft(app.deps, lena, [space.id])).workEnd).toBe('19:30');
  });

  it("prefills what she changed today and addresses her previous note's recipients", async () => {
    const priya = await app.person('priya');
    const lena = await app.person('lena');
    const space = await createSpace(app.deps, priya, { name: 'Sync' });
    const secret = await createSpace(app.deps, priya, { name: 'Secret', private: true });
    const { doc: spec } = await createDoc(app.deps, lena, { spaceId: space.id, title: 'Sync [API] spec', markdown: 'v1' });
    const { doc: adr } = await createDoc(app.deps, lena, { spaceId: space.id, title: 'Use CRDTs', kind: 'decision' });
    await createDoc(app.deps, priya, { spaceId: space.id, title: 'Yesterday', kind: 'handoff', handoff: { to: [lena.id, `space:${space.id}`, `space:${secret.id}`] } });

    await clock.set('2026-03-10T08:00:00Z'); // the next day
    const { doc: old } = await createDoc(app.deps, lena, { spaceId: space.id, title: 'Untouched', markdown: 'x' });
    await clock.set('2026-03-11T08:00:00Z');
    await updateDoc(app.deps, priya, spec, { markdown: 'v2' });
    await updateDoc(app.deps, priya, adr, { decision: { status: 'accepted' } });
    await createThread(app.deps, priya, spec, { markdown: 'Why?', anchor: { quote: 'v2' } });

    const { draft, offer, date } = await handoffDraft(app.deps, priya, [space.id]);
    expect(offer).toBe(false);
    expect(date).toBe('2026-03-11');
    expect(draft.to).toEqual([lena.id, `space:${space.id}`].sort());
    expect(draft.markdown).toContain(`## Done\n\n- [Use CRDTs](/docs/${adr.id}): now accepted\n- [Sync \\[API\\] spec](/docs/${spec.id})\n`);
    expect(draft.markdown).toContain(`## In progress / next\n\n- Open thread on [Sync \\[API\\] spec](/docs/${spec.id}): “v2”\n`);
    expect(draft.markdown).toContain('## Handing over to\n\n- @lena\n- Sync\n');
    expect(draft.markdown).not.toContain(old.id);
    expect(draft.title).toBe('Handoff — Wed 11 Mar 2026');
  });
});
