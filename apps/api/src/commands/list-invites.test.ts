import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { createInvite } from './create-invite.ts';
import { listInvites } from './list-invites.ts';
import { revokeInvite } from './revoke-invite.ts';
import { signUp } from './sign-up.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listInvites', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('lists the open invites newest first, not used or revoked ones', async () => {
    const admin = await app.person('root');
    const used = await createInvite(app.deps, admin.id, { role: 'member' });
    await clock.advance(1000);
    const revoked = await createInvite(app.deps, admin.id, { role: 'member' });
    await clock.advance(1000);
    const older = await createInvite(app.deps, admin.id, { role: 'member', email: 'a@example.com' });
    await clock.advance(1000);
    const newer = await createInvite(app.deps, admin.id, { role: 'admin' });
    await revokeInvite(app.deps, revoked.row.id);
    await signUp(app.deps, { email: 'x@example.com', name: 'X', handle: 'x', password: 'long password', timezone: 'UTC', invite: used.token }, '10.0.0.1');
    expect((await listInvites(app.deps)).map((i) => i.id)).toEqual([newer.row.id, older.row.id]);
  });
});
