import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { getDocWatch } from './get-doc-watch.ts';
import { watchSpace } from './watch-space.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('getDocWatch', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('tells a watch through the space from a direct one', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc' });
    expect(await getDocWatch(app.deps, ada, doc)).toEqual({ watching: false, viaSpace: false });
    await watchSpace(app.deps, ada.id, space.id);
    expect(await getDocWatch(app.deps, ada, doc)).toEqual({ watching: false, viaSpace: true });
  });
});
