import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { getSpace } from './get-space.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('getSpace', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('answers with the caller role, and a private space of others is as unknown as a missing one', async () => {
    await app.person('root');
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const open = await createSpace(app.deps, ada, { name: 'Open' });
    const closed = await createSpace(app.deps, ada, { name: 'Closed', private: true });
    expect((await getSpace(app.deps, bob, open.id)).role).toBe('editor');
    await expect(getSpace(app.deps, bob, closed.id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(getSpace(app.deps, bob, 'nope')).rejects.toMatchObject({ kind: 'not_found' });
  });
});
