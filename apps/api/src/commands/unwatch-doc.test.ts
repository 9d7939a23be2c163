import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { getDocWatch } from './get-doc-watch.ts';
import { unwatchDoc } from './unwatch-doc.ts';
import { watchDoc } from './watch-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('unwatchDoc', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('stops following a document (and is harmless when not following)', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc' });
    await unwatchDoc(app.deps, ada, doc);
    await watchDoc(app.deps, ada, doc);
    await unwatchDoc(app.deps, ada, doc);
    expect(await getDocWatch(app.deps, ada, doc)).toEqual({ watching: false, viaSpace: false });
  });
});
