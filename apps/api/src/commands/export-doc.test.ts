import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decisionOf } from '../domain/decisions.ts';
import { createDoc } from './create-doc.ts';
import { createSpace } from './create-space.ts';
import { importFiles } from './import-docs.ts';
import { updateDoc } from './update-doc.ts';
import { addComment } from './add-comment.ts';
import { createThread } from './create-thread.ts';
import { deleteComment } from './delete-comment.ts';
import { exportDoc, exportDocFile } from './export-doc.ts';
import { setThreadResolution } from './resolve-thread.ts';
import { commandTestApp, type CommandTestApp } from './testing/command-test-app.ts';
import { threadSetting } from './testing/threads.ts';

describe('exportDoc', () => {
  it('writes front matter (title, kind, dates, authors) then the body, and names the file keeping Unicode', () => {
    const doc = { id: 'd1', title: 'Grüße: *ship*', kind: 'page' as const, markdown: 'Body.\n', createdAt: Date.UTC(2026, 0, 2), updatedAt: Date.UTC(2026, 0, 3) };
    const meta = { title: doc.title, kind: doc.kind, decision: null, createdAt: doc.createdAt, updatedAt: doc.updatedAt, authors: ['ada'] };
    expect(exportDoc(doc, meta)).toEqual({
      fileName: 'Grüße_ _ship_.md',
      body: '---\ntitle: "Grüße: *ship*"\nkind: page\ncreated: 2026-01-02T00:00:00.000Z\nupdated: 2026-01-03T00:00:00.000Z\nauthors:\n  - ada\n---\n\nBody.\n',
    });
    expect(exportDoc({ ...doc, title: '→', markdown: '' }, { ...meta, title: '→' }).body).toBe('---\ntitle: →\nkind: page\ncreated: 2026-01-02T00:00:00.000Z\nupdated: 2026-01-03T00:00:00.000Z\nauthors:\n  - ada\n---\n');
  });
});

describe('exportDocFile of a decision record', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('writes status, owners as handles, decidedAt and the why of the last status change; importing it back restores them', async () => {
    const ada = await app.person('ada');
    const lena = await app.person('lena');
    const space = await createSpace(app.deps, ada, { name: 'S' });
    const { doc: draft } = await createDoc(app.deps, ada, { spaceId: space.id, title: 'Use Postgres', kind: 'decision', markdown: 'Context.', decision: { owners: [lena.id, ada.id] }, message: 'Draft' });
    const { doc: accepted } = await updateDoc(app.deps, lena, draft, { decision: { status: 'accepted', decidedAt: '2026-03-01T10:00:00.000Z' }, message: 'Benchmarks won.' });
    const { doc } = await updateDoc(app.deps, ada, accepted, { markdown: 'Context, fixed.', message: 'typo' });

    const { fileName, body } = await exportDocFile(app.deps, doc, { comments: false });
    expect(fileName).toBe('Use Postgres.md');
    const front = parse(body.split('---\n')[1]!) as Record<string, unknown>;
    expect(front).toEqual({
      title: 'Use Postgres',
      kind: 'decision',
      status: 'accepted',
      owners: ['ada', 'lena'],
      decidedAt: '2026-03-01T10:00:00.000Z',
      why: 'Benchmarks won.',
      created: new Date(doc.createdAt).toISOString(),
      updated: new Date(doc.updatedAt).toISOString(),
      authors: ['ada', 'lena'],
    });
    expect(body.endsWith('---\n\nContext, fixed.\n')).toBe(true);

    const [copy] = await importFiles(app.deps, ada, { spaceId: space.id, parentId: null }, [{ path: [fileName], markdown: body }]);
    expect(copy).toMatchObject({ title: 'Use Postgres', kind: 'decision', markdown: 'Context, fixed.\n' });
    expect(await decisionOf(app.deps.db, copy!.id)).toEqual({ ...(await decisionOf(app.deps.db, doc.id)), supersedes: null });
    const again = parse((await exportDocFile(app.deps, copy!, { comments: false })).body.split('---\n')[1]!) as Record<string, unknown>;
    expect({ ...again, created: null, updated: null, authors: null }).toEqual({ ...front, created: null, updated: null, authors: null });
  });
});

describe('exportDocFile', () => {
  let app: CommandTestApp;
  beforeEach(async () => void (app = await commandTestApp()));
  afterEach(() => app.close());

  it('leaves comments out of the body by default and appends them with their quotes on request', async () => {
    const { ada, lena, doc } = await threadSetting(app);
    const { thread } = await createThread(app.deps, ada, doc, { markdown: 'Is *Friday* firm?', anchor: { quote: 'Friday at noon' } });
    await addComment(app.deps, lena, doc, thread, 'Yes.\nSecond line.');
    const gone = await addComment(app.deps, lena, doc, thread, 'oops');
    await deleteComment(app.deps, lena, doc, gone);
    await setThreadResolution(app.deps, ada, doc, thread, 'resolved');
    await createThread(app.deps, lena, doc, { markdown: 'Whole page note' });

    const plain = await exportDocFile(app.deps, doc, { comments: false });
    expect(plain.body).toMatch(/^---\ntitle: Plan\nkind: page\n[\s\S]*\nauthors:\n {2}- ada\n---\n\nWe ship on Friday at noon.\n\nRollback is manual.\n$/);

    const { body } = await exportDocFile(app.deps, doc, { comments: true });
    expect(body.startsWith(plain.body)).toBe(true);
    const appendix = body.slice(plain.body.length);
    expect(appendix).toContain('## Comments');
    expect(appendix).toContain('- **Resolved** · On\n  > Friday at noon');
    expect(appendix).toContain('ada (@ada)');
    expect(appendix).toContain('    Is *Friday* firm?');
    expect(appendix).toContain('    Yes.\n    Second line.');
    expect(appendix).toContain('*(deleted)*');
    expect(appendix).not.toContain('oops');
    expect(appendix).toContain('- **Open** · On the document');
  });
});
