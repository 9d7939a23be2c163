import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveToken } from '../domain/credentials.ts';
import { logIn } from './log-in.ts';
import { logOut } from './log-out.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('logOut', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('ends only the calling session and emits user.access (logout)', async () => {
    const ada = await app.person('ada');
    const one = await logIn(app.deps, { email: 'ada@example.com', password: 'ada-password' }, '10.0.0.1');
    const two = await logIn(app.deps, { email: 'ada@example.com', password: 'ada-password' }, '10.0.0.1');
    const resolve = (token: string) => resolveToken(app.deps.db, app.deps.clock, token, app.deps.config.session);
    await logOut(app.deps, (await resolve(one.session.token))!);
    expect(await resolve(one.session.token)).toBeNull();
    expect(await resolve(two.session.token)).not.toBeNull();
    const event = { topic: 'user.access', userId: ada.id, reason: 'logout' };
    expect(await app.outboxOf('user.access')).toEqual([event]);
    expect(app.published).toEqual([event]);
  });
});
