import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, views } from '@handoff/db';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { recordView } from './record-view.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('recordView', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('records the revision seen and never moves it backwards', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc' });
    const seen = async () => (await app.deps.db.select().from(views).where(and(eq(views.userId, ada.id), eq(views.docId, doc.id))).get())?.revision;
    await recordView(app.deps, ada.id, { id: doc.id, revision: 3 });
    expect(await seen()).toBe(3);
    await recordView(app.deps, ada.id, { id: doc.id, revision: 2 });
    expect(await seen()).toBe(3);
    await recordView(app.deps, ada.id, { id: doc.id, revision: 4 });
    expect(await seen()).toBe(4);
  });
});
