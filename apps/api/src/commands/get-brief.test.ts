import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { addComment } from './add-comment.ts';
import { createBrief } from './create-brief.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { editComment } from './edit-comment.ts';
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

  it('never quotes a comment deleted since the brief was built, quotes an edited one as it reads now, drops a thread left with nothing', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'Open' });
    await putMember(app.deps, space.id, bob.id, 'editor');
    const plan = await app.deps.docs.create(ada, { spaceId: space.id, title: 'Plan', markdown: 'We ship on Friday.' });
    const notes = await app.deps.docs.create(bob, { spaceId: space.id, title: 'Notes', markdown: 'Open questions.' });
    const asked = await createThread(app.deps, bob, plan, { markdown: 'Which Friday?', anchor: { quote: 'Friday' } });
    const mine = await createThread(app.deps, bob, notes, { markdown: 'Anything left?' });
    await clock.advance(60_000);
    // Bob's brief starts here: Ada's replies in his two threads.
    const start = clock.now();
    await clock.advance(60_000);
    const kept = await addComment(app.deps, ada, plan, asked.thread, 'The 12th, unless QA objects.');
    await clock.advance(1_000);
    const regret = await addComment(app.deps, ada, plan, asked.thread, 'Our customer Globex is late again.');
    const only = await addComment(app.deps, ada, notes, mine.thread, 'Yes: the budget.');
    await clock.advance(60_000);
    const row = (await createBrief(app.deps, bob, { since: start }))!;
    const built = await getBrief(app.deps, bob, { id: row.id });
    expect(built.items.map((i) => [i.docId, i.reasons])).toEqual([
      [plan.id, ['thread']],
      [notes.id, ['thread']],
    ]);
    expect(built.markdown).toContain('Globex is late again');

    await deleteComment(app.deps, ada, plan, regret);
    await deleteComment(app.deps, ada, notes, only);
    await editComment(app.deps, ada, plan, kept, 'The 19th, unless QA objects.');
    const shown = await getBrief(app.deps, bob, { id: row.id });
    expect(shown.items.map((i) => i.docId)).toEqual([plan.id]);
    expect(shown.items[0]!.threads[0]!.replies.map((r) => r.text)).toEqual(['The 19th, unless QA objects.']);
    expect(shown.items[0]!.threads[0]!.commentIds).toEqual([kept.id]);
    expect(shown.markdown).not.toContain('Globex');
    expect(shown.markdown).not.toContain('the budget');
    expect(shown.markdown).not.toContain('Notes');
    expect(shown.markdown).toContain('The 19th, unless QA objects.');
    expect(shown.markdown).not.toContain('The 12th');
    expect(JSON.stringify(shown.items)).not.toContain('Globex');
  });
});
