import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { HANDOFF_TEMPLATE_MARKDOWN } from '@handoff/shared/handoff-template';
import { createSpace } from './create-space.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('createDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('creates revision 1 from Markdown, emitting doc.created to the outbox and the bus', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc, decision } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Hello', markdown: 'Some **bold** text, @ada.' });
    expect(doc).toMatchObject({ title: 'Hello', revision: 1, markdown: 'Some **bold** text, @ada.\n', createdBy: ada.id });
    expect(decision).toBeNull();
    const event = { topic: 'doc.created', docId: doc.id, spaceId: space.id, revision: 1, actor: ada.id };
    expect(await app.outboxOf('doc.created')).toEqual([event]);
    expect(app.published).toContainEqual(event);
  });

  it('creates a decision record with its decision', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc, decision } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'ADR', kind: 'decision', decision: { status: 'accepted', owners: [ada.id] } });
    expect(doc.kind).toBe('decision');
    expect(decision).toMatchObject({ status: 'accepted', owners: [ada.id], supersedes: null });
    expect(decision?.decidedAt).toBe(doc.createdAt);
  });

  it('writes nothing for a parent in another space', async () => {
    const ada = await app.person('ada');
    const one = await createSpace(app.deps, ada, { name: 'One' });
    const two = await createSpace(app.deps, ada, { name: 'Two' });
    const { doc: parent } = await createDoc(app.deps, ada, { spaceId: one.id, title: 'Parent' });
    await expect(createDoc(app.deps, ada, { spaceId: two.id, title: 'Child', parentId: parent.id })).rejects.toMatchObject({ kind: 'unprocessable' });
    expect((await app.outboxOf('doc.created')).map((e) => e.docId)).toEqual([parent.id]);
  });

  it('creates a handoff note with the template and its recipients', async () => {
    const ada = await app.person('ada');
    const lena = await app.person('lena');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc, handoff } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Handoff', kind: 'handoff', handoff: { to: [lena.id, `space:${space.id}`] } });
    expect(doc.markdown).toBe(HANDOFF_TEMPLATE_MARKDOWN);
    expect(handoff).toEqual({ to: [lena.id, `space:${space.id}`].sort() });
    const page = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Page' });
    expect(page.handoff).toBeNull();
    await expect(createDoc(app.deps, ada, { spaceId: space.id, title: 'Page', handoff: { to: [] } })).rejects.toMatchObject({ kind: 'unprocessable' });
  });
});
