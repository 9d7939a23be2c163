import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { createBrief } from './create-brief.ts';
import { createSpace } from './create-space.ts';
import { getBrief } from './get-brief.ts';
import { putMember } from './put-member.ts';
import { removeMember } from './remove-member.ts';
import { trashDoc } from './trash-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('getBrief', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('rechecks every item against what the reader may read now, and rewrites the text without it', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const open = await createSpace(app.deps, ada, { name: 'Open' });
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    await putMember(app.deps, closed.id, bob.id, 'viewer');
    await putMember(app.deps, open.id, bob.id, 'editor');
    await clock.advance(60_000);
    const kept = await app.deps.docs.create(ada, { spaceId: open.id, title: 'Kept page', markdown: 'Stays readable.' });
    await app.deps.docs.create(ada, { spaceId: closed.id, title: 'Secret page', markdown: 'Soon unreadable.' });
    const trashed = await app.deps.docs.create(ada, { spaceId: open.id, title: 'Trashed page', markdown: 'Soon in the trash.' });
    await clock.advance(60_000);
    const row = (await createBrief(app.deps, bob))!;
    expect((await getBrief(app.deps, bob, { id: row.id })).items).toHaveLength(3);

    await removeMember(app.deps, closed.id, bob.id);
    await trashDoc(app.deps, ada, trashed);
    const shown = await getBrief(app.deps, bob, { latest: true });
    expect(shown.items.map((i) => i.docId)).toEqual([kept.id]);
    expect(shown.markdown).toContain('Kept page');
    expect(shown.markdown).not.toContain('Secret page');
    expect(shown.markdown).not.toContain('Trashed page');
  });

  it("answers someone else's brief, and none at all, with 404", async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    await expect(getBrief(app.deps, bob, { latest: true })).rejects.toMatchObject({ kind: 'not_found' });
    const row = (await createBrief(app.deps, ada))!;
    await expect(getBrief(app.deps, bob, { id: row.id })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getBrief(app.deps, ada, { id: row.id })).resolves.toMatchObject({ row: { id: row.id } });
  });
});
