import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createThread } from './create-thread.ts';
import { listThreads } from './list-threads.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('listThreads', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('resolves each anchor against the body now: it follows its text when blocks around it change', async () => {
    const { ada, doc } = await threadSetting(app);
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Manual?', anchor: { quote: 'is manual' } });
    await updateDoc(app.deps, ada, doc, { markdown: 'A new first paragraph.\n\nWe ship on Friday at noon.\n\nRollback is manual.' });
    const [listed] = await listThreads(app.deps, doc);
    expect(listed).toMatchObject({ thread: { id: thread.id, quote: 'is manual' }, anchor: { orphaned: false, text: 'is manual' } });
  });

  it('an anchor whose text was deleted is orphaned, kept with its quote, and the flag is stored', async () => {
    const { ada, doc } = await threadSetting(app);
    await createThread(app.deps, ada, doc, { markdown: 'Manual?', anchor: { quote: 'Rollback' } });
    await createThread(app.deps, ada, doc, { markdown: 'On the whole page' });
    await updateDoc(app.deps, ada, doc, { markdown: 'We ship on Friday at noon.' });
    const [anchored, whole] = await listThreads(app.deps, doc);
    expect(anchored).toMatchObject({ thread: { quote: 'Rollback' }, anchor: { orphaned: true, text: null } });
    expect(whole!.anchor).toBeNull();
    // Stored: a list that does not open the body (briefs, waiting) sees it too.
    const again = await listThreads(app.deps, doc, 'open');
    expect(again[0]!.thread.orphaned).toBe(true);
  });

  it('filters by status and lists oldest first with comments in order', async () => {
    const { ada, doc } = await threadSetting(app);
    const a = await createThread(app.deps, ada, doc, { markdown: 'first' });
    const b = await createThread(app.deps, ada, doc, { markdown: 'second', anchor: { quote: 'Friday' } });
    expect((await listThreads(app.deps, doc)).map((t) => t.thread.id)).toEqual([a.thread.id, b.thread.id]);
    expect((await listThreads(app.deps, doc, 'resolved')).length).toBe(0);
  });
});
