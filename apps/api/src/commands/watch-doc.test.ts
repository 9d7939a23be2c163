import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { getDocWatch } from './get-doc-watch.ts';
import { watchDoc } from './watch-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('watchDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('follows a document, twice being the same as once', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc' });
    await watchDoc(app.deps, ada, doc);
    await watchDoc(app.deps, ada, doc);
    expect(await getDocWatch(app.deps, ada, doc)).toEqual({ watching: true, viaSpace: false });
  });
});
