// Issue 8, item 9: the Markdown parser worker was one shared queue, so eight hostile documents
// from one member (each running to the parse time limit) delayed another member's ordinary save
// by the sum of their limits. With a small pool and per-person fairness, the other member's save
// goes through while the hostile ones are still being cut off, and the hostile requests get the
// contract's error shape (422, or 429/503 when their queue is full) — never a 500.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startAbuseServer, startHealthProbe, type RunningServer, type Session } from './harness.ts';

/** How long the ordinary save may take (today: behind 8 × the 5 s parse limit ≈ 40 s). */
const VICTIM_LIMIT_MS = 12_000;

let server: RunningServer;
let lena: Session;
let marcus: Session;
let spaceId: string;

beforeAll(async () => {
  server = await startAbuseServer();
  lena = await login(server.url, 'lena@handoff.demo');
  marcus = await login(server.url, 'marcus@handoff.demo');
  const res = await fetch(`${server.url}/api/spaces`, { headers: marcus.headers });
  const body = (await res.json()) as { spaces: Array<{ id: string; role: string | null }> };
  const both = await fetch(`${server.url}/api/spaces`, { headers: lena.headers }).then((r) => r.json() as Promise<typeof body>);
  const editable = (s: { role: string | null }) => s.role === 'editor' || s.role === 'admin';
  spaceId = body.spaces.find((s) => editable(s) && both.spaces.some((o) => o.id === s.id && editable(o)))!.id;
});
afterAll(() => server?.stop());

const createDoc = (session: Session, title: string, markdown: string) =>
  fetch(`${server.url}/api/docs`, {
    method: 'POST',
    headers: session.headers,
    body: JSON.stringify({ spaceId, title, markdown }),
    signal: AbortSignal.timeout(120_000),
  });

describe('the Markdown parser under one member’s hostile documents', () => {
  it('saves another member’s ordinary document promptly while eight hostile ones are parsed', async () => {
    // Quadratic for the CommonMark parser: each runs into the parse time limit.
    const hostile = '*a'.repeat(100_000);
    const attack = Array.from({ length: 8 }, (_, i) => createDoc(marcus, `Hostile ${i}`, hostile));
    await new Promise((r) => setTimeout(r, 500)); // the attack is queued and running
    const probe = startHealthProbe(server.url);
    // Large enough (≥ 8 KB) to be parsed in the worker pool, like any longer page.
    const ordinary = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} with **bold**, _emphasis_ and a [link](https://example.com/${i}).`).join('\n\n');
    const started = performance.now();
    const saved = await createDoc(lena, 'Release notes', ordinary);
    const victimMs = performance.now() - started;
    expect(saved.status).toBe(201);
    expect(victimMs).toBeLessThan(VICTIM_LIMIT_MS);

    const answers = await Promise.all(attack);
    for (const res of answers) {
      expect([422, 429, 503]).toContain(res.status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(typeof body.error.code).toBe('string');
      expect(typeof body.error.message).toBe('string');
    }
    const result = await probe.stop();
    expect(result.failures).toBe(0);
    expect(result.maxMs).toBeLessThan(2_000);

    // Afterwards the pool serves both again (timed-out workers were replaced).
    expect((await createDoc(marcus, 'Fine again', ordinary)).status).toBe(201);
  });
});
