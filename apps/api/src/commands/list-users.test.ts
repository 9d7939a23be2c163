import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, users } from '@handoff/db';
import { listUsers } from './list-users.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listUsers', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('lists people by name and leaves out the deactivated', async () => {
    await app.person('zoe');
    await app.person('ada');
    const gone = await app.person('bob');
    await app.deps.db.update(users).set({ deactivatedAt: app.deps.clock.now() }).where(eq(users.id, gone.id));
    expect((await listUsers(app.deps)).map((u) => u.handle)).toEqual(['ada', 'zoe']);
  });
});
