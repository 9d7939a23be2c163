import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveToken } from '../domain/credentials.ts';
import { changePassword } from './change-password.ts';
import { createToken } from './create-token.ts';
import { logIn } from './log-in.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('changePassword', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  const login = (password = 'ada-password') => logIn(app.deps, { email: 'ada@example.com', password }, '10.0.0.1');
  const resolve = (token: string) => resolveToken(app.deps.db, app.deps.clock, token, app.deps.config.session);

  it('ends the other sessions, keeps the caller and API tokens, and emits user.access (password)', async () => {
    const ada = await app.person('ada');
    const mine = await login();
    const other = await login();
    const { token } = await createToken(app.deps, ada.id, { name: 'cli' });
    await changePassword(app.deps, (await resolve(mine.session.token))!, { currentPassword: 'ada-password', newPassword: 'a new password' });
    expect(await resolve(mine.session.token)).not.toBeNull();
    expect(await resolve(other.session.token)).toBeNull();
    expect(await resolve(token)).not.toBeNull();
    await expect(login()).rejects.toMatchObject({ kind: 'unauthenticated' });
    await expect(login('a new password')).resolves.toBeTruthy();
    const event = { topic: 'user.access', userId: ada.id, reason: 'password' };
    expect(await app.outboxOf('user.access')).toEqual([event]);
    expect(app.published).toEqual([event]);
  });

  it('refuses a wrong current password (403 wrong_password) and changes nothing', async () => {
    await app.person('ada');
    const mine = await login();
    const other = await login();
    const auth = (await resolve(mine.session.token))!;
    await expect(changePassword(app.deps, auth, { currentPassword: 'nope', newPassword: 'x'.repeat(12) })).rejects.toMatchObject({ code: 'wrong_password' });
    expect(await resolve(other.session.token)).not.toBeNull();
    expect(app.published).toEqual([]);
  });

  it('counts attempts before checking the password (429 past the limit)', async () => {
    await app.person('ada');
    const auth = (await resolve((await login()).session.token))!;
    const limit = app.deps.config.authLimits.passwordChangePerUser.points;
    for (let i = 0; i < limit; i++) {
      await expect(changePassword(app.deps, auth, { currentPassword: 'nope', newPassword: 'x'.repeat(12) })).rejects.toMatchObject({ code: 'wrong_password' });
    }
    await expect(changePassword(app.deps, auth, { currentPassword: 'ada-password', newPassword: 'x'.repeat(12) })).rejects.toMatchObject({ kind: 'rate_limited' });
  });
});
