/**
 * The server under test for the API benchmark: Handoff's real app on a fresh libSQL file, plus a
 * bare Hono "hello" route served by the same process, Node and @hono/node-server — the peer.
 * Prints one JSON line with the port, tokens and document ids once it is ready.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createTestApp } from '@handoff/api/testing';

const t = await createTestApp();
const handoff = t.app;

// The peer: a bare Hono app with one route. Both apps get the raw request from the same
// @hono/node-server listener; one cheap URL check picks the app (both routes pay it).
const bare = new Hono();
bare.get('/bench/hello', (c) => c.json({ hello: 'world' }));
const fetch = (req: Request, env: unknown) => (req.url.includes('/bench/') ? bare.fetch(req, env) : handoff.fetch(req, env));

const json = async (path: string, method: string, body: unknown, token?: string) => {
  const res = await handoff.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; callers read the fields they expect
};

const signup = await json('/api/auth/signup', 'POST', { email: 'bench@example.com', name: 'Bench', handle: 'bench', password: 'benchmark password', timezone: 'UTC' });
const token = (await json('/api/tokens', 'POST', { name: 'bench' }, signup.token)).token as string;
const space = (await json('/api/spaces', 'POST', { name: 'Bench' }, token)).space.id as string;
// A typical wiki page: 20 blocks (headings, paragraphs, a list), ~2,300 characters of Markdown,
// about 9 KB as the API answers it (Markdown plus the Lexical JSON).
const paragraphs = Array.from({ length: 20 }, (_, i) => `Paragraph ${i}: the release plan moves to Monday because QA found a sync bug; we keep the checksum proposal.`);
const page = paragraphs
  .map((p, i) => (i % 6 === 0 ? `## Section ${i / 6 + 1}\n\n${p}` : i % 6 === 3 ? `- ${p}\n- **Owner:** @bench` : p))
  .join('\n\n');
const doc = (await json('/api/docs', 'POST', { spaceId: space, title: 'A realistic document', markdown: page }, token)).doc.id as string;
const patchDoc = (await json('/api/docs', 'POST', { spaceId: space, title: 'Patched', markdown: paragraphs.join('\n\n') }, token)).doc.id as string;

// Context only (not the goal's peer): the same bare route answering the same bytes as the document.
const sameBytes = await (await handoff.request(`/api/docs/${doc}?peek=1`, { headers: { authorization: `Bearer ${token}` } })).text();
bare.get('/bench/same-bytes', (c) => c.body(sameBytes, 200, { 'content-type': 'application/json' }));

serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ ready: true, port: info.port, token, doc, patchDoc, paragraphs: paragraphs.length, docBytes: sameBytes.length }));
});
process.on('SIGTERM', () => {
  t.close();
  process.exit(0);
});
