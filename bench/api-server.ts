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

const root = new Hono();
root.get('/bench/hello', (c) => c.json({ hello: 'world' }));
root.all('*', (c) => handoff.fetch(c.req.raw));

const json = async (path: string, method: string, body: unknown, token?: string) => {
  const res = await handoff.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
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

serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(JSON.stringify({ ready: true, port: info.port, token, doc, patchDoc, paragraphs: paragraphs.length }));
});
process.on('SIGTERM', () => {
  t.close();
  process.exit(0);
});
