import { startHttpServer, type RunningServer } from '@handoff/api/server';
import { loadConfig } from '@handoff/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from './client.ts';

/**
 * The permission matrix of the comment endpoints (issue 10): every route × every kind of caller,
 * over real HTTP (the app served on a free port, a libSQL file in a temp folder), on a private
 * space. A document the caller may not read answers 404 on every comment route (never 403), a
 * viewer may comment while the space lets readers comment and gets 403 once it is set to editors,
 * a removed member loses the threads at once, and search finds comment text for readers only.
 */
type Actor = 'workspaceAdmin' | 'spaceAdmin' | 'editor' | 'viewer' | 'outsider' | 'readToken' | 'loggedOut';
const actors: Actor[] = ['workspaceAdmin', 'spaceAdmin', 'editor', 'viewer', 'outsider', 'readToken', 'loggedOut'];

let api: ApiClient;
let server: RunningServer;
let base: string;
const people = {} as Record<'workspaceAdmin' | 'spaceAdmin' | 'editor' | 'viewer' | 'outsider' | 'spare', Person>;
const tokens = {} as Record<Actor, string | null>;
let space: string;
let doc: string;

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; callers read the fields they expect
}

/** One request over the network, as any client would send it. */
async function http(method: string, path: string, token: string | null, json?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await res.text();
  return { status: res.status, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
}

const ok = (res: Answer, status: number) => {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

/** A thread started by `by` (the space admin unless said otherwise) on the shared document. */
async function thread(by: Person = people.spaceAdmin, extra: Record<string, unknown> = {}): Promise<{ id: string; commentId: string }> {
  const body = ok(await http('POST', `/api/docs/${doc}/threads`, by.token, { markdown: 'A question about the plan', ...extra }), 201);
  return { id: body.thread.id, commentId: body.thread.comments[0].id };
}

async function reply(threadId: string, by: Person, markdown = 'A reply'): Promise<string> {
  return ok(await http('POST', `/api/threads/${threadId}/comments`, by.token, { markdown }), 201).comment.id;
}

/** The person whose session (or read token) an actor uses; outsiders and logged-out callers act on the space admin's things. */
const personOf = (actor: Actor): Person => (actor === 'readToken' ? people.editor : actor === 'outsider' || actor === 'loggedOut' ? people.spaceAdmin : people[actor]);

beforeAll(async () => {
  // The per-person comment rate is the abuse suite's subject (tests/abuse/comments.test.ts); here
  // the space admin starts dozens of threads for the rows in a few seconds.
  const limits = loadConfig({}).limits;
  api = await ApiClient.start({ config: { limits: { ...limits, commentWrites: { ...limits.commentWrites, perUserPerMinute: 100_000 } } } });
  server = await startHttpServer(api.t.deps, api.t.app, { port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${server.port}`;
  people.workspaceAdmin = await api.signup('wsadmin');
  people.spaceAdmin = await api.signup('sadmin');
  people.editor = await api.signup('editor');
  people.viewer = await api.signup('viewer');
  people.outsider = await api.signup('outsider');
  people.spare = await api.signup('spare');
  space = ok(await http('POST', '/api/spaces', people.spaceAdmin.token, { name: 'Private', private: true }), 201).space.id;
  ok(await http('POST', '/api/spaces', people.outsider.token, { name: 'Elsewhere', private: true }), 201);
  for (const who of ['editor', 'viewer'] as const) ok(await http('PUT', `/api/spaces/${space}/members/${people[who].id}`, people.spaceAdmin.token, { role: who }), 200);
  doc = ok(await http('POST', '/api/docs', people.spaceAdmin.token, { spaceId: space, title: 'Launch plan', markdown: 'We launch on Tuesday at noon.' }), 201).doc.id;
  const read = ok(await http('POST', '/api/tokens', people.editor.token, { name: 'read only', scopes: ['read'] }), 201);
  for (const a of actors) tokens[a] = a === 'readToken' ? read.token : a === 'loggedOut' ? null : people[a as Exclude<Actor, 'readToken' | 'loggedOut'>].token;
});
afterAll(async () => {
  await server?.close();
  await api?.close();
});

/** Expected statuses in `actors` order. */
type Row = [name: string, expected: number[], call: (actor: Actor) => Promise<Answer>];

const READ = [200, 200, 200, 200, 404, 200, 401];
const COMMENT = (okStatus: number) => [okStatus, okStatus, okStatus, okStatus, 404, 403, 401];
const ANY_USER = [200, 200, 200, 200, 200, 200, 401];

/** Rows while the space lets every reader comment (the default). */
const readersRows: Row[] = [
  ['POST /api/docs/:id/threads', COMMENT(201), (a) => http('POST', `/api/docs/${doc}/threads`, tokens[a], { markdown: `Started by ${a}` })],
  ['POST /api/docs/:id/threads (anchored on a quote)', COMMENT(201), (a) => http('POST', `/api/docs/${doc}/threads`, tokens[a], { markdown: 'Noon?', anchor: { quote: 'at noon' } })],
  ['GET /api/docs/:id/threads', READ, (a) => http('GET', `/api/docs/${doc}/threads?status=all`, tokens[a])],
  ['POST /api/threads/:id/comments', COMMENT(201), async (a) => http('POST', `/api/threads/${(await thread()).id}/comments`, tokens[a], { markdown: `Reply by ${a}` })],
  [
    'PATCH /api/comments/:id (own comment)',
    COMMENT(200),
    async (a) => http('PATCH', `/api/comments/${(await thread(personOf(a))).commentId}`, tokens[a], { markdown: 'Edited by its author' }),
  ],
  [
    'PATCH /api/comments/:id (someone else’s: authors only, admins too)',
    [403, 403, 403, 403, 404, 403, 401],
    async (a) => http('PATCH', `/api/comments/${(await thread(a === 'editor' ? people.viewer : people.editor)).commentId}`, tokens[a], { markdown: 'Not mine' }),
  ],
  ['DELETE /api/comments/:id (own comment)', COMMENT(204), async (a) => http('DELETE', `/api/comments/${(await thread(personOf(a))).commentId}`, tokens[a])],
  [
    'DELETE /api/comments/:id (someone else’s: space admins moderate)',
    [204, 204, 403, 403, 404, 403, 401],
    async (a) => http('DELETE', `/api/comments/${(await thread(a === 'editor' ? people.viewer : people.editor)).commentId}`, tokens[a]),
  ],
  ['POST /api/threads/:id/resolve', COMMENT(200), async (a) => http('POST', `/api/threads/${(await thread()).id}/resolve`, tokens[a])],
  [
    'POST /api/threads/:id/reopen',
    COMMENT(200),
    async (a) => {
      const t = await thread();
      ok(await http('POST', `/api/threads/${t.id}/resolve`, people.spaceAdmin.token), 200);
      return http('POST', `/api/threads/${t.id}/reopen`, tokens[a]);
    },
  ],
  ['GET /api/me/waiting', ANY_USER, (a) => http('GET', '/api/me/waiting', tokens[a])],
];

const statuses = async (call: Row[2]) => {
  const got: Record<string, number> = {};
  for (const actor of actors) got[actor] = (await call(actor)).status;
  return got;
};
const expectedOf = (expected: number[]) => Object.fromEntries(actors.map((a, i) => [a, expected[i]]));

describe('comment permission matrix, space commenting "readers" (the default)', () => {
  it.each(readersRows)('%s', async (_name, expected, call) => {
    expect(await statuses(call)).toEqual(expectedOf(expected));
  });

  it('answers an outsider exactly as for ids that never existed, on every route', async () => {
    const t = await thread();
    const pairs: Array<[string, string, string, unknown?]> = [
      ['GET', `/api/docs/${doc}/threads`, '/api/docs/neverexisted/threads'],
      ['POST', `/api/docs/${doc}/threads`, '/api/docs/neverexisted/threads', { markdown: 'x' }],
      ['POST', `/api/threads/${t.id}/comments`, '/api/threads/neverexisted/comments', { markdown: 'x' }],
      ['PATCH', `/api/comments/${t.commentId}`, '/api/comments/neverexisted', { markdown: 'x' }],
      ['DELETE', `/api/comments/${t.commentId}`, '/api/comments/neverexisted'],
      ['POST', `/api/threads/${t.id}/resolve`, '/api/threads/neverexisted/resolve'],
      ['POST', `/api/threads/${t.id}/reopen`, '/api/threads/neverexisted/reopen'],
    ];
    for (const [method, hidden, missing, json] of pairs) {
      const a = await http(method, hidden, tokens.outsider, json);
      const b = await http(method, missing, tokens.outsider, json);
      expect([method, hidden, a.status]).toEqual([method, hidden, 404]);
      expect(a.body).toEqual(b.body);
    }
    // Nothing the outsider tried changed the thread.
    const [listed] = ok(await http('GET', `/api/docs/${doc}/threads?status=all`, tokens.spaceAdmin), 200).threads.filter((x: { id: string }) => x.id === t.id);
    expect(listed).toMatchObject({ status: 'open', comments: [{ markdown: 'A question about the plan' }] });
  });

  it('never shows an outsider a thread that asks them in GET /api/me/waiting', async () => {
    const t = await thread(people.spaceAdmin, { ask: [people.outsider.id] });
    const waiting = ok(await http('GET', '/api/me/waiting', tokens.outsider), 200);
    expect(waiting.threads.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect(waiting.threads).toEqual([]);
  });
});

describe('comment permission matrix, space commenting "editors"', () => {
  const COMMENT_EDITORS = (okStatus: number) => [okStatus, okStatus, okStatus, 403, 404, 403, 401];
  let viewerThread: { id: string; commentId: string };

  beforeAll(async () => {
    viewerThread = await thread(people.viewer);
    // Only a space admin may change the setting.
    expect((await http('PATCH', `/api/spaces/${space}`, tokens.editor, { commenting: 'editors' })).status).toBe(403);
    expect((await http('PATCH', `/api/spaces/${space}`, tokens.viewer, { commenting: 'editors' })).status).toBe(403);
    expect((await http('PATCH', `/api/spaces/${space}`, tokens.outsider, { commenting: 'editors' })).status).toBe(404);
    expect(ok(await http('PATCH', `/api/spaces/${space}`, tokens.spaceAdmin, { commenting: 'editors' }), 200).space.commenting).toBe('editors');
  });
  afterAll(async () => {
    ok(await http('PATCH', `/api/spaces/${space}`, tokens.spaceAdmin, { commenting: 'readers' }), 200);
  });

  const editorsRows: Row[] = [
    ['POST /api/docs/:id/threads', COMMENT_EDITORS(201), (a) => http('POST', `/api/docs/${doc}/threads`, tokens[a], { markdown: `Started by ${a}` })],
    ['GET /api/docs/:id/threads (reading stays open)', READ, (a) => http('GET', `/api/docs/${doc}/threads`, tokens[a])],
    ['POST /api/threads/:id/comments', COMMENT_EDITORS(201), async (a) => http('POST', `/api/threads/${(await thread()).id}/comments`, tokens[a], { markdown: 'Reply' })],
    ['POST /api/threads/:id/resolve', COMMENT_EDITORS(200), async (a) => http('POST', `/api/threads/${(await thread()).id}/resolve`, tokens[a])],
    [
      'POST /api/threads/:id/reopen',
      COMMENT_EDITORS(200),
      async (a) => {
        const t = await thread();
        ok(await http('POST', `/api/threads/${t.id}/resolve`, people.spaceAdmin.token), 200);
        return http('POST', `/api/threads/${t.id}/reopen`, tokens[a]);
      },
    ],
    ['GET /api/me/waiting', ANY_USER, (a) => http('GET', '/api/me/waiting', tokens[a])],
  ];

  it.each(editorsRows)('%s', async (_name, expected, call) => {
    expect(await statuses(call)).toEqual(expectedOf(expected));
  });

  it('refuses the viewer with 403 commenting_restricted, also editing their own earlier comment, but lets them take it back', async () => {
    const refused = await http('POST', `/api/docs/${doc}/threads`, tokens.viewer, { markdown: 'May I?' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('commenting_restricted');
    const edit = await http('PATCH', `/api/comments/${viewerThread.commentId}`, tokens.viewer, { markdown: 'Edited' });
    expect([edit.status, edit.body.error.code]).toEqual([403, 'commenting_restricted']);
    expect((await http('POST', `/api/threads/${viewerThread.id}/comments`, tokens.viewer, { markdown: 'Me too' })).status).toBe(403);
    // The viewer still reads everything, their refused attempts stored nothing.
    const listMine = async () => ok(await http('GET', `/api/docs/${doc}/threads`, tokens.viewer), 200).threads.filter((x: { id: string }) => x.id === viewerThread.id)[0];
    expect((await listMine()).comments.map((c: { markdown: string }) => c.markdown)).toEqual(['A question about the plan']);
    // Deleting what one wrote is always one's own right while one can read the document.
    expect((await http('DELETE', `/api/comments/${viewerThread.commentId}`, tokens.viewer)).status).toBe(204);
    expect((await listMine()).comments.map((c: { markdown: string; deleted?: boolean }) => [c.markdown, c.deleted ?? false])).toEqual([['', true]]);
  });

  it('lets the viewer comment again as soon as the admin sets it back to readers', async () => {
    ok(await http('PATCH', `/api/spaces/${space}`, tokens.spaceAdmin, { commenting: 'readers' }), 200);
    expect((await http('POST', `/api/threads/${viewerThread.id}/comments`, tokens.viewer, { markdown: 'Back again' })).status).toBe(201);
    ok(await http('PATCH', `/api/spaces/${space}`, tokens.spaceAdmin, { commenting: 'editors' }), 200);
    expect((await http('POST', `/api/threads/${viewerThread.id}/comments`, tokens.viewer, { markdown: 'And gone' })).status).toBe(403);
  });
});

describe('a member removed from the space', () => {
  it('loses its threads at once: 404 on every route, gone from their waiting list and from search', async () => {
    ok(await http('PUT', `/api/spaces/${space}/members/${people.spare.id}`, tokens.spaceAdmin, { role: 'editor' }), 200);
    const spare = people.spare;
    const asked = await thread(people.spaceAdmin, { markdown: 'Can you check the pangolin figures?', ask: [spare.id] });
    const mine = await thread(spare, { markdown: 'My own wombat note' });
    const myReply = await reply(asked.id, people.editor, 'Waiting for @spare too');
    await api.t.deps.searchIndexer.drain();
    // Before: all of it is theirs to see and use.
    expect(ok(await http('GET', '/api/me/waiting', spare.token), 200).threads.map((x: { id: string }) => x.id)).toContain(asked.id);
    expect((await http('GET', `/api/docs/${doc}/threads`, spare.token)).status).toBe(200);
    expect(ok(await http('GET', '/api/search?q=pangolin', spare.token), 200).hits.map((h: { docId: string }) => h.docId)).toEqual([doc]);

    ok(await http('DELETE', `/api/spaces/${space}/members/${spare.id}`, tokens.spaceAdmin), 204);

    // After, on the very next requests (no cache, no index lag decides it).
    const after: Array<[string, string, unknown?]> = [
      ['GET', `/api/docs/${doc}/threads`],
      ['POST', `/api/docs/${doc}/threads`, { markdown: 'Still here?' }],
      ['POST', `/api/threads/${asked.id}/comments`, { markdown: 'Answering late' }],
      ['PATCH', `/api/comments/${mine.commentId}`, { markdown: 'Editing my note' }],
      ['DELETE', `/api/comments/${mine.commentId}`],
      ['PATCH', `/api/comments/${myReply}`, { markdown: 'not mine anyway' }],
      ['POST', `/api/threads/${asked.id}/resolve`],
      ['POST', `/api/threads/${mine.id}/reopen`],
    ];
    for (const [method, path, json] of after) expect([method, path, (await http(method, path, spare.token, json)).status]).toEqual([method, path, 404]);
    expect(ok(await http('GET', '/api/me/waiting', spare.token), 200).threads).toEqual([]);
    expect(ok(await http('GET', '/api/search?q=pangolin', spare.token), 200)).toMatchObject({ hits: [], total: 0 });
    expect(ok(await http('GET', '/api/search?q=wombat', spare.token), 200)).toMatchObject({ hits: [], total: 0 });
    // Their note is still there, untouched, for those who may read it.
    const [note] = ok(await http('GET', `/api/docs/${doc}/threads`, tokens.viewer), 200).threads.filter((x: { id: string }) => x.id === mine.id);
    expect(note.comments.map((c: { markdown: string }) => c.markdown)).toEqual(['My own wombat note']);
  });
});

describe('search of comment text', () => {
  it('finds a comment for every reader of the document (snippet from the comment), for no one else', async () => {
    const t = await thread(people.editor, { markdown: 'The **axolotl** mascot needs legal review.' });
    await api.t.deps.searchIndexer.drain();
    for (const a of ['workspaceAdmin', 'spaceAdmin', 'editor', 'viewer', 'readToken'] as const) {
      const found = ok(await http('GET', '/api/search?q=axolotl%20mascot', tokens[a]), 200);
      expect([a, found.total, found.hits.map((h: { docId: string }) => h.docId)]).toEqual([a, 1, [doc]]);
      expect(found.hits[0].snippet).toBe('The <mark>axolotl</mark> <mark>mascot</mark> needs legal review.');
      expect(found.hits[0].title).toBe('Launch plan');
    }
    expect(ok(await http('GET', '/api/search?q=axolotl', tokens.outsider), 200)).toMatchObject({ hits: [], total: 0 });
    expect(ok(await http('GET', `/api/search?q=axolotl&spaceId=${space}`, tokens.outsider), 404)).toBeTruthy();
    expect((await http('GET', '/api/search?q=axolotl', null)).status).toBe(401);

    // An edited comment is found by its new words only; a deleted one no longer.
    ok(await http('PATCH', `/api/comments/${t.commentId}`, tokens.editor, { markdown: 'The capybara mascot needs legal review.' }), 200);
    await api.t.deps.searchIndexer.drain();
    expect(ok(await http('GET', '/api/search?q=axolotl', tokens.viewer), 200)).toMatchObject({ hits: [], total: 0 });
    expect(ok(await http('GET', '/api/search?q=capybara', tokens.viewer), 200).total).toBe(1);
    ok(await http('DELETE', `/api/comments/${t.commentId}`, tokens.editor), 204);
    await api.t.deps.searchIndexer.drain();
    expect(ok(await http('GET', '/api/search?q=capybara', tokens.viewer), 200)).toMatchObject({ hits: [], total: 0 });
  });

  it('does not find the comments of a trashed document, nor let anyone reply to them', async () => {
    const other = ok(await http('POST', '/api/docs', tokens.spaceAdmin, { spaceId: space, title: 'Old idea', markdown: 'Shelved.' }), 201).doc.id;
    const t = ok(await http('POST', `/api/docs/${other}/threads`, tokens.editor, { markdown: 'The quokka plan is shelved too.' }), 201).thread;
    await api.t.deps.searchIndexer.drain();
    expect(ok(await http('GET', '/api/search?q=quokka', tokens.viewer), 200).total).toBe(1);
    ok(await http('DELETE', `/api/docs/${other}`, tokens.spaceAdmin), 204);
    // At once (the database decides), and for good once the indexer has followed.
    expect(ok(await http('GET', '/api/search?q=quokka', tokens.viewer), 200)).toMatchObject({ hits: [], total: 0 });
    await api.t.deps.searchIndexer.drain();
    expect(ok(await http('GET', '/api/search?q=quokka', tokens.spaceAdmin), 200)).toMatchObject({ hits: [], total: 0 });
    expect((await http('POST', `/api/threads/${t.id}/comments`, tokens.editor, { markdown: 'Late reply' })).status).toBe(404);
    expect((await http('POST', `/api/docs/${other}/threads`, tokens.editor, { markdown: 'New thread' })).status).toBe(404);
  });
});
