import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { listRevisions } from './list-revisions.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listRevisions', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('lists every revision newest first, with authors and messages', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc', markdown: 'One.' });
    await updateDoc(app.deps, bob, doc, { markdown: 'Two.', message: 'why' });
    const list = await listRevisions(app.deps, doc.id);
    expect(list).toMatchObject([
      { revision: 2, authors: [bob.id], message: 'why', title: 'Doc' },
      { revision: 1, authors: [ada.id], message: null, title: 'Doc' },
    ]);
    expect(await listRevisions(app.deps, 'missing')).toEqual([]);
  });
});
