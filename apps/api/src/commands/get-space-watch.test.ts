import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSpace } from './create-space.ts';
import { getSpaceWatch } from './get-space-watch.ts';
import { watchSpace } from './watch-space.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('getSpaceWatch', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('tells one space watch from another', async () => {
    const ada = await app.person('ada');
    const one = await createSpace(app.deps, ada, { name: 'One' });
    const two = await createSpace(app.deps, ada, { name: 'Two' });
    await watchSpace(app.deps, ada.id, one.id);
    expect(await getSpaceWatch(app.deps, ada.id, one.id)).toEqual({ watching: true, viaSpace: true });
    expect(await getSpaceWatch(app.deps, ada.id, two.id)).toEqual({ watching: false, viaSpace: false });
  });
});
