import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { createToken } from './create-token.ts';
import { listTokens } from './list-tokens.ts';
import { revokeToken } from './revoke-token.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listTokens', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it("lists the caller's live tokens, newest first, not others' nor revoked ones", async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    await createToken(app.deps, ada.id, { name: 'first' });
    await clock.advance(1000);
    const gone = await createToken(app.deps, ada.id, { name: 'revoked' });
    await clock.advance(1000);
    await createToken(app.deps, ada.id, { name: 'second' });
    await createToken(app.deps, bob.id, { name: 'bobs' });
    await revokeToken(app.deps, ada.id, gone.row.id);
    expect((await listTokens(app.deps, ada.id)).map((t) => t.name)).toEqual(['second', 'first']);
  });
});
