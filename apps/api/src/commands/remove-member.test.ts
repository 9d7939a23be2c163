import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { listMembers } from './list-members.ts';
import { putMember } from './put-member.ts';
import { removeMember } from './remove-member.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('removeMember', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('removes the membership and emits space.membership with role null', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'S', private: true });
    await putMember(app.deps, space.id, bob.id, 'editor');
    app.published.length = 0;
    await removeMember(app.deps, space.id, bob.id);
    expect(await listMembers(app.deps, space.id)).toEqual([{ userId: ada.id, role: 'admin' }]);
    const event = { topic: 'space.membership', spaceId: space.id, userId: bob.id, role: null };
    expect((await app.outboxOf('space.membership')).at(-1)).toEqual(event);
    expect(app.published).toEqual([event]);
  });

  it('answers 404 for someone who is not a member, without an event', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    app.published.length = 0;
    await expect(removeMember(app.deps, space.id, bob.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect(app.published).toEqual([]);
    expect(await app.outboxOf('space.membership')).toHaveLength(1);
  });

  it('keeps the last admin (409 last_admin)', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await expect(removeMember(app.deps, space.id, ada.id)).rejects.toMatchObject({ code: 'last_admin' });
    expect(await listMembers(app.deps, space.id)).toHaveLength(1);
  });
});
