// Issue 8, item 3: an unauthenticated collaboration socket must not make the server hold memory
// for it (messages for many documents queued before an auth that never comes), nor stay open
// forever, nor be one of unboundedly many from one address. Attack sockets are closed with a clear
// code; a legitimate editor on another document keeps working and the server keeps answering.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connect, http, raw, rawSocket, sleep, waitFor, type Collaborator } from '../collab/helpers.ts';
import { login, rssMiB, startAbuseServer, startHealthProbe, type RunningServer, type Session } from './harness.ts';

let server: RunningServer;
let wsUrl: string;
let lena: Session;
let editor: Collaborator;
let watcher: Collaborator;
let round = 0;

const AUTH_TIMEOUT_MS = 1500;
const PER_IP = 12;

beforeAll(async () => {
  server = await startAbuseServer({
    env: {
      HANDOFF_LOG_LEVEL: 'warn',
      HANDOFF_COLLAB_AUTH_TIMEOUT_MS: String(AUTH_TIMEOUT_MS),
      HANDOFF_COLLAB_MAX_CONNECTIONS_PER_IP: String(PER_IP),
    },
  });
  wsUrl = `${server.url.replace('http:', 'ws:')}/api/collab`;
  lena = await login(server.url, 'lena@handoff.demo');
  const spaces = (await http(server.url, 'GET', '/api/spaces', undefined, lena.token)).body.spaces as Array<{ id: string; name: string }>;
  const engineering = spaces.find((s) => s.name === 'Engineering')!.id;
  const doc = (await http(server.url, 'POST', '/api/docs', { spaceId: engineering, title: 'Bystander', markdown: 'Still fine.' }, lena.token)).body.doc;
  editor = connect(wsUrl, doc.id, lena.token);
  watcher = connect(wsUrl, doc.id, lena.token);
  await Promise.all([editor.synced(), watcher.synced()]);
});

afterAll(async () => {
  editor?.destroy();
  watcher?.destroy();
  await server?.stop();
});

/** A legitimate editor's change is still acknowledged and reaches another editor. */
async function bystanderStillWorks() {
  const mark = ` r${++round}`;
  editor.type(0, mark);
  await editor.acked(5000);
  await waitFor(() => watcher.markdown().includes(mark), 5000, 'the bystander’s edit to reach the watcher');
}

/** A valid Yjs update of about `bytes` bytes (one long text insert). */
function bigUpdate(bytes: number): Uint8Array {
  const d = new Y.Doc();
  d.get('root', Y.XmlText).insert(0, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(d);
}

/** A sync update message (raw.update builds it byte by byte: too slow for megabytes). */
function updateMessage(doc: string, update: Uint8Array): Uint8Array {
  const header = raw.update(doc, new Uint8Array(0)).slice(0, -1); // name, type 0, step 2, (length 0)
  const len: number[] = [];
  for (let n = update.length; ; n = Math.floor(n / 128)) {
    if (n <= 0x7f) {
      len.push(n);
      break;
    }
    len.push(0x80 | (n & 0x7f));
  }
  return Buffer.concat([header, Uint8Array.from(len), update]);
}

const closedWithin = <T>(p: Promise<T>, ms: number) => Promise.race([p, sleep(ms).then(() => null)]);

describe('unauthenticated collaboration sockets', () => {
  it('holds at most a small fixed amount per socket before authentication: a flood for many documents is cut off, memory stays flat', async () => {
    const baseline = rssMiB(server.pid);
    const probe = startHealthProbe(server.url);
    const payload = bigUpdate(1024 * 1024);
    const attackers = await Promise.all([rawSocket(wsUrl), rawSocket(wsUrl)]);
    // 2 sockets × 30 document names × 4 messages of 1 MB = 240 MB the server would hold for nobody.
    await Promise.all(
      attackers.map(async (sock) => {
        for (let d = 0; d < 30; d++) {
          for (let m = 0; m < 4; m++) {
            if (sock.ws.readyState !== WebSocket.OPEN) return;
            await sock.send(updateMessage(`attack-${d}`, payload)).catch(() => undefined);
          }
        }
      }),
    );
    const closes = await Promise.all(attackers.map((s) => closedWithin(s.closed, 5000)));
    // Measured once the server closed both sockets (what they held is released at their close).
    const grown = rssMiB(server.pid) - baseline;
    for (const c of closes) {
      expect(c, 'the flooding socket is closed').not.toBeNull();
      expect(c!.code).toBe(4429);
      expect(c!.reason).toMatch(/before authentication/);
    }
    expect(grown, `RSS grew by ${grown.toFixed(0)} MiB`).toBeLessThan(100);
    await bystanderStillWorks();
    const health = await probe.stop();
    expect(health.failures).toBe(0);
    expect(health.maxMs).toBeLessThan(2000);
  });

  it('closes a socket that does not authenticate within the deadline', async () => {
    const idle = await rawSocket(wsUrl);
    const closed = await closedWithin(idle.closed, AUTH_TIMEOUT_MS + 3000);
    expect(closed, 'the idle socket is closed').not.toBeNull();
    expect(closed!.code).toBe(4408);
    // A socket that only asks for a document it never authenticates for is closed as well.
    const asking = await rawSocket(wsUrl);
    await asking.send(raw.step1('no-auth-ever', new Uint8Array([0])));
    const closed2 = await closedWithin(asking.closed, AUTH_TIMEOUT_MS + 3000);
    expect(closed2?.code).toBe(4408);
    await bystanderStillWorks();
  });

  it('caps documents per socket', async () => {
    const sock = await rawSocket(wsUrl);
    for (let d = 0; d < 40 && sock.ws.readyState === WebSocket.OPEN; d++) {
      await sock.send(raw.auth(`doc-${d}`, 'not-a-token')).catch(() => undefined);
    }
    const closed = await closedWithin(sock.closed, 5000);
    expect(closed, 'the socket is closed').not.toBeNull();
    expect(closed!.code).toBe(4429);
    await bystanderStillWorks();
  });

  it('caps collaboration sockets per address; the ones over the cap are refused, the others unaffected', async () => {
    const opened: Array<Awaited<ReturnType<typeof rawSocket>>> = [];
    let refused = 0;
    for (let i = 0; i < PER_IP + 5; i++) {
      try {
        opened.push(await rawSocket(wsUrl));
      } catch {
        refused++;
      }
    }
    try {
      // The bystander's two sockets count against the same address.
      expect(refused).toBeGreaterThanOrEqual(5);
      expect(opened.length).toBeLessThanOrEqual(PER_IP);
      await bystanderStillWorks();
    } finally {
      for (const s of opened) s.ws.terminate();
    }
  });
});
