import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addComment } from './add-comment.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { editComment } from './edit-comment.ts';
import { listThreads } from './list-threads.ts';
import { listWaiting } from './list-waiting.ts';
import { ManualClock } from '../domain/clock.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('editComment', () => {
  let app: CommandTestApp;
  let clock: ManualClock;
  beforeEach(async () => void (app = await commandTestApp({ clock: (clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'))) })));
  afterEach(() => app.close());

  it('changes the text and marks it edited; a newly @mentioned person is asked, one mentioned before is not asked again', async () => {
    const { ada, lena, space, doc } = await threadSetting(app);
    const bo = await app.person('bo');
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Draft for @lena' });
    await clock.advance(1_000);
    await addComment(app.deps, lena, doc, thread, 'Looks fine.');
    await clock.advance(60_000);
    const [first] = (await listThreads(app.deps, doc))[0]!.comments;
    const edited = await editComment(app.deps, ada, doc, first!, 'Draft for @lena and @bo');
    expect(edited).toMatchObject({ markdown: 'Draft for @lena and @bo', editedAt: clock.now() });
    expect((await listWaiting(app.deps, bo, [space.id])).threads.map((t) => t.thread.id)).toEqual([thread.id]);
    expect((await listWaiting(app.deps, lena, [space.id])).threads).toEqual([]);
  });

  it('refuses to edit a deleted comment (409)', async () => {
    const { ada, doc } = await threadSetting(app);
    const { comments } = await createThread(app.deps, ada, doc, { markdown: 'Soon gone' });
    await deleteComment(app.deps, ada, doc, comments[0]!);
    const [gone] = (await listThreads(app.deps, doc))[0]!.comments;
    await expect(editComment(app.deps, ada, doc, gone!, 'back')).rejects.toMatchObject({ kind: 'conflict', code: 'comment_deleted' });
  });
});
