import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { buildBrief } from './build-brief.ts';
import { createSpace } from './create-space.ts';
import { putMember } from './put-member.ts';
import { removeMember } from './remove-member.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('buildBrief', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('tells a member of new documents in the spaces the access policy lets her read now', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    await putMember(app.deps, closed.id, bob.id, 'viewer');
    const since = clock.now();
    await clock.advance(60_000);
    const doc = await app.deps.docs.create(ada, { spaceId: closed.id, title: 'Plan', markdown: 'We ship the new search on Monday.' });
    await clock.advance(60_000);
    const window = { since, until: clock.now() };
    const built = await buildBrief(app.deps.db, bob, window);
    expect(built.draft.items.map((i) => [i.docId, i.reasons])).toEqual([[doc.id, ['new']]]);
    // Once she may no longer read the space, the same window tells her nothing.
    await removeMember(app.deps, closed.id, bob.id);
    expect((await buildBrief(app.deps.db, bob, window)).draft.items).toEqual([]);
  });

  it('leaves out what the reader wrote herself', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const since = clock.now();
    await clock.advance(60_000);
    await app.deps.docs.create(ada, { spaceId: space.id, title: 'Mine', markdown: 'Notes of my own.' });
    await clock.advance(60_000);
    expect((await buildBrief(app.deps.db, ada, { since, until: clock.now() })).draft.items).toEqual([]);
  });
});
