import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { createSpace } from './create-space.ts';
import { listMembers } from './list-members.ts';
import { putMember } from './put-member.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listMembers', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('lists explicit members oldest first (the default role of an open space is not a membership)', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    await app.person('cy');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await clock.advance(1000);
    await putMember(app.deps, space.id, bob.id, 'viewer');
    expect(await listMembers(app.deps, space.id)).toEqual([
      { userId: ada.id, role: 'admin' },
      { userId: bob.id, role: 'viewer' },
    ]);
  });
});
