// Issue 8, item 17: REST document writes run long synchronous work on the event loop (Markdown →
// Lexical, headless editors over the Y.Doc, deriving the revision). Twenty concurrent PATCHes from
// one member used to interleave their work so a live editor's keystroke waited behind all of them
// at every hop. With admission control (one body write computing at a time, bounded queues) and
// yields between the steps, a live editor keeps getting prompt acknowledgements, the health probe
// stays fast, and the writes past the member's queue get the contract's error shape (429), never
// a 500. No assertion on how long the attack itself took.

import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { sleep, waitFor } from '../collab/helpers.ts';
import { login, startAbuseServer, startHealthProbe, type RunningServer, type Session } from './harness.ts';

/** Generous bounds: a stalled event loop shows up as seconds, a healthy one answers in milliseconds. */
const ACK_LIMIT_MS = 1_500;
const PROBE_LIMIT_MS = 1_500;

let server: RunningServer;
let lena: Session;
let marcus: Session;
let spaceId: string;

beforeAll(async () => {
  // A small per-person queue, so that 20 concurrent writes from one member overflow it.
  server = await startAbuseServer({ env: { HANDOFF_DOC_WRITE_QUEUE_PER_USER: '8', HANDOFF_LOG_LEVEL: 'warn' } });
  lena = await login(server.url, 'lena@handoff.demo');
  marcus = await login(server.url, 'marcus@handoff.demo');
  const mine = (await fetch(`${server.url}/api/spaces`, { headers: marcus.headers }).then((r) => r.json())) as { spaces: Array<{ id: string; role: string | null }> };
  const hers = (await fetch(`${server.url}/api/spaces`, { headers: lena.headers }).then((r) => r.json())) as typeof mine;
  const editable = (s: { role: string | null }) => s.role === 'editor' || s.role === 'admin';
  spaceId = mine.spaces.find((s) => editable(s) && hers.spaces.some((o) => o.id === s.id && editable(o)))!.id;
});
afterAll(() => server?.stop());

async function createDoc(session: Session, title: string, markdown: string): Promise<string> {
  const res = await fetch(`${server.url}/api/docs`, { method: 'POST', headers: session.headers, body: JSON.stringify({ spaceId, title, markdown }) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { doc: { id: string } }).doc.id;
}

/** Types into the first paragraph, as Lexical's Yjs binding lays it out. */
function typeOne(doc: Y.Doc) {
  const block = doc
    .get('root', Y.XmlText)
    .toDelta()
    .map((d: { insert: unknown }) => d.insert)
    .find((x: unknown): x is Y.XmlText => x instanceof Y.XmlText)!;
  block.insert(block.length, 'x');
}

describe('REST document writes under one member’s flood', () => {
  it('keeps a live editor acknowledged promptly while 20 concurrent PATCHes run, and answers the overflow with 429s', async () => {
    const page = (tag: string) => Array.from({ length: 60 }, (_, i) => `${tag} paragraph ${i}: the release plan moves to Monday because QA found a sync bug.`).join('\n\n');
    const live = await createDoc(lena, 'Live notes', page('Live'));
    const targets = await Promise.all(Array.from({ length: 4 }, (_, i) => createDoc(marcus, `Flooded ${i}`, page(`Flood ${i}`))));

    const doc = new Y.Doc();
    const provider = new HocuspocusProvider({
      url: `${server.url.replace('http:', 'ws:')}/api/collab`,
      name: live,
      token: lena.token,
      document: doc,
      WebSocketPolyfill: WebSocket,
    } as unknown as HocuspocusProviderConfiguration);
    try {
      await waitFor(() => provider.synced && provider.unsyncedChanges === 0, 15_000, 'the editor to sync');
      const probe = startHealthProbe(server.url, { everyMs: 50 });
      const flood = Array.from({ length: 20 }, (_, i) =>
        fetch(`${server.url}/api/docs/${targets[i % targets.length]}`, {
          method: 'PATCH',
          headers: marcus.headers,
          body: JSON.stringify({ markdown: page(`Flood ${i} rewritten`) }),
          signal: AbortSignal.timeout(120_000),
        }),
      );
      // The live editor types while the flood runs; each keystroke is stored and acknowledged.
      const acks: number[] = [];
      let pending = flood.length;
      for (const f of flood) void f.finally(() => pending--);
      while (pending > 0 || acks.length < 20) {
        const started = performance.now();
        typeOne(doc);
        await waitFor(() => provider.unsyncedChanges === 0, 30_000, 'an acknowledgement');
        acks.push(performance.now() - started);
        await sleep(5);
      }
      const probed = await probe.stop();
      const answers = await Promise.all(flood);

      expect(Math.max(...acks)).toBeLessThan(ACK_LIMIT_MS);
      expect(probed.failures).toBe(0);
      expect(probed.maxMs).toBeLessThan(PROBE_LIMIT_MS);

      const statuses = answers.map((r) => r.status);
      for (const s of statuses) expect([200, 429]).toContain(s);
      expect(statuses).toContain(200);
      expect(statuses).toContain(429); // 1 running + 8 waiting; the rest overflow the member's queue
      for (const res of answers) {
        const body = (await res.json()) as { doc?: { id: string }; error?: { code: string; message: string } };
        if (res.status === 429) {
          expect(body.error?.code).toBe('rate_limited');
          expect(typeof body.error?.message).toBe('string');
          expect(res.headers.get('retry-after')).toBeTruthy();
        } else {
          expect(body.doc?.id).toBeTruthy();
        }
      }
      // Nothing the editor typed was lost.
      expect(provider.unsyncedChanges).toBe(0);
    } finally {
      provider.destroy();
    }
  });
});
