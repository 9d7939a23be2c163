import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { moveDoc } from './move-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('moveDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('moves under another document of the space, emitting doc.moved; never under itself or a child', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc: a } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'A' });
    const { doc: b } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'B' });
    const moved = await moveDoc(app.deps, ada, b, a.id);
    expect(moved.parentId).toBe(a.id);
    const event = { topic: 'doc.moved', docId: b.id, spaceId: space.id, parentId: a.id, actor: ada.id };
    expect(await app.outboxOf('doc.moved')).toEqual([event]);
    expect(app.published).toContainEqual(event);
    await expect(moveDoc(app.deps, ada, a, b.id)).rejects.toMatchObject({ kind: 'unprocessable' });
    await expect(moveDoc(app.deps, ada, a, a.id)).rejects.toMatchObject({ kind: 'unprocessable' });
    expect(await moveDoc(app.deps, ada, moved, a.id)).toEqual(moved);
    expect(await app.outboxOf('doc.moved')).toHaveLength(1);
  });

  it('refuses a parent in another space', async () => {
    const ada = await app.person('ada');
    const one = await createSpace(app.deps, ada, { name: 'One' });
    const two = await createSpace(app.deps, ada, { name: 'Two' });
    const { doc: a } = await createDoc(app.deps, ada, { spaceId: one.id, title: 'A' });
    const { doc: b } = await createDoc(app.deps, ada, { spaceId: two.id, title: 'B' });
    await expect(moveDoc(app.deps, ada, b, a.id)).rejects.toMatchObject({ kind: 'unprocessable' });
  });
});
