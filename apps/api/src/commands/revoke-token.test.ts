import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveToken } from '../domain/credentials.ts';
import { createToken } from './create-token.ts';
import { revokeToken } from './revoke-token.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('revokeToken', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('makes the token stop working and emits user.access (token) once', async () => {
    const ada = await app.person('ada');
    const { token, row } = await createToken(app.deps, ada.id, { name: 'ci' });
    await revokeToken(app.deps, ada.id, row.id);
    await revokeToken(app.deps, ada.id, row.id);
    expect(await resolveToken(app.deps.db, app.deps.clock, token, app.deps.config.session)).toBeNull();
    const event = { topic: 'user.access', userId: ada.id, reason: 'token' };
    expect(await app.outboxOf('user.access')).toEqual([event]);
    expect(app.published).toEqual([event]);
  });

  it("treats someone else's token as unknown (404) and leaves it working", async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const { token, row } = await createToken(app.deps, ada.id, { name: 'ci' });
    await expect(revokeToken(app.deps, bob.id, row.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect(await resolveToken(app.deps.db, app.deps.clock, token, app.deps.config.session)).not.toBeNull();
    expect(app.published).toEqual([]);
  });
});
