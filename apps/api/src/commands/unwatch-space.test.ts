import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { getSpaceWatch } from './get-space-watch.ts';
import { unwatchSpace } from './unwatch-space.ts';
import { watchSpace } from './watch-space.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('unwatchSpace', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('stops following, and unwatching what is not watched is no error', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    await watchSpace(app.deps, ada.id, space.id);
    await unwatchSpace(app.deps, ada.id, space.id);
    expect((await getSpaceWatch(app.deps, ada.id, space.id)).watching).toBe(false);
    await expect(unwatchSpace(app.deps, ada.id, space.id)).resolves.toBeUndefined();
  });
});
