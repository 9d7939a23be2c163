import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from './client.ts';

/**
 * The permission matrix: every endpoint × every kind of caller, against a private space.
 * A document the caller may not read is always 404 (never 403), so its existence stays hidden.
 */
type Actor = 'workspaceAdmin' | 'spaceAdmin' | 'editor' | 'viewer' | 'otherSpaceMember' | 'loggedOut' | 'revokedToken';
const actors: Actor[] = ['workspaceAdmin', 'spaceAdmin', 'editor', 'viewer', 'otherSpaceMember', 'loggedOut', 'revokedToken'];

let api: ApiClient;
const tokens = {} as Record<Actor, string | null>;
const people = {} as Record<'workspaceAdmin' | 'spaceAdmin' | 'editor' | 'viewer' | 'otherSpaceMember' | 'spare', Person>;
let space: string;
let otherSpace: string;
let doc: string;

beforeAll(async () => {
  api = await ApiClient.start();
  people.workspaceAdmin = await api.signup('wsadmin');
  people.spaceAdmin = await api.signup('sadmin');
  people.editor = await api.signup('editor');
  people.viewer = await api.signup('viewer');
  people.otherSpaceMember = await api.signup('other');
  people.spare = await api.signup('spare');
  space = await api.space(people.spaceAdmin, 'Private', true);
  otherSpace = await api.space(people.otherSpaceMember, 'Elsewhere', true);
  for (const [who, role] of [['editor', 'editor'], ['viewer', 'viewer']] as const) {
    expect((await api.put(`/api/spaces/${space}/members/${people[who].id}`, { role }, people.spaceAdmin.token)).status).toBe(200);
  }
  doc = (await api.doc(people.spaceAdmin, space, 'Secret plan', 'Launch on Monday.', { kind: 'decision' })).id;
  await api.patch(`/api/docs/${doc}`, { markdown: 'Launch on Tuesday.' }, people.spaceAdmin.token);
  const revoked = await api.post('/api/tokens', { name: 'old' }, people.editor.token);
  await api.del(`/api/tokens/${revoked.body.apiToken.id}`, people.editor.token);
  tokens.workspaceAdmin = people.workspaceAdmin.token;
  tokens.spaceAdmin = people.spaceAdmin.token;
  tokens.editor = people.editor.token;
  tokens.viewer = people.viewer.token;
  tokens.otherSpaceMember = people.otherSpaceMember.token;
  tokens.loggedOut = null;
  tokens.revokedToken = revoked.body.token;
});
afterAll(() => api.close());

/** Expected statuses in `actors` order. */
type Row = [name: string, expected: number[], call: (token: string | null) => Promise<{ status: number }>];

const READ = [200, 200, 200, 200, 404, 401, 401];
const EDIT = (ok: number) => [ok, ok, ok, 403, 404, 401, 401];
const ADMIN = (ok: number) => [ok, ok, 403, 403, 404, 401, 401];
const ANY_USER = (ok: number) => [ok, ok, ok, ok, ok, 401, 401];
const WORKSPACE_ADMIN = (ok: number) => [ok, 403, 403, 403, 403, 401, 401];

const freshDoc = async () => (await api.doc(people.spaceAdmin, space, 'Fresh', 'Body.')).id;
const freshTrashed = async () => {
  const id = await freshDoc();
  await api.del(`/api/docs/${id}`, people.spaceAdmin.token);
  return id;
};

