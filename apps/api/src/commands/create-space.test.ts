import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { listMembers } from './list-members.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('createSpace', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('makes the creator its admin and records the membership in the outbox and on the bus', async () => {
    await app.person('root');
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'Research', private: true });
    expect(space).toMatchObject({ name: 'Research', private: true, createdBy: ada.id });
    expect(await listMembers(app.deps, space.id)).toEqual([{ userId: ada.id, role: 'admin' }]);
    const event = { topic: 'space.membership', spaceId: space.id, userId: ada.id, role: 'admin' };
    expect(await app.outboxOf('space.membership')).toEqual([event]);
    expect(app.published).toEqual([event]);
  });

  it('is open unless asked to be private', async () => {
    const ada = await app.person('ada');
    expect((await createSpace(app.deps, ada, { name: 'Open' })).private).toBe(false);
  });
});
