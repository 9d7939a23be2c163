import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from './client.ts';

let api: ApiClient;
let ada: Person;
let lena: Person;
let space: string;

beforeAll(async () => {
  api = await ApiClient.start();
  ada = await api.signup('ada');
  lena = await api.signup('lena');
  space = await api.space(ada, 'Launch');
});
afterAll(() => api.close());

const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

describe('comments over HTTP (contract v2 § Comments)', () => {
  it('starts, lists, replies to, edits, deletes, resolves and reopens a thread in the contract shapes', async () => {
    const doc = await api.doc(ada, space, 'Plan', 'We ship on **Friday** at noon.');
    const created = await api.post(`/api/docs/${doc.id}/threads`, { markdown: 'Which *Friday*, @lena?', anchor: { quote: 'Friday at' }, ask: [lena.id] }, ada.token);
    expect(created.status).toBe(201);
    const thread = created.body.thread;
    expect(thread).toEqual({
      id: expect.any(String),
      docId: doc.id,
      anchor: { quote: 'Friday at', orphaned: false, current: 'Friday at', relative: { start: expect.any(String), end: expect.any(String) } },
      status: 'open',
      createdBy: ada.id,
      askedUserIds: [lena.id],
      comments: [{ id: expect.any(String), threadId: thread.id, authorId: ada.id, markdown: 'Which *Friday*, @lena?', createdAt: iso }],
      createdAt: iso,
      updatedAt: iso,
    });

    const waiting = await api.get('/api/me/waiting', lena.token);
    expect(waiting.status).toBe(200);
    expect(waiting.body.threads.map((t: { id: string; docTitle: string; spaceId: string }) => [t.id, t.docTitle, t.spaceId])).toEqual([[thread.id, 'Plan', space]]);

    const reply = await api.post(`/api/threads/${thread.id}/comments`, { markdown: 'The **12th**.' }, lena.token);
    expect(reply.status).toBe(201);
    expect(reply.body.comment).toEqual({ id: expect.any(String), threadId: thread.id, authorId: lena.id, markdown: 'The **12th**.', createdAt: iso });
    expect((await api.get('/api/me/waiting', lena.token)).body.threads).toEqual([]);

    expect((await api.patch(`/api/comments/${reply.body.comment.id}`, { markdown: 'hijack' }, ada.token)).status).toBe(403);
    const edited = await api.patch(`/api/comments/${reply.body.comment.id}`, { markdown: 'The 12th, confirmed.' }, lena.token);
    expect(edited.status).toBe(200);
    expect(edited.body.comment).toMatchObject({ markdown: 'The 12th, confirmed.', editedAt: iso });

    const second = await api.post(`/api/threads/${thread.id}/comments`, { markdown: 'Wrong thread, sorry' }, lena.token);
    expect((await api.del(`/api/comments/${second.body.comment.id}`, lena.token)).status).toBe(204);

    const resolved = await api.post(`/api/threads/${thread.id}/resolve`, {}, lena.token);
    expect(resolved.status).toBe(200);
    expect(resolved.body.thread).toMatchObject({ status: 'resolved', resolvedBy: lena.id, resolvedAt: iso });
    expect((await api.get(`/api/docs/${doc.id}/threads?status=open`, ada.token)).body.threads).toEqual([]);
    const all = await api.get(`/api/docs/${doc.id}/threads?status=all`, ada.token);
    expect(all.body.threads[0].comments.map((c: { markdown: string; deleted?: boolean }) => [c.markdown, c.deleted ?? false])).toEqual([
      ['Which *Friday*, @lena?', false],
      ['The 12th, confirmed.', false],
      ['', true],
    ]);

    const reopened = await api.post(`/api/threads/${thread.id}/reopen`, {}, ada.token);
    expect(reopened.status).toBe(200);
    expect(reopened.body.thread.status).toBe('open');
    expect(reopened.body.thread.resolvedBy).toBeUndefined();

    // Comments never touch the body: still revision 1.
    expect((await api.get(`/api/docs/${doc.id}?peek=1`, ada.token)).body.doc.revision).toBe(1);
  });

  it('gives clear errors: 422 for a quote that does not occur, 413 past 10,000 characters, 400 for empty text, 404 for unknown ids', async () => {
    const doc = await api.doc(ada, space, 'Errors', 'Some text.');
    const missing = await api.post(`/api/docs/${doc.id}/threads`, { markdown: 'x', anchor: { quote: 'not there' } }, ada.token);
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toMatchObject({ field: 'anchor.quote' });
    const long = await api.post(`/api/docs/${doc.id}/threads`, { markdown: 'x'.repeat(10_001) }, ada.token);
    expect(long.status).toBe(413);
    expect(long.body.error.code).toBe('payload_too_large');
    expect((await api.post(`/api/docs/${doc.id}/threads`, { markdown: '   ' }, ada.token)).status).toBe(400);
    expect((await api.get(`/api/docs/${doc.id}/threads`, ada.token)).body.threads).toEqual([]);
    expect((await api.post('/api/threads/nope/comments', { markdown: 'x' }, ada.token)).status).toBe(404);
    expect((await api.patch('/api/comments/nope', { markdown: 'x' }, ada.token)).status).toBe(404);
    expect((await api.post('/api/threads/nope/resolve', {}, ada.token)).status).toBe(404);
  });

  it('a space can limit commenting to editors; the setting is part of the space', async () => {
    const s = await api.space(ada, 'Quiet');
    expect((await api.put(`/api/spaces/${s}/members/${lena.id}`, { role: 'viewer' }, ada.token)).status).toBe(200);
    const doc = await api.doc(ada, s, 'Read only', 'Text.');
    const mine = await api.post(`/api/docs/${doc.id}/threads`, { markdown: 'viewer here' }, lena.token);
    expect(mine.status).toBe(201);
    const patched = await api.patch(`/api/spaces/${s}`, { commenting: 'editors' }, ada.token);
    expect(patched.body.space.commenting).toBe('editors');
    const refused = await api.post(`/api/docs/${doc.id}/threads`, { markdown: 'again' }, lena.token);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('commenting_restricted');
    expect((await api.get(`/api/docs/${doc.id}/threads`, lena.token)).body.threads).toHaveLength(1);
    // What she wrote before stays hers to take back, not to change.
    const commentId = mine.body.thread.comments[0].id;
    expect((await api.patch(`/api/comments/${commentId}`, { markdown: 'changed' }, lena.token)).status).toBe(403);
    expect((await api.del(`/api/comments/${commentId}`, lena.token)).status).toBe(204);
  });

  it('exports comments only on request (?comments=1)', async () => {
    const doc = await api.doc(ada, space, 'Export', 'Rollback is manual.');
    await api.post(`/api/docs/${doc.id}/threads`, { markdown: 'Automate it?', anchor: { quote: 'manual' } }, ada.token);
    const plain = await api.get(`/api/docs/${doc.id}/export.md`, ada.token);
    expect(plain.body).toMatch(/^---\ntitle: Export\n[\s\S]*\n---\n\nRollback is manual.\n$/);
    const withComments = await api.get(`/api/docs/${doc.id}/export.md?comments=1`, ada.token);
    expect(withComments.body).toContain('## Comments');
    expect(withComments.body).toContain('  > manual');
    expect(withComments.body).toContain('Automate it?');
  });

  it('describes every comment route in the OpenAPI document', async () => {
    const spec = (await api.get('/api/openapi.json')).body;
    for (const path of ['/api/docs/{id}/threads', '/api/threads/{id}/comments', '/api/comments/{id}', '/api/threads/{id}/resolve', '/api/threads/{id}/reopen', '/api/me/waiting']) {
      expect(spec.paths[path], path).toBeDefined();
    }
  });
});
