import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from './client.ts';

/** Search through the real API and the embedded engine, with the outbox indexer running. */
let api: ApiClient;
let ada: Person;
let bob: Person;
let open: string;
let secret: string;

async function settle() {
  await api.t.deps.searchIndexer.drain();
}

beforeAll(async () => {
  api = await ApiClient.start();
  ada = await api.signup('ada');
  bob = await api.signup('bob');
  open = await api.space(ada, 'Engineering');
  secret = await api.space(ada, 'Leadership', true);
  await api.doc(ada, open, 'Release plan', 'We **release** version 4.2 on Monday after the regression run.');
  await api.doc(ada, open, 'Retro', 'The release slipped because of synchronization bugs. <script>alert(1)</script>');
  await api.doc(ada, open, '東京オフィス', '東京の会議は月曜日です。議事録を共有します。');
  await api.doc(ada, secret, 'Hiring plan', 'Two release engineers in Bangalore.');
  await api.doc(bob, open, 'Decision: Postgres', 'We pick Postgres.', { kind: 'decision' });
  await settle();
});
afterAll(() => api.close());

const search = (q: string, token: string, extra = '') => api.get(`/api/search?q=${encodeURIComponent(q)}${extra}`, token);

describe('GET /api/search', () => {
  it('finds documents by word with highlighted, escaped snippets and names the engine', async () => {
    const res = await search('release', ada.token);
    expect(res.status).toBe(200);
    expect(res.body.engine).toBe('sqlite');
    expect(res.body.total).toBe(3);
    expect(res.body.hits[0].title).toBe('Release plan');
    const retro = res.body.hits.find((h: { title: string }) => h.title === 'Retro');
    expect(retro.snippet).toContain('<mark>release</mark>');
    expect(retro.snippet).toContain('&lt;script&gt;');
    expect(retro.snippet).not.toContain('<script>');
    expect(res.body.hits[0]).toEqual({ docId: expect.any(String), title: 'Release plan', snippet: expect.any(String), spaceId: open, kind: 'page', updatedAt: expect.any(String) });
  });

  it('tolerates a typo, matches the word being typed as a prefix, and finds CJK text', async () => {
    expect((await search('relese', ada.token)).body.hits.map((h: { title: string }) => h.title)).toContain('Release plan');
    expect((await search('regres', ada.token)).body.hits.map((h: { title: string }) => h.title)).toEqual(['Release plan']);
    expect((await search('会議', ada.token)).body.hits.map((h: { title: string }) => h.title)).toEqual(['東京オフィス']);
    expect((await search('議事録', ada.token)).body.hits[0].snippet).toContain('<mark>議事録</mark>');
  });

  it('never shows or counts what the caller may not read, and applies membership changes at once', async () => {
    const outsider = await search('release', bob.token);
    expect(outsider.body.total).toBe(2);
    expect(outsider.body.hits.map((h: { spaceId: string }) => h.spaceId)).not.toContain(secret);
    expect((await search('bangalore', bob.token)).body).toMatchObject({ hits: [], total: 0 });
    await api.put(`/api/spaces/${secret}/members/${bob.id}`, { role: 'viewer' }, ada.token);
    expect((await search('bangalore', bob.token)).body.total).toBe(1);
    await api.del(`/api/spaces/${secret}/members/${bob.id}`, ada.token);
    expect((await search('bangalore', bob.token)).body.total).toBe(0);
    expect((await search('bangalore', bob.token, `&spaceId=${secret}`)).status).toBe(404);
  });

  it('filters by space, kind and author', async () => {
    expect((await search('postgres', ada.token, '&kind=decision')).body.total).toBe(1);
    expect((await search('postgres', ada.token, '&kind=page')).body.total).toBe(0);
    expect((await search('release', ada.token, `&spaceId=${secret}`)).body.total).toBe(1);
    expect((await search('we', ada.token, `&author=${bob.id}`)).body.hits.map((h: { title: string }) => h.title)).toEqual(['Decision: Postgres']);
  });

  it('makes an edit searchable and forgets trashed documents', async () => {
    const doc = await api.doc(ada, open, 'Changing', 'Nothing special yet.');
    await settle();
    expect((await search('zeppelin', ada.token)).body.total).toBe(0);
    await api.patch(`/api/docs/${doc.id}`, { markdown: 'Now about a zeppelin.' }, ada.token);
    await settle();
    expect((await search('zeppelin', ada.token)).body.hits.map((h: { docId: string }) => h.docId)).toEqual([doc.id]);
    await api.del(`/api/docs/${doc.id}`, ada.token);
    // Even before the indexer runs, the API re-checks hits against the database.
    expect((await search('zeppelin', ada.token)).body.hits).toEqual([]);
    await settle();
    expect((await search('zeppelin', ada.token)).body.total).toBe(0);
  });

  it('answers hostile queries without a 500 and without bypassing the filter', async () => {
    for (const q of ['"', '\\', 'NEAR(', 'OR', 'title:', '*', 'scope:', 'release AND', '(((', "'; DROP TABLE documents; --", 'x'.repeat(400)]) {
      const res = await search(q, bob.token);
      expect(res.status, q).toBe(200);
      expect(res.body.hits.map((h: { spaceId: string }) => h.spaceId), q).not.toContain(secret);
    }
    expect((await search('x'.repeat(100_000), bob.token)).status).toBe(400);
    expect((await search('', bob.token)).status).toBe(400);
  });
});
