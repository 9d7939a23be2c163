import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { getSpaceWatch } from './get-space-watch.ts';
import { watchSpace } from './watch-space.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('watchSpace', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('follows a space, twice as once, for that person only', async () => {
    const ada = await app.person('ada');
    const bob = await app.person('bob');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await watchSpace(app.deps, bob.id, space.id);
    await watchSpace(app.deps, bob.id, space.id);
    expect(await getSpaceWatch(app.deps, bob.id, space.id)).toEqual({ watching: true, viaSpace: true });
    expect(await getSpaceWatch(app.deps, ada.id, space.id)).toEqual({ watching: false, viaSpace: false });
  });
});
