import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { restoreRevision } from './restore-revision.ts';
import { updateDoc } from './update-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('restoreRevision', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('makes an earlier revision current as a new one: title, body and decision, emitting doc.revised', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'ADR', kind: 'decision', markdown: 'First.', decision: { status: 'proposed' } });
    await updateDoc(app.deps, ada, doc, { title: 'ADR, accepted', markdown: 'Second.', decision: { status: 'accepted', owners: [ada.id] } });
    const { doc: restored, decision } = await restoreRevision(app.deps, ada, doc.id, 1);
    expect(restored).toMatchObject({ revision: 3, title: 'ADR', markdown: 'First.\n', content: doc.content });
    expect(decision).toMatchObject({ status: 'proposed', owners: [], decidedAt: null });
    const events = await app.outboxOf('doc.revised');
    expect(events.at(-1)).toMatchObject({ docId: doc.id, revision: 3, actor: ada.id, source: 'api', titleChanged: true, bodyChanged: true, decisionChanged: true });
    expect(app.published).toContainEqual(events.at(-1));
  });

  it('writes nothing when the revision is the current state, and 404s an unknown revision', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Doc', markdown: 'Body.' });
    expect((await restoreRevision(app.deps, ada, doc.id, 1)).doc.revision).toBe(1);
    expect(await app.outboxOf('doc.revised')).toEqual([]);
    await expect(restoreRevision(app.deps, ada, doc.id, 9)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
