import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invites } from '@handoff/db';
import { sha256 } from '../domain/ids.ts';
import { INVITE_TTL_MS } from '../domain/invites.ts';
import { createInvite } from './create-invite.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('createInvite', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('stores only the hash, a lowercased e-mail and a 7-day expiry', async () => {
    const admin = await app.person('root');
    const { token, row } = await createInvite(app.deps, admin.id, { email: 'Bob@Example.com', role: 'member' });
    expect(token).toMatch(/^hi_/);
    const [stored] = await app.deps.db.select().from(invites).all();
    expect(stored).toMatchObject({ id: row.id, tokenHash: sha256(token), email: 'bob@example.com', role: 'member', createdBy: admin.id });
    expect(stored!.expiresAt - stored!.createdAt).toBe(INVITE_TTL_MS);
  });
});
