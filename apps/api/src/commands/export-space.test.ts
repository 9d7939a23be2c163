import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { exportSpace } from './export-space.ts';
import { trashDoc } from './trash-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('exportSpace', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('exports live documents as files, a parent as a folder with index.md, names unique per folder', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc: guides } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Guides', markdown: 'All.' });
    await createDoc(app.deps, ada, { spaceId: space.id, title: 'Setup', parentId: guides.id });
    await createDoc(app.deps, ada, { spaceId: space.id, title: 'Setup', parentId: guides.id });
    const { doc: gone } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Gone' });
    await trashDoc(app.deps, ada, gone);
    await createDoc(app.deps, ada, { spaceId: space.id, title: 'Grüße / Ω?' });
    await createDoc(app.deps, ada, { spaceId: space.id, title: 'grüße / ω?' });
    const files = await exportSpace(app.deps, space.id);
    expect(files.map((f) => f.path.join('/'))).toEqual(['Grüße _ Ω_.md', 'Guides/index.md', 'Guides/Setup.md', 'Guides/Setup (2).md', 'grüße _ ω_ (2).md']);
    expect(files[1]!.body).toMatch(/^---\ntitle: Guides\nkind: page\n[\s\S]*authors:\n {2}- ada\n---\n\nAll.\n$/);
  });
});
