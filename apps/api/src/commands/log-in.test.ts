import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveToken } from '../domain/credentials.ts';
import { logIn } from './log-in.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('logIn', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('starts a session for the right password', async () => {
    const ada = await app.person('ada');
    const { user, session } = await logIn(app.deps, { email: 'ada@example.com', password: 'ada-password' }, '10.0.0.1');
    expect(user.id).toBe(ada.id);
    expect(await resolveToken(app.deps.db, app.deps.clock, session.token, app.deps.config.session)).toMatchObject({ user: { id: ada.id } });
  });

  it('answers a wrong password and an unknown e-mail alike, and verifies a password for both', async () => {
    await app.person('ada');
    let verified = 0;
    const passwords = app.deps.passwords!;
    app.deps.passwords = { hash: passwords.hash, verify: async (stored, p) => (verified++, passwords.verify(stored, p)) };
    const wrong = logIn(app.deps, { email: 'ada@example.com', password: 'nope' }, '10.0.0.1');
    await expect(wrong).rejects.toMatchObject({ kind: 'unauthenticated', message: 'Wrong email or password.' });
    const unknown = logIn(app.deps, { email: 'who@example.com', password: 'nope' }, '10.0.0.1');
    await expect(unknown).rejects.toMatchObject({ kind: 'unauthenticated', message: 'Wrong email or password.' });
    expect(verified).toBe(2);
  });

  it('locks an account and address out after the limit, even for the right password', async () => {
    await app.person('ada');
    const limit = app.deps.config.authLimits.loginPerAccount.points;
    for (let i = 0; i < limit; i++) {
      await expect(logIn(app.deps, { email: 'ada@example.com', password: 'wrong' }, '10.0.0.1')).rejects.toMatchObject({ kind: 'unauthenticated' });
    }
    await expect(logIn(app.deps, { email: 'ada@example.com', password: 'ada-password' }, '10.0.0.1')).rejects.toMatchObject({ kind: 'rate_limited' });
  });
});
