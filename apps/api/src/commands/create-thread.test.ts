import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, revisions } from '@handoff/db';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { listThreads } from './list-threads.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('createThread', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const setup = async () => {
    const ada = await app.person('ada');
    const lena = await app.person('lena');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Plan', markdown: 'We ship on **Friday** at noon.\n\nThe second paragraph mentions Friday too.' });
    return { ada, lena, space, doc };
  };

  it('anchors on the first occurrence of a quote, across formatting, without touching the body', async () => {
    const { ada, doc } = await setup();
    const thread = await createThread(app.deps, ada, doc, { markdown: 'Which Friday?', anchor: { quote: 'on Friday at' } });
    expect(thread.thread).toMatchObject({ quote: 'on Friday at', status: 'open', orphaned: false });
    expect(thread.comments).toMatchObject([{ authorId: ada.id, markdown: 'Which Friday?' }]);
    const [listed] = await listThreads(app.deps, doc);
    expect(listed!.anchor).toEqual({ orphaned: false, text: 'on Friday at' });
    const revs = await app.deps.db.select().from(revisions).where(eq(revisions.docId, doc.id)).all();
    expect(revs).toHaveLength(1);
    expect(await app.outboxOf('thread.changed')).toMatchObject([{ docId: doc.id, threadId: thread.thread.id, change: 'created', actor: ada.id }]);
    expect(await app.outboxOf('doc.revised')).toEqual([]);
  });

  it('answers 422 for a quote that does not occur, or spans two paragraphs', async () => {
    const { ada, doc } = await setup();
    await expect(createThread(app.deps, ada, doc, { markdown: 'x', anchor: { quote: 'Thursday' } })).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(createThread(app.deps, ada, doc, { markdown: 'x', anchor: { quote: 'noon.\nThe' } })).rejects.toMatchObject({ kind: 'unprocessable' });
  });

  it('asks the addressed and the @mentioned (never the author), and rejects unknown people', async () => {
    const { ada, lena, doc } = await setup();
    const bo = await app.person('bo');
    const thread = await createThread(app.deps, ada, doc, { markdown: 'Can you check, @bo? cc @ada', ask: [lena.id] });
    expect(thread.asks.map((a) => [a.userId, a.addressed]).sort()).toEqual([[bo.id, false], [lena.id, true]].sort());
    await expect(createThread(app.deps, ada, doc, { markdown: 'x', ask: ['nobody-at-all'] })).rejects.toMatchObject({ kind: 'unprocessable' });
  });

  it('refuses a comment over 10,000 characters with 413', async () => {
    const { ada, doc } = await setup();
    await expect(createThread(app.deps, ada, doc, { markdown: 'x'.repeat(10_001) })).rejects.toMatchObject({ kind: 'too_large' });
  });
});
