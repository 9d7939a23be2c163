import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invites } from '@handoff/db';
import { resolveToken } from '../domain/credentials.ts';
import { createInvite } from './create-invite.ts';
import { signUp, type SignupInput } from './sign-up.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

const input = (handle: string, extra: Partial<SignupInput> = {}): SignupInput => ({
  email: `${handle}@Example.com`,
  name: handle,
  handle,
  password: 'a long enough password',
  timezone: 'UTC',
  ...extra,
});

describe('signUp', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('makes the first person the admin and starts a working session for them', async () => {
    const { user, session } = await signUp(app.deps, input('ada'), '10.0.0.1');
    expect(user).toMatchObject({ role: 'admin', email: 'ada@example.com' });
    const auth = await resolveToken(app.deps.db, app.deps.clock, session.token, app.deps.config.session);
    expect(auth).toMatchObject({ via: 'session', sessionId: session.id, user: { id: user.id } });
  });

  it('refuses the second person without an invite in the default mode, with the one refusal', async () => {
    await signUp(app.deps, input('ada'), '10.0.0.1');
    await expect(signUp(app.deps, input('bob'), '10.0.0.1')).rejects.toMatchObject({ kind: 'forbidden', code: 'signup_refused' });
  });

  it('admits one person per invite with its role, and a refused attempt does not use the invite up', async () => {
    const { user: ada } = await signUp(app.deps, input('ada'), '10.0.0.1');
    const { token } = await createInvite(app.deps, ada.id, { role: 'admin', email: 'bob@example.com' });
    // Meant for another address: refused, and the invite stays unused.
    await expect(signUp(app.deps, input('cy', { invite: token }), '10.0.0.1')).rejects.toMatchObject({ code: 'signup_refused' });
    const { user: bob } = await signUp(app.deps, input('bob', { invite: token }), '10.0.0.1');
    expect(bob.role).toBe('admin');
    const [row] = await app.deps.db.select().from(invites).all();
    expect(row).toMatchObject({ usedBy: bob.id });
    await expect(signUp(app.deps, input('dee', { email: 'bob@example.com', invite: token }), '10.0.0.1')).rejects.toMatchObject({ code: 'signup_refused' });
  });

  it('answers a taken handle with 409, a taken e-mail with the refusal (open mode)', async () => {
    app.deps.config = { ...app.deps.config, signup: 'open' };
    await signUp(app.deps, input('ada'), '10.0.0.1');
    await expect(signUp(app.deps, input('ada', { email: 'other@example.com' }), '10.0.0.1')).rejects.toMatchObject({ kind: 'conflict' });
    await expect(signUp(app.deps, input('ada2', { email: 'ADA@example.com' }), '10.0.0.1')).rejects.toMatchObject({ code: 'signup_refused' });
  });

  it('refuses an invite when sign-up is closed', async () => {
    const { user: ada } = await signUp(app.deps, input('ada'), '10.0.0.1');
    const { token } = await createInvite(app.deps, ada.id, { role: 'member' });
    app.deps.config = { ...app.deps.config, signup: 'closed' };
    await expect(signUp(app.deps, input('bob', { invite: token }), '10.0.0.1')).rejects.toMatchObject({ code: 'signup_refused' });
  });

  it('counts attempts per address before anything else (429 past the limit)', async () => {
    app.deps.config = { ...app.deps.config, signup: 'open' };
    const { createAuthLimiter } = await import('../domain/login-limiter.ts');
    app.deps.authLimiter = createAuthLimiter(app.deps.db, app.deps.clock, { ...app.deps.config.authLimits, signupPerIp: { points: 1, windowSeconds: 60 } });
    await signUp(app.deps, input('ada'), '10.0.0.9');
    await expect(signUp(app.deps, input('bob'), '10.0.0.9')).rejects.toMatchObject({ kind: 'rate_limited' });
    await expect(signUp(app.deps, input('bob'), '10.0.0.8')).resolves.toBeTruthy();
  });
});
