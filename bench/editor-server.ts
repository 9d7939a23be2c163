/**
 * The server for the editor-open benchmark: Handoff's real server (API, built web app and
 * /api/collab on one port) on a fresh libSQL file, with one 5,000-paragraph document.
 * Prints `{ready: true, port, email, password, docId}`.
 */
import { createTestApp } from '@handoff/api/testing';
import { startHttpServer } from '@handoff/api/server';

const paragraphs = Number(process.env.HANDOFF_BENCH_PARAGRAPHS ?? 5000);
const t = await createTestApp();
const json = async (path: string, method: string, body: unknown, token?: string) => {
  const res = await t.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; callers read the fields they expect
};
const email = 'reader@example.com';
const password = 'benchmark password';
const signup = await json('/api/auth/signup', 'POST', { email, name: 'Reader', handle: 'reader', password, timezone: 'UTC' });
const space = (await json('/api/spaces', 'POST', { name: 'Long documents' }, signup.token)).space.id as string;
const markdown = Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 1} of a long design document: decisions, context and the reasons behind them.`).join('\n\n');
const doc = await json('/api/docs', 'POST', { spaceId: space, title: 'A very long document', markdown }, signup.token);
const running = await startHttpServer(t.deps, t.app, { port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ ready: true, port: running.port, email, password, docId: doc.doc.id, paragraphs }));
process.on('SIGTERM', () => {
  void running.close().then(async () => {
    await t.close();
    process.exit(0);
  });
});
