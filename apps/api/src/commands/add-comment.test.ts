import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addComment } from './add-comment.ts';
import { createThread } from './create-thread.ts';
import { listWaiting } from './list-waiting.ts';
import { ManualClock } from '../domain/clock.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('addComment', () => {
  let app: CommandTestApp;
  let clock: ManualClock;
  beforeEach(async () => void (app = await commandTestApp({ clock: (clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'))) })));
  afterEach(() => app.close());

  it('appends a reply, moves the thread on, asks the @mentioned and answers what the thread asked the author', async () => {
    const { ada, lena, space, doc } = await threadSetting(app);
    const bo = await app.person('bo');
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Is Friday firm?', ask: [lena.id] });
    expect((await listWaiting(app.deps, lena, [space.id])).threads.map((t) => t.thread.id)).toEqual([thread.id]);

    await clock.advance(1000);
    const reply = await addComment(app.deps, lena, doc, thread, 'Yes — @bo confirms the deploy window.');
    expect(reply).toMatchObject({ threadId: thread.id, authorId: lena.id, docId: doc.id });
    expect((await listWaiting(app.deps, lena, [space.id])).threads).toEqual([]);
    expect((await listWaiting(app.deps, bo, [space.id])).threads.map((t) => t.thread.id)).toEqual([thread.id]);
    expect((await app.outboxOf('thread.changed')).at(-1)).toMatchObject({ change: 'replied', commentId: reply.id, actor: lena.id, asked: [bo.id] });
  });
});