const rows: Row[] = [
  ['GET /api/docs/:id', READ, (t) => api.get(`/api/docs/${doc}`, t)],
  ['GET /api/docs/:id?peek=1', READ, (t) => api.get(`/api/docs/${doc}?peek=1`, t)],
  ['GET /api/docs?spaceId=', READ, (t) => api.get(`/api/docs?spaceId=${space}`, t)],
  ['GET /api/docs/:id/revisions', READ, (t) => api.get(`/api/docs/${doc}/revisions`, t)],
  ['GET /api/docs/:id/revisions/:n', READ, (t) => api.get(`/api/docs/${doc}/revisions/1`, t)],
  ['GET /api/docs/:id/diff', READ, (t) => api.get(`/api/docs/${doc}/diff?from=1&to=2`, t)],
  ['GET /api/docs/:id/export.md', READ, (t) => api.get(`/api/docs/${doc}/export.md`, t)],
  ['PUT /api/docs/:id/watch', READ.map((s) => (s === 200 ? 204 : s)), (t) => api.put(`/api/docs/${doc}/watch`, {}, t)],
  ['DELETE /api/docs/:id/watch', READ.map((s) => (s === 200 ? 204 : s)), (t) => api.del(`/api/docs/${doc}/watch`, t)],
  ['POST /api/docs', EDIT(201), (t) => api.post('/api/docs', { spaceId: space, title: 'New' }, t)],
  ['PATCH /api/docs/:id', EDIT(200), async (t) => api.patch(`/api/docs/${await freshDoc()}`, { markdown: 'Changed.' }, t)],
  ['PATCH /api/docs/:id decision', EDIT(200), (t) => api.patch(`/api/docs/${doc}`, { decision: { owners: [people.spaceAdmin.id] } }, t)],
  ['DELETE /api/docs/:id', EDIT(204), async (t) => api.del(`/api/docs/${await freshDoc()}`, t)],
  ['POST /api/docs/:id/restore', EDIT(200), async (t) => api.post(`/api/docs/${await freshTrashed()}/restore`, {}, t)],
  ['POST /api/docs/:id/revisions/:n/restore', EDIT(200), (t) => api.post(`/api/docs/${doc}/revisions/1/restore`, {}, t)],
  [
    'POST /api/import/markdown',
    EDIT(201),
    (t) => api.call('POST', `/api/import/markdown?spaceId=${space}&filename=x.md`, { token: t, body: '# Imported\n\nHello', headers: { 'content-type': 'text/markdown' } }),
  ],
  ['GET /api/spaces/:id', READ, (t) => api.get(`/api/spaces/${space}`, t)],
  ['GET /api/spaces/:id/members', READ, (t) => api.get(`/api/spaces/${space}/members`, t)],
  ['PATCH /api/spaces/:id', ADMIN(200), (t) => api.patch(`/api/spaces/${space}`, { name: 'Private' }, t)],
  ['PUT /api/spaces/:id/members/:userId', ADMIN(200), (t) => api.put(`/api/spaces/${space}/members/${people.spare.id}`, { role: 'viewer' }, t)],
  [
    'DELETE /api/spaces/:id/members/:userId',
    ADMIN(204),
    async (t) => {
      await api.put(`/api/spaces/${space}/members/${people.spare.id}`, { role: 'viewer' }, people.spaceAdmin.token);
      return api.del(`/api/spaces/${space}/members/${people.spare.id}`, t);
    },
  ],
  ['PUT /api/spaces/:id/watch', READ.map((s) => (s === 200 ? 204 : s)), (t) => api.put(`/api/spaces/${space}/watch`, {}, t)],
  ['DELETE /api/spaces/:id/watch', READ.map((s) => (s === 200 ? 204 : s)), (t) => api.del(`/api/spaces/${space}/watch`, t)],
  ['GET /api/spaces', ANY_USER(200), (t) => api.get('/api/spaces', t)],
  ['POST /api/spaces', ANY_USER(201), (t) => api.post('/api/spaces', { name: 'Mine' }, t)],
  ['GET /api/me', ANY_USER(200), (t) => api.get('/api/me', t)],
  ['PATCH /api/me', ANY_USER(200), (t) => api.patch('/api/me', { briefHour: 9 }, t)],
  ['GET /api/users', ANY_USER(200), (t) => api.get('/api/users', t)],
  ['GET /api/tokens', ANY_USER(200), (t) => api.get('/api/tokens', t)],
  ['POST /api/tokens', ANY_USER(201), (t) => api.post('/api/tokens', { name: 'x' }, t)],
  ['POST /api/invites', WORKSPACE_ADMIN(201), (t) => api.post('/api/invites', { role: 'member' }, t)],
  ['GET /api/invites', WORKSPACE_ADMIN(200), (t) => api.get('/api/invites', t)],
  [
    'DELETE /api/invites/:id',
    WORKSPACE_ADMIN(204),
    async (t) => api.del(`/api/invites/${(await api.post('/api/invites', { role: 'member' }, people.workspaceAdmin.token)).body.invite.id}`, t),
  ],
];

