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
    expect(waiting.map((t) => [t.thread.id, t.doc.title])).toEqual([[visible.thread.id, 'Plan']]);
    expect((await listWaiting(app.deps, lena, [space.id, secret.id])).length).toBe(2);

    await trashDoc(app.deps, ada, doc);
    expect(await listWaiting(app.deps, lena, [space.id])).toEqual([]);
  });
});
