import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.ts';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { listDocs } from './list-docs.ts';
import { trashDoc } from './trash-doc.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';

describe('listDocs', () => {
  let app: CommandTestApp;
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  beforeEach(async () => void (app = await commandTestApp({ clock })));
  afterEach(() => app.close());

  it('pages newest change first with a cursor; filters by kind, trash and space; bodies left out', async () => {
    const ada = await app.person('ada');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const other = await createSpace(app.deps, ada, { name: 'Other' });
    const made = [];
    for (const title of ['one', 'two', 'three']) {
      await clock.advance(1000);
      made.push((await createDoc(app.deps, ada, { spaceId: space.id, title, markdown: 'Body.' })).doc);
    }
    await clock.advance(1000);
    const { doc: adr } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'adr', kind: 'decision', decision: { status: 'accepted' } });
    await createDoc(app.deps, ada, { spaceId: other.id, title: 'elsewhere' });

    const first = await listDocs(app.deps, { spaceIds: [space.id], limit: 2 });
    expect(first.docs.map((d) => d.doc.title)).toEqual(['adr', 'three']);
    expect(first.docs[0]!.decision).toMatchObject({ status: 'accepted' });
    expect(first.docs[1]!.doc.markdown).toBe('');
    const second = await listDocs(app.deps, { spaceIds: [space.id], limit: 2, cursor: first.nextCursor! });
    expect(second.docs.map((d) => d.doc.title)).toEqual(['two', 'one']);
    expect(second.nextCursor).toBeNull();

    expect((await listDocs(app.deps, { spaceIds: [space.id], kind: 'decision', limit: 10 })).docs.map((d) => d.doc.id)).toEqual([adr.id]);
    await trashDoc(app.deps, ada, made[0]!);
    expect((await listDocs(app.deps, { spaceIds: [space.id], trashed: true, limit: 10 })).docs.map((d) => d.doc.title)).toEqual(['one']);
    expect((await listDocs(app.deps, { spaceIds: [space.id], limit: 10 })).docs).toHaveLength(3);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(listDocs(app.deps, { spaceIds: [], limit: 1, cursor: 'nonsense' })).rejects.toMatchObject({ kind: 'invalid' });
  });
});
