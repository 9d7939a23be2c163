import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documents, eq } from '@handoff/db';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { trashDoc } from './trash-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('trashDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('trashes a document with its children, one doc.trashed each', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc: parent } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Parent' });
    const { doc: child } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Child', parentId: parent.id });
    await trashDoc(app.deps, ada, parent);
    for (const id of [parent.id, child.id]) {
      expect((await app.deps.db.select().from(documents).where(eq(documents.id, id)).get())?.trashedAt).toEqual(expect.any(Number));
    }
    const events = await app.outboxOf('doc.trashed');
    expect(events.map((e) => e.docId).sort()).toEqual([parent.id, child.id].sort());
    expect(app.published.filter((e) => e.topic === 'doc.trashed')).toHaveLength(2);
  });

  it('refuses a document already in the trash, writing no event', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc' });
    await expect(trashDoc(app.deps, ada, { ...doc, trashedAt: 1 })).rejects.toMatchObject({ kind: 'conflict' });
    expect(await app.outboxOf('doc.trashed')).toEqual([]);
  });
});
