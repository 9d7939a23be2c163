import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { diffRevisions } from './diff-revisions.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('diffRevisions', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('diffs two revisions block by block', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc', markdown: 'Same.\n\nOld words.' });
    await updateDoc(app.deps, ada, doc, { markdown: 'Same.\n\nNew words.\n\nAdded.' });
    const diff = await diffRevisions(app.deps, doc.id, 1, 2);
    expect(diff).toMatchObject({ from: 1, to: 2 });
    expect(diff.blocks[0]).toMatchObject({ op: 'same', after: 'Same.' });
    expect(diff.blocks.map((b) => b.op)).toEqual(['same', 'changed', 'added']);
    await expect(diffRevisions(app.deps, doc.id, 1, 5)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
