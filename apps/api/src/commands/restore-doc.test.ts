import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documents, eq } from '@handoff/db';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { restoreDoc } from './restore-doc.ts';
import { trashDoc } from './trash-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('restoreDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const row = (id: string) => app.deps.db.select().from(documents).where(eq(documents.id, id)).get();

  it('brings back a document with what was trashed with it, one doc.restored each', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc: parent } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Parent' });
    const { doc: child } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Child', parentId: parent.id });
    await trashDoc(app.deps, ada, parent);
    const { doc } = await restoreDoc(app.deps, ada, (await row(parent.id))!);
    expect(doc.trashedAt).toBeNull();
    expect((await row(child.id))?.trashedAt).toBeNull();
    expect((await app.outboxOf('doc.restored')).map((e) => e.docId).sort()).toEqual([parent.id, child.id].sort());
    expect(app.published.filter((e) => e.topic === 'doc.restored')).toHaveLength(2);
  });

  it('moves a document to the top when its parent is still in the trash', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc: parent } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Parent' });
    const { doc: child } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Child', parentId: parent.id });
    await trashDoc(app.deps, ada, parent);
    const { doc } = await restoreDoc(app.deps, ada, (await row(child.id))!);
    expect(doc.parentId).toBeNull();
    expect((await row(parent.id))?.trashedAt).not.toBeNull();
  });

  it('refuses a document that is not in the trash', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc' });
    await expect(restoreDoc(app.deps, ada, doc)).rejects.toMatchObject({ kind: 'conflict' });
  });
});
