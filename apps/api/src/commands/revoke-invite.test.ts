import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvite } from './create-invite.ts';
import { revokeInvite } from './revoke-invite.ts';
import { signUp } from './sign-up.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('revokeInvite', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('makes the invite unusable; revoking it again, or an unknown one, is a 404', async () => {
    const admin = await app.person('root');
    const { token, row } = await createInvite(app.deps, admin.id, { role: 'member' });
    await revokeInvite(app.deps, row.id);
    const attempt = signUp(app.deps, { email: 'x@example.com', name: 'X', handle: 'x', password: 'long password', timezone: 'UTC', invite: token }, '10.0.0.1');
    await expect(attempt).rejects.toMatchObject({ code: 'signup_refused' });
    await expect(revokeInvite(app.deps, row.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(revokeInvite(app.deps, 'nope')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
