import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient, type Person } from './client.ts';
import { openHeadlessDoc } from '@handoff/api/testing';
import { $getRoot, $isElementNode, $isTextNode } from 'lexical';
import { docUpdates, revisions, eq, and } from '@handoff/db';

let api: ApiClient;
let ada: Person;
let bob: Person;
let space: string;

beforeAll(async () => {
  api = await ApiClient.start();
  ada = await api.signup('ada');
  bob = await api.signup('bob');
  space = await api.space(ada, 'Engineering');
});
afterAll(() => api.close());

describe('documents', () => {
  it('creates a document from Markdown with its Lexical state and revision 1', async () => {
    const res = await api.post('/api/docs', { spaceId: space, title: 'Plan', markdown: '# Goals\n\nShip **4.2** on Monday.\n\n- one\n- two\n' }, ada.token);
    expect(res.status).toBe(201);
    const doc = res.body.doc;
    expect(doc).toMatchObject({ spaceId: space, title: 'Plan', kind: 'page', revision: 1, createdBy: ada.id, updatedBy: ada.id, parentId: null });
    expect(doc.markdown).toBe('# Goals\n\nShip **4.2** on Monday.\n\n- one\n- two\n');
    expect(doc.content.root.children.map((n: { type: string }) => n.type)).toEqual(['heading', 'paragraph', 'list']);
    const revs = await api.get(`/api/docs/${doc.id}/revisions`, ada.token);
    expect(revs.body.revisions).toEqual([expect.objectContaining({ revision: 1, authors: [ada.id], message: null })]);
  });

  it('makes exactly one revision per content-changing PATCH and none for a no-op', async () => {
    const doc = await api.doc(ada, space, 'Counting', 'First paragraph.\n\nSecond paragraph.');
    const change = await api.patch(`/api/docs/${doc.id}`, { markdown: 'First paragraph.\n\nSecond paragraph, changed.', message: 'Clarified' }, bob.token);
    expect(change.status).toBe(200);
    expect(change.body.doc.revision).toBe(2);
    expect(change.body.doc.updatedBy).toBe(bob.id);
    const same = await api.patch(`/api/docs/${doc.id}`, { markdown: 'First paragraph.\n\nSecond paragraph, changed.' }, bob.token);
    expect(same.body.doc.revision).toBe(2);
    const sameTitle = await api.patch(`/api/docs/${doc.id}`, { title: 'Counting' }, bob.token);
    expect(sameTitle.body.doc.revision).toBe(2);
    const title = await api.patch(`/api/docs/${doc.id}`, { title: 'Counting, renamed' }, ada.token);
    expect(title.body.doc.revision).toBe(3);
    const revs = (await api.get(`/api/docs/${doc.id}/revisions`, ada.token)).body.revisions;
    expect(revs.map((r: { revision: number }) => r.revision)).toEqual([3, 2, 1]);
    expect(revs[1]).toMatchObject({ authors: [bob.id], message: 'Clarified' });
    const old = await api.get(`/api/docs/${doc.id}/revisions/1`, ada.token);
    expect(old.body.doc).toMatchObject({ revision: 1, title: 'Counting', markdown: 'First paragraph.\n\nSecond paragraph.\n' });
  });

  it('diffs any two revisions by block and by word', async () => {
    const doc = await api.doc(ada, space, 'Diff me', 'Keep this.\n\nThe release is on Thursday.\n\nDrop this.');
    await api.patch(`/api/docs/${doc.id}`, { markdown: 'Keep this.\n\nThe release is on Monday.\n\nA new block.' }, ada.token);
    const res = await api.get(`/api/docs/${doc.id}/diff?from=1&to=2`, ada.token);
    expect(res.status).toBe(200);
    const ops = res.body.blocks.map((b: { op: string }) => b.op);
    expect(ops[0]).toBe('same');
    const changed = res.body.blocks.find((b: { op: string }) => b.op === 'changed');
    expect(changed.before).toContain('Thursday');
    expect(changed.after).toContain('Monday');
    expect(changed.words).toEqual(expect.arrayContaining([{ op: 'removed', text: 'Thursday' }, { op: 'added', text: 'Monday' }]));
    expect((await api.get(`/api/docs/${doc.id}/diff?from=1&to=9`, ada.token)).status).toBe(404);
    expect((await api.get(`/api/docs/${doc.id}/diff?from=x&to=2`, ada.token)).status).toBe(400);
  });

  it('restores an earlier revision as a new revision', async () => {
    const doc = await api.doc(ada, space, 'Restore me', 'Version one.');
    await api.patch(`/api/docs/${doc.id}`, { markdown: 'Version two.' }, ada.token);
    const res = await api.post(`/api/docs/${doc.id}/revisions/1/restore`, {}, bob.token);
    expect(res.status).toBe(200);
    expect(res.body.doc).toMatchObject({ revision: 3, markdown: 'Version one.\n' });
    const revs = (await api.get(`/api/docs/${doc.id}/revisions`, ada.token)).body.revisions;
    expect(revs[0].message).toBe('Restored revision 1');
  });

  it('trashes and restores a document with its children, and lists the trash', async () => {
    const parent = await api.doc(ada, space, 'Parent');
    const child = await api.doc(ada, space, 'Child', '', { parentId: parent.id });
    expect((await api.del(`/api/docs/${parent.id}`, ada.token)).status).toBe(204);
    const live = await api.get(`/api/docs?spaceId=${space}&limit=200`, ada.token);
    expect(live.body.docs.map((d: { id: string }) => d.id)).not.toContain(child.id);
    const trash = await api.get(`/api/docs?spaceId=${space}&trashed=1`, ada.token);
    expect(trash.body.docs.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([parent.id, child.id]));
    expect((await api.patch(`/api/docs/${parent.id}`, { title: 'x' }, ada.token)).status).toBe(409);
    expect((await api.post(`/api/docs/${parent.id}/restore`, {}, ada.token)).status).toBe(200);
    const back = await api.get(`/api/docs?spaceId=${space}&limit=200`, ada.token);
    expect(back.body.docs.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([parent.id, child.id]));
  });

  it('moves a document but never under itself', async () => {
    const a = await api.doc(ada, space, 'A');
    const b = await api.doc(ada, space, 'B', '', { parentId: a.id });
    expect((await api.patch(`/api/docs/${b.id}`, { parentId: null }, ada.token)).body.doc.parentId).toBeNull();
    expect((await api.patch(`/api/docs/${b.id}`, { parentId: a.id }, ada.token)).body.doc.parentId).toBe(a.id);
    expect((await api.patch(`/api/docs/${a.id}`, { parentId: b.id }, ada.token)).status).toBe(422);
  });

  it('pages through the list with a cursor and filters by kind and time', async () => {
    const s = await api.space(ada, 'Paging');
    for (let i = 0; i < 5; i++) await api.doc(ada, s, `Doc ${i}`);
    await api.doc(ada, s, 'Decision', '', { kind: 'decision' });
    const first = await api.get(`/api/docs?spaceId=${s}&limit=4`, ada.token);
    expect(first.body.docs).toHaveLength(4);
    expect(first.body.docs[0]).not.toHaveProperty('markdown');
    const second = await api.get(`/api/docs?spaceId=${s}&limit=4&cursor=${first.body.nextCursor}`, ada.token);
    expect(second.body.docs).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.docs, ...second.body.docs].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(6);
    const decisions = await api.get(`/api/docs?spaceId=${s}&kind=decision`, ada.token);
    expect(decisions.body.docs.map((d: { title: string }) => d.title)).toEqual(['Decision']);
    const future = await api.get(`/api/docs?spaceId=${s}&updatedSince=${new Date(Date.now() + 60_000).toISOString()}`, ada.token);
    expect(future.body.docs).toEqual([]);
    expect((await api.get(`/api/docs?cursor=garbage!!`, ada.token)).status).toBe(400);
  });

  it('marks a document seen on read unless peeking', async () => {
    const doc = await api.doc(ada, space, 'Seen', 'Hello');
    const { views } = await import('@handoff/db');
    const seen = async () =>
      api.t.deps.db.select().from(views).where(and(eq(views.userId, bob.id), eq(views.docId, doc.id))).get();
    await api.get(`/api/docs/${doc.id}?peek=1`, bob.token);
    expect(await seen()).toBeUndefined();
    await api.get(`/api/docs/${doc.id}`, bob.token);
    expect((await seen())?.revision).toBe(1);
    await api.patch(`/api/docs/${doc.id}`, { markdown: 'Hello again' }, ada.token);
    await api.get(`/api/docs/${doc.id}`, bob.token);
    expect((await seen())?.revision).toBe(2);
  });

  it('watches and unwatches documents and spaces', async () => {
    const doc = await api.doc(ada, space, 'Watched');
    const state = async () => (await api.get(`/api/docs/${doc.id}/watch`, bob.token)).body;
    expect(await state()).toEqual({ watching: false, viaSpace: false });
    expect((await api.put(`/api/docs/${doc.id}/watch`, {}, bob.token)).status).toBe(204);
    expect((await api.put(`/api/docs/${doc.id}/watch`, {}, bob.token)).status).toBe(204);
    expect(await state()).toEqual({ watching: true, viaSpace: false });
    expect((await api.del(`/api/docs/${doc.id}/watch`, bob.token)).status).toBe(204);
    expect((await api.put(`/api/spaces/${space}/watch`, {}, bob.token)).status).toBe(204);
    expect(await state()).toEqual({ watching: false, viaSpace: true });
    expect((await api.get(`/api/spaces/${space}/watch`, bob.token)).body.watching).toBe(true);
    expect((await api.del(`/api/spaces/${space}/watch`, bob.token)).status).toBe(204);
    expect(await state()).toEqual({ watching: false, viaSpace: false });
  });

  it('exports Markdown with front matter (title, kind, dates, authors), then the body', async () => {
    const doc = await api.doc(ada, space, 'Export *me*', 'Body text.');
    const res = await api.get(`/api/docs/${doc.id}/export.md`, ada.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/markdown');
    expect(res.body).toMatch(/^---\ntitle: Export \*me\*\nkind: page\ncreated: \S+\nupdated: \S+\nauthors:\n {2}- ada\n---\n\nBody text.\n$/);
  });

  it('records decision records with status, owners and supersedes, and a revision per status change', async () => {
    const first = await api.doc(ada, space, 'ADR-1', 'Use libSQL.', { kind: 'decision', decision: { status: 'accepted', owners: [ada.id] } });
    expect(first).toMatchObject({ decision: { status: 'accepted', owners: [ada.id] } });
    const second = await api.doc(bob, space, 'ADR-2', 'Use Postgres.', { kind: 'decision', decision: { owners: [bob.id, ada.id], supersedes: first.id } });
    expect(second).toMatchObject({ decision: { status: 'proposed', supersedes: first.id } });
    const accepted = await api.patch(`/api/docs/${second.id}`, { decision: { status: 'accepted' }, message: 'Agreed in sync' }, ada.token);
    expect(accepted.body.doc).toMatchObject({ revision: 2, decision: { status: 'accepted' } });
    expect(accepted.body.doc.decision.decidedAt).toEqual(expect.any(String));
    const again = await api.patch(`/api/docs/${second.id}`, { decision: { status: 'accepted' } }, ada.token);
    expect(again.body.doc.revision).toBe(2);
    expect((await api.patch(`/api/docs/${second.id}`, { decision: { owners: ['nobody'] } }, ada.token)).status).toBe(422);
    expect((await api.patch(`/api/docs/${second.id}`, { decision: { supersedes: second.id } }, ada.token)).status).toBe(422);
    const page = await api.doc(ada, space, 'Page');
    expect((await api.patch(`/api/docs/${page.id}`, { decision: { status: 'accepted' } }, ada.token)).status).toBe(422);
    expect((await api.post('/api/docs', { spaceId: space, title: 'x', kind: 'page', decision: { status: 'accepted' } }, ada.token)).status).toBe(400);
  });

  it('records new mentions of people by @handle', async () => {
    const { mentions } = await import('@handoff/db');
    const doc = await api.doc(ada, space, 'Mentions', 'Hi @bob and @nobody, mail me at x@bob.com');
    const rows = await api.t.deps.db.select().from(mentions).where(eq(mentions.docId, doc.id)).all();
    expect(rows).toEqual([expect.objectContaining({ userId: bob.id, revision: 1, mentionedBy: ada.id })]);
    expect(doc.markdown).toContain('@bob');
    await api.patch(`/api/docs/${doc.id}`, { markdown: 'Hi @bob again, and @ada' }, bob.token);
    const after = await api.t.deps.db.select().from(mentions).where(eq(mentions.docId, doc.id)).all();
    expect(after).toHaveLength(2);
    expect(after.find((m) => m.userId === ada.id)).toMatchObject({ revision: 2, mentionedBy: bob.id });
  });
});

