import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documents, eq } from '@handoff/db';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('updateDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const setup = async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc: parent } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Parent' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Child', markdown: 'Before.' });
    return { ada, space, parent, doc };
  };

  it('moves and edits in one transaction: one revision, doc.moved and doc.revised', async () => {
    const { ada, parent, doc } = await setup();
    const { doc: next } = await updateDoc(app.deps, ada, doc, { parentId: parent.id, title: 'Moved', markdown: 'After.' });
    expect(next).toMatchObject({ parentId: parent.id, title: 'Moved', markdown: 'After.\n', revision: 2 });
    expect(await app.outboxOf('doc.moved')).toEqual([{ topic: 'doc.moved', docId: doc.id, spaceId: doc.spaceId, parentId: parent.id, actor: ada.id }]);
    expect(await app.outboxOf('doc.revised')).toMatchObject([{ docId: doc.id, revision: 2, titleChanged: true, bodyChanged: true, decisionChanged: false }]);
    expect(app.published.map((e) => e.topic)).toEqual(expect.arrayContaining(['doc.moved', 'doc.revised']));
  });

  it('commits nothing, not even the move, when the edit fails inside the transaction', async () => {
    const { ada, parent } = await setup();
    const { doc: adr } = await createDoc(app.deps, ada, { spaceId: parent.spaceId, title: 'ADR', kind: 'decision' });
    await expect(updateDoc(app.deps, ada, adr, { parentId: parent.id, decision: { owners: ['nobody'] } })).rejects.toMatchObject({ kind: 'unprocessable' });
    const row = await app.deps.db.select().from(documents).where(eq(documents.id, adr.id)).get();
    expect(row).toMatchObject({ parentId: null, revision: 1 });
    expect(await app.outboxOf('doc.moved')).toEqual([]);
    expect(app.published.filter((e) => e.topic === 'doc.moved')).toEqual([]);
  });

  it('a move alone makes no revision', async () => {
    const { ada, parent, doc } = await setup();
    const { doc: next } = await updateDoc(app.deps, ada, doc, { parentId: parent.id });
    expect(next).toMatchObject({ parentId: parent.id, revision: 1 });
    expect(await app.outboxOf('doc.revised')).toEqual([]);
    expect(await app.outboxOf('doc.moved')).toHaveLength(1);
  });

  it('a change that alters nothing makes no revision and no event', async () => {
    const { ada, doc } = await setup();
    const { doc: next } = await updateDoc(app.deps, ada, doc, { title: 'Child', markdown: 'Before.' });
    expect(next.revision).toBe(1);
    expect(await app.outboxOf('doc.revised')).toEqual([]);
  });

  it('refuses a document in the trash', async () => {
    const { ada, doc } = await setup();
    await app.deps.db.update(documents).set({ trashedAt: 1 }).where(eq(documents.id, doc.id));
    await expect(updateDoc(app.deps, ada, doc, { title: 'x' })).rejects.toMatchObject({ kind: 'conflict' });
  });

  it("replaces a handoff note's recipients as one revision; refuses recipients on other kinds", async () => {
    const ada = await app.person('ada');
    const lena = await app.person('lena');
    const space = await createSpace(app.deps, ada, { name: 'Handoffs' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Handoff', kind: 'handoff', handoff: { to: [lena.id] } });
    const changed = await updateDoc(app.deps, ada, doc, { handoff: { to: [`space:${space.id}`] } });
    expect(changed.handoff).toEqual({ to: [`space:${space.id}`] });
    expect(changed.doc.revision).toBe(2);
    const same = await updateDoc(app.deps, ada, changed.doc, { handoff: { to: [`space:${space.id}`] } });
    expect(same.doc.revision).toBe(2);
    const { doc: page } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Page' });
    await expect(updateDoc(app.deps, ada, page, { handoff: { to: [] } })).rejects.toMatchObject({ kind: 'unprocessable' });
  });
});