describe('permission matrix', () => {
  it.each(rows)('%s', async (_name, expected, call) => {
    const got: Record<string, number> = {};
    for (const actor of actors) got[actor] = (await call(tokens[actor])).status;
    expect(got).toEqual(Object.fromEntries(actors.map((a, i) => [a, expected[i]])));
  });

  it('hides the private space and its documents from lists of people outside it', async () => {
    const spaces = await api.get('/api/spaces', tokens.otherSpaceMember);
    const visible = spaces.body.spaces.map((s: { id: string }) => s.id);
    expect(visible).toContain(otherSpace);
    expect(visible).not.toContain(space);
    const docs = await api.get('/api/docs?limit=200', tokens.otherSpaceMember);
    expect(docs.body.docs.map((d: { spaceId: string }) => d.spaceId)).not.toContain(space);
    const insiders = await api.get('/api/docs?limit=200', tokens.viewer);
    expect(insiders.body.docs.map((d: { id: string }) => d.id)).toContain(doc);
  });

  it('a 404 for a hidden document looks exactly like one for a document that never existed', async () => {
    const hidden = await api.get(`/api/docs/${doc}`, tokens.otherSpaceMember);
    const missing = await api.get('/api/docs/neverexisted', tokens.otherSpaceMember);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
  });

  it('open spaces are readable and editable by every member, unless a membership says otherwise', async () => {
    const open = await api.space(people.spaceAdmin, 'Open');
    const d = await api.doc(people.spaceAdmin, open, 'Public page');
    expect((await api.patch(`/api/docs/${d.id}`, { markdown: 'Edited by anyone.' }, tokens.otherSpaceMember)).status).toBe(200);
    await api.put(`/api/spaces/${open}/members/${people.otherSpaceMember.id}`, { role: 'viewer' }, people.spaceAdmin.token);
    expect((await api.patch(`/api/docs/${d.id}`, { markdown: 'Not any more.' }, tokens.otherSpaceMember)).status).toBe(403);
    expect((await api.get(`/api/docs/${d.id}`, tokens.otherSpaceMember)).status).toBe(200);
  });

  it('making an open space private hides it from non-members at once', async () => {
    const s = await api.space(people.spaceAdmin, 'Was open');
    const d = await api.doc(people.spaceAdmin, s, 'Soon private');
    expect((await api.get(`/api/docs/${d.id}`, people.spare.token)).status).toBe(200);
    expect((await api.patch(`/api/spaces/${s}`, { private: true }, people.editor.token)).status).toBe(403);
    expect((await api.patch(`/api/spaces/${s}`, { private: true }, people.spaceAdmin.token)).body.space.private).toBe(true);
    expect((await api.get(`/api/docs/${d.id}`, people.spare.token)).status).toBe(404);
  });

  it('removing someone from a space takes effect on their next request', async () => {
    const s = await api.space(people.spaceAdmin, 'Temporary', true);
    const d = await api.doc(people.spaceAdmin, s, 'Temp');
    await api.put(`/api/spaces/${s}/members/${people.spare.id}`, { role: 'editor' }, people.spaceAdmin.token);
    expect((await api.get(`/api/docs/${d.id}`, people.spare.token)).status).toBe(200);
    await api.del(`/api/spaces/${s}/members/${people.spare.id}`, people.spaceAdmin.token);
    expect((await api.get(`/api/docs/${d.id}`, people.spare.token)).status).toBe(404);
  });

  it('a decision cannot supersede a record the author may not read', async () => {
    const mine = await api.space(people.otherSpaceMember, 'Mine', true);
    const res = await api.post('/api/docs', { spaceId: mine, title: 'ADR', kind: 'decision', decision: { supersedes: doc } }, tokens.otherSpaceMember);
    expect(res.status).toBe(422);
  });
});

/**
 * Self-service membership changes (issue 8, item 6): no change a person makes to their own
 * membership raises their own rights. In an open space the default is editor, so an explicit
 * viewer role is binding (leaving would make its holder an editor); the last admin of a space
 * may not leave or step down (409).
 */
describe('self-service membership', () => {
  type Case = [name: string, isPrivate: boolean, role: 'viewer' | 'editor' | 'admin', otherAdmin: boolean, action: 'leave' | 'viewer' | 'editor' | 'admin', expected: number, roleAfter: string | null];
  const cases: Case[] = [
    ['open: viewer leaves', false, 'viewer', true, 'leave', 403, 'viewer'],
    ['open: viewer re-adds self as editor', false, 'viewer', true, 'editor', 403, 'viewer'],
    ['open: viewer promotes self to admin', false, 'viewer', true, 'admin', 403, 'viewer'],
    ['open: viewer sets self viewer (needs space admin)', false, 'viewer', true, 'viewer', 403, 'viewer'],
    ['open: editor leaves (keeps the default, editor)', false, 'editor', true, 'leave', 204, 'editor'],
    ['open: editor promotes self', false, 'editor', true, 'admin', 403, 'editor'],
    ['open: editor demotes self (needs space admin)', false, 'editor', true, 'viewer', 403, 'editor'],
    ['open: admin demotes self with another admin', false, 'admin', true, 'viewer', 200, 'viewer'],
    ['open: admin leaves with another admin', false, 'admin', true, 'leave', 204, 'editor'],
    ['open: last admin leaves', false, 'admin', false, 'leave', 409, 'admin'],
    ['open: last admin demotes self', false, 'admin', false, 'editor', 409, 'admin'],
    ['private: viewer leaves', true, 'viewer', true, 'leave', 204, null],
    ['private: viewer promotes self', true, 'viewer', true, 'editor', 403, 'viewer'],
    ['private: last admin leaves', true, 'admin', false, 'leave', 409, 'admin'],
  ];

  it.each(cases)('%s', async (_name, isPrivate, role, otherAdmin, action, expected, roleAfter) => {
    // spaceAdmin owns the space; `spare` acts on their own membership (as its only admin when !otherAdmin).
    const me = people.spare;
    const s = await api.space(otherAdmin ? people.spaceAdmin : me, 'Self-service', isPrivate);
    if (otherAdmin) expect((await api.put(`/api/spaces/${s}/members/${me.id}`, { role }, people.spaceAdmin.token)).status).toBe(200);
    const res =
      action === 'leave' ? await api.del(`/api/spaces/${s}/members/${me.id}`, me.token) : await api.put(`/api/spaces/${s}/members/${me.id}`, { role: action }, me.token);
    expect(res.status).toBe(expected);
    const after = await api.get(`/api/spaces/${s}`, me.token);
    expect(after.status === 404 ? null : after.body.space.role).toBe(roleAfter);
  });
});