describe('the Y.Doc is the single source of truth', () => {
  it('50 concurrent PATCHes from one base revision all land, with 50 revisions, and the database stays intact', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `Line ${i} original.`);
    const doc = await api.doc(ada, space, 'Concurrent', lines.join('\n\n'));
    const results = await Promise.all(
      lines.map((_, i) =>
        api.patch(
          `/api/docs/${doc.id}`,
          { baseRevision: 1, markdown: lines.map((l, j) => (j === i ? `Line ${i} edited by request ${i}.` : l)).join('\n\n') },
          i % 2 ? ada.token : bob.token,
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const final = await api.get(`/api/docs/${doc.id}`, ada.token);
    expect(final.body.doc.revision).toBe(51);
    for (let i = 0; i < 50; i++) expect(final.body.doc.markdown).toContain(`Line ${i} edited by request ${i}.`);
    expect(final.body.doc.markdown).not.toContain('original');
    const revs = (await api.get(`/api/docs/${doc.id}/revisions`, ada.token)).body.revisions;
    expect(revs).toHaveLength(51);
    const check = await api.t.deps.database.client.execute('PRAGMA integrity_check');
    expect(check.rows[0]?.[0]).toBe('ok');
  });

  it('a PATCH to one block keeps a concurrent Yjs edit to another block', async () => {
    const doc = await api.doc(ada, space, 'Merge', 'Alpha paragraph.\n\nBeta paragraph.\n\nGamma paragraph.');
    const { db, docs } = api.t.deps;
    // A live collaborator's edit inside "Gamma", made on the stored Y.Doc and appended to the update log.
    const live = openHeadlessDoc(await docs.loadState(db, doc.id));
    const before = Y.encodeStateVector(live.doc);
    live.update(() => {
      const gamma = $getRoot().getChildren()[2];
      if (!gamma || !$isElementNode(gamma)) throw new Error('no gamma');
      const text = gamma.getFirstChild();
      if (!$isTextNode(text)) throw new Error('no text');
      text.setTextContent('Gamma paragraph, typed live.');
    });
    const liveUpdate = Y.encodeStateAsUpdate(live.doc, before);
    live.dispose();
    await db.insert(docUpdates).values({ docId: doc.id, update: Buffer.from(liveUpdate), userId: bob.id, createdAt: Date.now() });
    // Meanwhile a REST client, who read revision 1, rewrites "Alpha".
    const res = await api.patch(
      `/api/docs/${doc.id}`,
      { baseRevision: 1, markdown: 'Alpha paragraph, patched over REST.\n\nBeta paragraph.\n\nGamma paragraph.' },
      ada.token,
    );
    expect(res.status).toBe(200);
    expect(res.body.doc.markdown).toBe('Alpha paragraph, patched over REST.\n\nBeta paragraph.\n\nGamma paragraph, typed live.\n');
    const rev = await db.select().from(revisions).where(and(eq(revisions.docId, doc.id), eq(revisions.revision, 2))).get();
    expect(rev?.markdown).toBe(res.body.doc.markdown);
    const authors = (await api.get(`/api/docs/${doc.id}/revisions`, ada.token)).body.revisions[0].authors;
    expect(authors.sort()).toEqual([ada.id, bob.id].sort());
  });
});

describe('hostile Markdown', () => {
  it('answers Markdown too complex to parse in time with a 422 and loses nothing saved', async () => {
    const doc = await api.doc(ada, space, 'Safe', 'Saved text.');
    const started = Date.now();
    const res = await api.patch(`/api/docs/${doc.id}`, { markdown: '*a'.repeat(300_000) }, ada.token);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/too complex/);
    expect(Date.now() - started).toBeLessThan(15_000);
    const after = await api.get(`/api/docs/${doc.id}`, ada.token);
    expect(after.body.doc).toMatchObject({ revision: 1, markdown: 'Saved text.\n' });
  });
});
