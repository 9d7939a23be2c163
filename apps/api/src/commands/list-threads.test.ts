import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addComment } from './add-comment.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { editComment } from './edit-comment.ts';
import { listThreads } from './list-threads.ts';
import { setThreadResolution } from './resolve-thread.ts';
import { threadWithComments } from '../domain/threads.ts';
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

  it('reads every thread, comment and ask as stored (the same rows one thread at a time reads), for each status', async () => {
    const { ada, lena, doc } = await threadSetting(app);
    const first = await createThread(app.deps, ada, doc, { markdown: 'On *Friday*?', anchor: { quote: 'Friday at noon' }, ask: [lena.id] });
    const second = await createThread(app.deps, lena, doc, { markdown: 'Page-level, with a \u001f and "quotes"\nover two lines' });
    const replies = [await addComment(app.deps, lena, doc, first.thread, 'Yes, @ada.'), await addComment(app.deps, ada, doc, first.thread, 'Good.')];
    await editComment(app.deps, ada, doc, replies[1]!, 'Good, edited.');
    await deleteComment(app.deps, lena, doc, replies[0]!);
    await setThreadResolution(app.deps, ada, doc, second.thread, 'resolved');

    const all = await listThreads(app.deps, doc, 'all');
    const oldestFirst = [first.thread, second.thread].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((t) => t.id);
    expect(all.map((t) => t.thread.id)).toEqual(oldestFirst);
    for (const t of all) {
      const { anchor, ...rows } = t;
      expect(rows).toEqual(await threadWithComments(app.deps.db, t.thread.id));
      expect(anchor).toEqual(t.thread.anchorStart ? { orphaned: false, text: 'Friday at noon' } : null);
    }
    const one = all.find((t) => t.thread.id === first.thread.id)!;
    expect(new Set(one.comments.map((c) => c.markdown))).toEqual(new Set(['On *Friday*?', '', 'Good, edited.']));
    expect(one.comments.find((c) => c.id === replies[0]!.id)).toMatchObject({ markdown: '', deletedAt: expect.any(Number) });
    expect(one.comments.find((c) => c.id === replies[1]!.id)).toMatchObject({ markdown: 'Good, edited.', editedAt: expect.any(Number), deletedAt: null });
    expect(one.asks.map((a) => [a.userId, a.addressed])).toEqual(expect.arrayContaining([[lena.id, true]]));
    expect(all.find((t) => t.thread.id === second.thread.id)!.comments[0]!.markdown).toBe('Page-level, with a \u001f and "quotes"\nover two lines');
    expect((await listThreads(app.deps, doc, 'open')).map((t) => t.thread.id)).toEqual([first.thread.id]);
    const resolved = await listThreads(app.deps, doc, 'resolved');
    expect(resolved.map((t) => [t.thread.id, t.thread.status, t.thread.resolvedBy, t.comments.length])).toEqual([[second.thread.id, 'resolved', ada.id, 1]]);
  });

  it('resolves against the body as it is at each listing (a decoded body is reused only while unchanged)', async () => {
    const { ada, doc } = await threadSetting(app);
    await createThread(app.deps, ada, doc, { markdown: 'When?', anchor: { quote: 'Friday at noon' } });
    expect((await listThreads(app.deps, doc))[0]!.anchor).toEqual({ orphaned: false, text: 'Friday at noon' });
    await updateDoc(app.deps, ada, doc, { markdown: 'We ship on Friday at 12:00 noon.\n\nRollback is manual.' });
    expect((await listThreads(app.deps, doc))[0]!.anchor).toEqual({ orphaned: false, text: 'Friday at 12:00 noon' });
    await updateDoc(app.deps, ada, doc, { markdown: 'Rollback is manual.' });
    expect((await listThreads(app.deps, doc))[0]!.anchor).toEqual({ orphaned: true, text: null });
  });
});
