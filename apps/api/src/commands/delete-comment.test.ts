import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addComment } from './add-comment.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { listThreads } from './list-threads.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('deleteComment', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('keeps the comment in its thread, marked deleted and without its text; twice is the same as once', async () => {
    const { ada, lena, doc } = await threadSetting(app);
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Question' });
    const reply = await addComment(app.deps, lena, doc, thread, 'A secret I regret');
    await deleteComment(app.deps, lena, doc, reply);
    const [listed] = await listThreads(app.deps, doc);
    expect(listed!.comments.map((c) => [c.markdown, c.deletedAt !== null])).toEqual([
      ['Question', false],
      ['', true],
    ]);
    await deleteComment(app.deps, lena, doc, listed!.comments[1]!);
    expect((await app.outboxOf('thread.changed')).filter((e) => e.change === 'deleted')).toHaveLength(1);
  });
});
