import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, views } from '@handoff/db';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { getDoc } from './get-doc.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('getDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const serialize = (doc: { title: string; revision: number }) => JSON.stringify({ title: doc.title, revision: doc.revision });

  it('answers the serialized document, records the view unless peeking, and follows writes', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'Open' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Read me' });
    const viewOf = () => app.deps.db.select().from(views).where(and(eq(views.userId, bob.id), eq(views.docId, doc.id))).get();

    expect((await getDoc(app.deps, bob, doc.id, { peek: true, serialize })).json).toBe(serialize(doc));
    expect(await viewOf()).toBeUndefined();
    await getDoc(app.deps, bob, doc.id, { peek: false, serialize });
    expect((await viewOf())?.revision).toBe(1);

    // The cache follows doc.revised: the next read is the new revision.
    await updateDoc(app.deps, ada, doc, { title: 'Renamed' });
    expect(JSON.parse((await getDoc(app.deps, bob, doc.id, { peek: false, serialize })).json)).toEqual({ title: 'Renamed', revision: 2 });
    expect((await viewOf())?.revision).toBe(2);
  });

  it('is not found for someone outside a private space, and for a missing document', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob', 'member');
    const space = await createSpace(app.deps, ada, { name: 'Private', private: true });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Secret' });
    await expect(getDoc(app.deps, bob, doc.id, { peek: true, serialize })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getDoc(app.deps, ada, 'missing', { peek: true, serialize })).rejects.toMatchObject({ kind: 'not_found' });
  });
});
