import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiTokens } from '@handoff/db';
import { resolveToken } from '../domain/credentials.ts';
import { sha256 } from '../domain/ids.ts';
import { createToken } from './create-token.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('createToken', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('stores only the hash of a working secret with its scopes', async () => {
    const ada = await app.person('ada');
    const { token, row } = await createToken(app.deps, ada.id, { name: 'ci', scopes: ['read'] });
    expect(token).toMatch(/^ht_/);
    const [stored] = await app.deps.db.select().from(apiTokens).all();
    expect(stored).toMatchObject({ id: row.id, tokenHash: sha256(token), scopes: 'read' });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await resolveToken(app.deps.db, app.deps.clock, token, app.deps.config.session)).toMatchObject({ via: 'token', scopes: ['read'] });
  });

  it('refuses an expiry in the past (400 on expiresAt)', async () => {
    const ada = await app.person('ada');
    await expect(createToken(app.deps, ada.id, { name: 'old', expiresAt: app.deps.clock.now() - 1 })).rejects.toMatchObject({ kind: 'invalid' });
    expect(await app.deps.db.select().from(apiTokens).all()).toEqual([]);
  });
});
