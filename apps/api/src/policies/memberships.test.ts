import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from '../commands/create-space.ts';
import { putMember } from '../commands/put-member.ts';
import { commandTestApp, type CommandTestApp } from '../commands/testing/command-test-app.ts';
import { authorizeMembershipChange } from './memberships.ts';

describe('authorizeMembershipChange', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('lets space admins change anyone, and nobody else change others', async () => {
    await app.person('root');
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const cy = await app.person('cy');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await putMember(app.deps, space.id, bob.id, 'editor');
    await expect(authorizeMembershipChange(app.deps.db, ada, space.id, cy.id, 'viewer')).resolves.toMatchObject({ role: 'admin' });
    await expect(authorizeMembershipChange(app.deps.db, bob, space.id, cy.id, 'viewer')).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(authorizeMembershipChange(app.deps.db, bob, space.id, cy.id, null)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('lets anyone leave, except a viewer of an open space (leaving would make them an editor)', async () => {
    await app.person('root');
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const open = await createSpace(app.deps, ada, { name: 'Open' });
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    await putMember(app.deps, open.id, bob.id, 'viewer');
    await putMember(app.deps, closed.id, bob.id, 'viewer');
    await expect(authorizeMembershipChange(app.deps.db, bob, open.id, bob.id, null)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(authorizeMembershipChange(app.deps.db, bob, closed.id, bob.id, null)).resolves.toMatchObject({ space: { id: closed.id } });
  });

  it('hides a private space from those who cannot see it (404)', async () => {
    await app.person('root');
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    await expect(authorizeMembershipChange(app.deps.db, bob, closed.id, bob.id, 'admin')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
