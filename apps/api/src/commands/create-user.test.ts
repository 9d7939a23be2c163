import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from './create-user.ts';
import { logIn } from './log-in.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('createUser', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const input = (handle: string, email = `${handle}@example.com`) => ({ email, name: handle, handle, password: `${handle}-secret`, timezone: 'UTC' });

  it('makes the first person the admin, the next a member who can log in', async () => {
    expect((await createUser(app.deps, input('ada'))).role).toBe('admin');
    const bob = await createUser(app.deps, input('bob'));
    expect(bob.role).toBe('member');
    await expect(logIn(app.deps, { email: 'bob@example.com', password: 'bob-secret' }, '10.0.0.1')).resolves.toMatchObject({ user: { id: bob.id } });
  });

  it('refuses a taken e-mail or handle with 409, naming the field', async () => {
    await createUser(app.deps, input('ada'));
    await expect(createUser(app.deps, input('ada2', 'ada@example.com'))).rejects.toMatchObject({ kind: 'conflict', details: { field: 'email' } });
    await expect(createUser(app.deps, input('ada', 'other@example.com'))).rejects.toMatchObject({ kind: 'conflict', details: { field: 'handle' } });
  });
});
