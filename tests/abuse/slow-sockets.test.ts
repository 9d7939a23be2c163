// Issue 8, item 13: a thousand slow sockets cannot pin the server. Headers dribbled a byte at a time
// and bodies trickled slower than any real client are cut off after the configured timeouts; one
// address cannot hold more than its share of connections; everyone else keeps being answered; and a
// collaboration WebSocket, which lives long after its upgrade request, is not cut off by them.

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rssMiB, startAbuseServer, startHealthProbe, type RunningServer } from './harness.ts';
import { startHttpServer } from '@handoff/api/server';
import { ApiClient } from '../api/client.ts';
import { connect as joinDoc, storedMarkdown, waitFor, type CollabApp } from '../collab/helpers.ts';

const HEADERS_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 3_000;
const PER_IP = 300;
const ATTACKERS = 500;

let server: RunningServer;

beforeAll(async () => {
  server = await startAbuseServer({
    env: {
      HANDOFF_LOG_LEVEL: 'warn',
      HANDOFF_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HANDOFF_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HANDOFF_HTTP_CHECK_INTERVAL_MS: '250',
      HANDOFF_MAX_CONNECTIONS_PER_IP: String(PER_IP),
    },
  });
});
afterAll(() => server?.stop());

interface Slow {
  socket: Socket;
  /** What the server sent before closing (a 408, or nothing when it refused the connection). */
  received: string;
  closed: boolean;
}

/** A socket from 127.0.0.2 (another address than the health probe) that sends `head` and then one byte every 500 ms. */
function slowSocket(port: number, head: string, drip: string): Slow {
  const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
  const slow: Slow = { socket, received: '', closed: false };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (slow.received += chunk));
  socket.on('error', () => undefined);
  socket.on('close', () => (slow.closed = true));
  socket.on('connect', () => socket.write(head));
  let i = 0;
  const timer = setInterval(() => {
    if (slow.closed) return clearInterval(timer);
    socket.write(drip[i++ % drip.length]!);
  }, 500);
  socket.on('close', () => clearInterval(timer));
  return slow;
}

/** A request whose body never comes; resolves with what the server sent once it closed the socket. */
function abandonedRequest(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
    socket.on('connect', () => socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'));
  });
}

describe('slow sockets', () => {
  it('are closed after the headers and request timeouts, capped per address, while others are answered', async () => {
    const port = Number(new URL(server.url).port);
    const probe = startHealthProbe(server.url);
    await probe.answered;
    const baseline = rssMiB(server.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.pid))), 100);

    const sockets: Slow[] = [];
    for (let i = 0; i < ATTACKERS; i++) {
      sockets.push(
        i % 2 === 0
          ? // slowloris: the headers never end
            slowSocket(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'abcdefghij')
          : // a body announced and trickled
            slowSocket(port, 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":"', 'aaaaaaaaaa'),
      );
    }
    try {
      await waitFor(() => sockets.every((s) => s.closed), 20_000, 'the server to close every slow socket');
    } finally {
      clearInterval(sampler);
      for (const s of sockets) s.socket.destroy();
    }
    const health = await probe.stop();

    // Over the per-address cap, connections were refused outright (closed without an answer) ...
    const refused = sockets.filter((s) => s.received === '').length;
    expect(refused).toBeGreaterThanOrEqual(ATTACKERS - PER_IP);
    // ... and the headers that never ended were answered 408 before the socket closed.
    const dribblers = sockets.filter((_, i) => i % 2 === 0 && sockets[i]!.received !== '');
    for (const s of dribblers) expect(s.received).toMatch(/^HTTP\/1\.1 408/);
    // The server stayed small and kept answering everyone else.
    expect(peak - baseline).toBeLessThan(150);
    expect(health.failures).toBe(0);
    expect(health.count).toBeGreaterThan(5);
    expect(health.maxMs).toBeLessThan(2_000);
  });

  it('leave a collaboration WebSocket open long after the request timeout', async () => {
    const api = await ApiClient.start({
      config: {
        http: {
          headersTimeoutMs: 500,
          requestTimeoutMs: 700,
          keepAliveTimeoutMs: 500,
          maxRequestsPerSocket: 100,
          maxConnections: 100,
          maxConnectionsPerIp: 50,
          checkIntervalMs: 100,
        },
      },
    });
    const running = await startHttpServer(api.t.deps, api.t.app, { port: 0, host: '127.0.0.1' });
    try {
      const ada = await api.signup('ada');
      const space = await api.space(ada, 'Live');
      const doc = await api.doc(ada, space, 'Notes', 'first line');
      const editor = joinDoc(`ws://127.0.0.1:${running.port}/api/collab`, doc.id, ada.token);
      try {
        await editor.synced();
        // Three requests in a row that never finish their body, each cut off by the request
        // timeout (408): the WebSocket, upgraded before the first, outlives all three checks.
        const port = running.port;
        for (let i = 0; i < 3; i++) expect(await abandonedRequest(port)).toMatch(/^HTTP\/1\.1 408/);
        expect(editor.closed.code).toBeUndefined();
        editor.type(0, ' typed later');
        await editor.acked();
        expect(await storedMarkdown({ api } as CollabApp, doc.id)).toContain('typed later');
        expect(editor.closed.code).toBeUndefined();
      } finally {
        editor.destroy();
      }
    } finally {
      await running.close();
      await api.close();
    }
  });
});
