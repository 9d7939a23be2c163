import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { listMembers } from './list-members.ts';
import { putMember } from './put-member.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('putMember', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('adds a member, then changes the role, emitting space.membership each time', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'S', private: true });
    await putMember(app.deps, space.id, bob.id, 'viewer');
    expect(await putMember(app.deps, space.id, bob.id, 'editor')).toEqual({ userId: bob.id, role: 'editor' });
    expect(await listMembers(app.deps, space.id)).toContainEqual({ userId: bob.id, role: 'editor' });
    const outbox = await app.outboxOf('space.membership');
    expect(outbox.slice(1)).toEqual([
      { topic: 'space.membership', spaceId: space.id, userId: bob.id, role: 'viewer' },
      { topic: 'space.membership', spaceId: space.id, userId: bob.id, role: 'editor' },
    ]);
    expect(app.published.filter((e) => e.topic === 'space.membership')).toEqual(outbox);
  });

  it('refuses to demote the last admin (409 last_admin) and writes nothing', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await expect(putMember(app.deps, space.id, ada.id, 'editor')).rejects.toMatchObject({ kind: 'conflict', code: 'last_admin' });
    expect(await listMembers(app.deps, space.id)).toEqual([{ userId: ada.id, role: 'admin' }]);
    expect(await app.outboxOf('space.membership')).toHaveLength(1);
  });

  it('lets an admin step down once there is another admin', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await putMember(app.deps, space.id, bob.id, 'admin');
    await putMember(app.deps, space.id, ada.id, 'viewer');
    expect(await listMembers(app.deps, space.id)).toEqual([
      { userId: ada.id, role: 'viewer' },
      { userId: bob.id, role: 'admin' },
    ]);
  });

  it('answers 404 for an unknown person', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await expect(putMember(app.deps, space.id, 'ghost', 'editor')).rejects.toMatchObject({ kind: 'not_found', message: 'User was not found.' });
  });
});
