/**
 * The servers under test for the collaboration benchmark, one per process:
 * - `handoff` (default): Handoff's real server stack (app + /api/collab on one port, libSQL file,
 *   durability before acknowledgement) with a user, an API token and a realistic page;
 * - `stock` (HANDOFF_COLLAB_BENCH_SERVER=stock): a stock @hocuspocus/server `Server` with no extensions.
 * Prints one JSON line `{ready: true, port, …}` once listening.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Server } from '@hocuspocus/server';
import { createTestApp } from '@handoff/api/testing';
import { startHttpServer } from '@handoff/api/server';

if (process.env.HANDOFF_COLLAB_BENCH_SERVER === 'stock') {
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
  await server.listen(0);
  console.log(JSON.stringify({ ready: true, port: server.address.port }));
  process.on('SIGTERM', () => void server.destroy().then(() => process.exit(0)));
} else {
  const t = await createTestApp();
  const json = async (path: string, method: string, body: unknown, token?: string) => {
    const res = await t.app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any endpoint; callers read the fields they expect
  };
  const signup = await json('/api/auth/signup', 'POST', { email: 'bench@example.com', name: 'Bench', handle: 'bench', password: 'benchmark password', timezone: 'UTC' });
  const token = (await json('/api/tokens', 'POST', { name: 'bench' }, signup.token)).token as string;
  const space = (await json('/api/spaces', 'POST', { name: 'Bench' }, token)).space.id as string;
  // The same kind of page as the API benchmark: 20 blocks of prose.
  const paragraphs = Array.from({ length: 20 }, (_, i) => `Paragraph ${i}: the release plan moves to Monday because QA found a sync bug; we keep the checksum proposal.`);
  // One fresh page per measuring round (the peer starts each round from the same page too).
  const docs: string[] = [];
  for (let i = 0; i < 16; i++) docs.push((await json('/api/docs', 'POST', { spaceId: space, title: `Live page ${i}`, markdown: paragraphs.join('\n\n') }, token)).doc.id as string);
  const seed = Buffer.from(await t.deps.docs.loadState(t.deps.db, docs[0]!)).toString('base64');
  const running = await startHttpServer(t.deps, t.app, { port: 0, host: '127.0.0.1' });
  // HANDOFF_BENCH_ELD=1: report the event loop's delay (ms) on stdout when stopped.
  const eld = process.env.HANDOFF_BENCH_ELD === '1' ? monitorEventLoopDelay({ resolution: 5 }) : null;
  eld?.enable();
  console.log(JSON.stringify({ ready: true, port: running.port, token, docs, seed }));
  process.on('SIGTERM', () => {
    if (eld) {
      eld.disable();
      const ms = (ns: number) => Math.round(ns / 1e5) / 10;
      console.log(JSON.stringify({ eventLoopDelayMs: { mean: ms(eld.mean), p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) } }));
    }
    void running.close().then(async () => {
      await t.close();
      process.exit(0);
    });
  });
}
