import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { updateSpace } from './update-space.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('updateSpace', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('renames and closes a space, emitting space.changed to the outbox and the bus', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'Old' });
    const updated = await updateSpace(app.deps, ada, space.id, { name: 'New', private: true });
    expect(updated).toMatchObject({ id: space.id, name: 'New', private: true });
    const event = { topic: 'space.changed', spaceId: space.id, actor: ada.id };
    expect(await app.outboxOf('space.changed')).toEqual([event]);
    expect(app.published).toContainEqual(event);
  });

  it('keeps what is not given', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'Kept', private: true });
    expect(await updateSpace(app.deps, ada, space.id, {})).toMatchObject({ name: 'Kept', private: true });
  });

  it('writes no event for a space that does not exist', async () => {
    const ada = await app.person('ada');
    await expect(updateSpace(app.deps, ada, 'missing', { name: 'x' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await app.outboxOf('space.changed')).toEqual([]);
    expect(app.published.filter((e) => e.topic === 'space.changed')).toEqual([]);
  });
});
