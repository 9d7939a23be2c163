import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { createThread } from './create-thread.ts';
import { listWaiting } from './list-waiting.ts';
import { trashDoc } from './trash-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('listWaiting', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('lists open threads that asked the person, only in the spaces given and never on trashed documents', async () => {
    const { ada, lena, space, doc } = await threadSetting(app);
    const secret = await createSpace(app.deps, ada, { name: 'Board', private: true });
    const { doc: hidden } = await createDoc(app.deps, ada, { spaceId: secret.id, title: 'Hidden' });
    const visible = await createThread(app.deps, ada, doc, { markdown: 'Your call', ask: [lena.id] });
    await createThread(app.deps, ada, hidden, { markdown: 'Your call too, @lena' });
    await createThread(app.deps, ada, doc, { markdown: 'Not a question for anyone' });

    const waiting = await listWaiting(app.deps, lena, [space.id]);
    expect(waiting.threads.map((t) => [t.thread.id, t.doc.title])).toEqual([[visible.thread.id, 'Plan']]);
    expect((await listWaiting(app.deps, lena, [space.id, secret.id])).threads.length).toBe(2);

    await trashDoc(app.deps, ada, doc);
    expect((await listWaiting(app.deps, lena, [space.id])).threads).toEqual([]);
  });

  it('lists the unanswered asks of handoff notes, only in the spaces given and never on trashed notes', async () => {
    const { ada, lena, space } = await threadSetting(app);
    const secret = await createSpace(app.deps, ada, { name: 'Board', private: true });
    const markdown = '## Blocked on\n\n- the schema review, @lena\n\n## Decisions needed\n\n- @lena: ship on Friday?\n';
    const { doc: note } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Handoff', kind: 'handoff', markdown });
    await createDoc(app.deps, ada, { spaceId: secret.id, title: 'Secret handoff', kind: 'handoff', markdown });

    const waiting = await listWaiting(app.deps, lena, [space.id]);
    expect(waiting.handoffAsks.map((a) => [a.docId, a.section, a.text, a.askedBy]).sort()).toEqual([
      [note.id, 'blocked', 'the schema review, @lena', ada.id],
      [note.id, 'decision', '@lena: ship on Friday?', ada.id],
    ]);
    expect((await listWaiting(app.deps, lena, [space.id, secret.id])).handoffAsks.length).toBe(4);
    expect((await listWaiting(app.deps, ada, [space.id, secret.id])).handoffAsks).toEqual([]);

    await trashDoc(app.deps, ada, note);
    expect((await listWaiting(app.deps, lena, [space.id])).handoffAsks).toEqual([]);
  });
});
