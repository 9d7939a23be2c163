import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { getRevision } from './get-revision.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('getRevision', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('answers the document as it was at a revision, with that revision\'s decision and author', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'ADR', kind: 'decision', markdown: 'Then.' });
    const { doc: now } = await updateDoc(app.deps, bob, doc, { title: 'ADR 2', markdown: 'Now.', decision: { status: 'rejected' } });
    const then = await getRevision(app.deps, now, 1);
    expect(then.doc).toMatchObject({ id: doc.id, revision: 1, title: 'ADR', markdown: 'Then.\n', updatedBy: ada.id, updatedAt: doc.createdAt });
    expect(then.decision).toMatchObject({ status: 'proposed' });
    expect((await getRevision(app.deps, now, 2)).decision).toMatchObject({ status: 'rejected' });
    await expect(getRevision(app.deps, now, 3)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
