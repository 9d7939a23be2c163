/**
 * The server under test for the comments benchmark: Handoff's real app on a fresh libSQL file with
 * one document holding 500 comment threads and 5,000 comments, plus — served by the same process,
 * Node, Hono and @hono/node-server — the floor: the same thread and comment rows read with one raw
 * SQL query and JSON-serialized. Prints one JSON line with the port, token and ids once ready.
 *
 * Seeding: the document and the 500 threads go through the real API (each anchored on a quote of
 * the body, a fifth of them addressed to someone); the other 4,500 comments are inserted directly,
 * ten per thread on average, spread over the threads unevenly (as real discussions are).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createTestApp, loadConfig } from '@handoff/api/testing';
import { comments } from '@handoff/db';

const THREADS = 500;
const COMMENTS = 5_000;

const base = loadConfig({});
// The per-person comment rate limit (60 a minute) would answer 429 to a benchmark; admission itself
// (the token bucket and the write queue) still runs on every comment write.
const t = await createTestApp({
  config: { signup: 'open', limits: { ...base.limits, commentWrites: { ...base.limits.commentWrites, perUserPerMinute: 10_000_000 } } },
  startIndexer: false,
});
const handoff = t.app;

const json = async (path: string, method: string, body: unknown, token?: string) => {
  const res = await handoff.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; callers read the fields they expect
};

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(10);
const WORDS = 'release sync engine cursor shard client offline server latency budget review security rollout region migration database index query cache replica failover deploy pipeline owner team roadmap customer storage backup restore schema snapshot merge conflict editor decision'.split(' ');
const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' ');

const signup = async (handle: string) =>
  json('/api/auth/signup', 'POST', { email: `${handle}@example.com`, name: handle, handle, password: 'benchmark password', timezone: 'UTC' });
const owner = await signup('bench');
const token = (await json('/api/tokens', 'POST', { name: 'bench' }, owner.token)).token as string;
const others = await Promise.all(['lena', 'ravi', 'maya'].map(signup));
const people = [owner.user.id as string, ...others.map((o) => o.user.id as string)];
const space = (await json('/api/spaces', 'POST', { name: 'Bench' }, token)).space.id as string;

// A long document: 80 paragraphs, about 3,600 words. Threads anchor on three words of one paragraph
// each (on their first occurrence, as the API does).
const paragraphs = Array.from({ length: 80 }, (_, i) => `P${i} ${sentence(40 + Math.floor(random() * 10))}.`);
const doc = (await json('/api/docs', 'POST', { spaceId: space, title: 'Heavily discussed', markdown: paragraphs.join('\n\n') }, token)).doc.id as string;

const threadIds: string[] = [];
for (let i = 0; i < THREADS; i++) {
  const p = paragraphs[i % paragraphs.length]!.split(' ');
  const from = 1 + Math.floor(random() * (p.length - 6));
  const quote = p.slice(from, from + 3).join(' ');
  const body = { markdown: `Question ${i}: ${sentence(12)}?`, anchor: { quote }, ...(i % 5 === 0 ? { ask: [people[1 + (i % 3)]!] } : {}) };
  threadIds.push((await json(`/api/docs/${doc}/threads`, 'POST', body, token)).thread.id as string);
}

// The other 4,500 comments, straight into the table: uneven (a few long discussions, many short).
const now = Date.now();
const rows: Array<typeof comments.$inferInsert> = [];
for (let i = 0; i < COMMENTS - THREADS; i++) {
  const r = random();
  const thread = threadIds[Math.floor(r * r * THREADS)]!;
  rows.push({
    id: `bench-comment-${i}`,
    threadId: thread,
    docId: doc,
    authorId: people[i % people.length]!,
    markdown: `${sentence(8 + Math.floor(random() * 30))}${i % 7 === 0 ? ' @lena' : ''}.`,
    createdAt: now + i,
    editedAt: i % 20 === 0 ? now + i + 1000 : null,
    deletedAt: null,
  });
}
for (let i = 0; i < rows.length; i += 500) await t.deps.db.insert(comments).values(rows.slice(i, i + 500));

// For the write benchmark: a small document with one thread to reply in.
const small = (await json('/api/docs', 'POST', { spaceId: space, title: 'Replies', markdown: 'A short page to reply on.' }, token)).doc.id as string;
const replyThread = (await json(`/api/docs/${small}/threads`, 'POST', { markdown: 'Replies go here.', anchor: { quote: 'short page' } }, token)).thread.id as string;

// The floor: the same rows (every thread of the document with its comments) read with one raw SQL
// query in which SQLite itself serializes them to JSON — no row objects, no presenter — served by a
// bare Hono app from the same listener. And, for context, the same bare route sending the bytes of
// the real answer (what the HTTP round trip of that much JSON costs on its own).
const bare = new Hono();
bare.get('/bench/threads-floor', async (c) => {
  const result = await t.deps.database.client.execute({
    sql: `SELECT json_object('threads', json_group_array(json_object(
            'id', t.id, 'docId', t.doc_id, 'createdBy', t.created_by, 'quote', t.quote, 'orphaned', t.orphaned, 'status', t.status,
            'resolvedBy', t.resolved_by, 'resolvedAt', t.resolved_at, 'createdAt', t.created_at, 'updatedAt', t.updated_at,
            'anchor', json_object('start', hex(t.anchor_start), 'end', hex(t.anchor_end)),
            'comments', (SELECT json_group_array(json_object('id', c.id, 'threadId', c.thread_id, 'authorId', c.author_id, 'markdown', c.markdown,
                                                             'createdAt', c.created_at, 'editedAt', c.edited_at, 'deletedAt', c.deleted_at))
                           FROM comments c WHERE c.thread_id = t.id)))) AS body
          FROM threads t WHERE t.doc_id = ?`,
    args: [doc],
  });
  return c.body(String(result.rows[0]!.body), 200, { 'content-type': 'application/json' });
});
const sameBytes = await (await handoff.request(`/api/docs/${doc}/threads`, { headers: { authorization: `Bearer ${token}` } })).text();
bare.get('/bench/same-bytes', (c) => c.body(sameBytes, 200, { 'content-type': 'application/json' }));
const fetch = (req: Request, env: unknown) => (req.url.includes('/bench/') ? bare.fetch(req, env) : handoff.fetch(req, env));

serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ ready: true, port: info.port, token, doc, replyThread, threads: THREADS, comments: COMMENTS }));
});
process.on('SIGTERM', () => {
  void t.close().then(() => process.exit(0));
});
