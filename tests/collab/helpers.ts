// Helpers for the collaboration tests: a real Handoff server (in-process or a child process), the
// stock @hocuspocus/provider over `ws`, a headless Lexical editor bound to the provider's Y.Doc
// (typing into it like a browser client would), and raw protocol messages.

import { spawn, type ChildProcess } from 'node:child_process';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import { openHeadlessDoc, type Clock, type LiveRevisionTimings } from '@handoff/api/testing';
import { startHttpServer, type CollabOptions } from '@handoff/api/server';
import { $rootToMarkdown } from '@handoff/shared/markdown';
import { $getRoot, $getSelection, $isElementNode, $isRangeSelection, $isTextNode } from 'lexical';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { ApiClient } from '../api/client.ts';
import { freePort, REPO_ROOT } from '../e2e/server.ts';

export { ApiClient };

/**
 * A Handoff app on a temp database, served with its collaboration endpoint on a free port.
 * `clock`: a ManualClock makes live revisions, re-checks and socket deadlines wait for the test to
 * move time (`revisions`: the live-revision timings).
 */
export async function startCollabApp(collab?: CollabOptions, options: { clock?: Clock; revisions?: Partial<LiveRevisionTimings> } = {}) {
  const api = await ApiClient.start(options.clock ? { clock: options.clock } : {});
  const running = await startHttpServer(api.t.deps, api.t.app, { port: 0, host: '127.0.0.1', collab, revisions: options.revisions });
  const url = `ws://127.0.0.1:${running.port}/api/collab`;
  const open: Collaborator[] = [];
  return {
    api,
    running,
    url,
    /** Connects a collaborator (closed again by `close()`); `person` null connects without a token. */
    join(docId: string, person: { token: string } | null, extra: Partial<HocuspocusProviderConfiguration> & Record<string, unknown> = {}) {
      const c = connect(url, docId, person?.token ?? null, extra);
      open.push(c);
      return c;
    },
    async close() {
      for (const c of open) c.destroy();
      await running.close();
      await api.close();
    },
  };
}
export type CollabApp = Awaited<ReturnType<typeof startCollabApp>>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export interface Closed {
  /** The reason of the Hocuspocus close message (the document connection), if one came. */
  reason?: string;
  /** The WebSocket close code, once the socket closed. */
  code?: number;
}

/** A collaborator: the stock provider plus a headless Lexical editor bound to its Y.Doc. */
export class Collaborator {
  readonly editor: ReturnType<typeof openHeadlessDoc>;
  readonly closed: Closed = {};
  failed: string | null = null;
  authenticated = false;

  constructor(readonly provider: HocuspocusProvider) {
    this.editor = openHeadlessDoc(null, { doc: provider.document });
    provider.on('close', ({ event }: { event: { code: number; reason: string } }) => {
      if (event.reason) this.closed.reason ??= event.reason;
    });
    provider.on('disconnect', ({ event }: { event: { code: number } }) => {
      this.closed.code ??= event.code;
    });
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => (this.failed = reason));
    provider.on('authenticated', () => (this.authenticated = true));
  }

  get doc(): Y.Doc {
    return this.provider.document;
  }

  synced() {
    return waitFor(() => this.provider.synced || this.failed !== null, 10_000, 'sync').then(() => {
      if (this.failed) throw new Error(`refused: ${this.failed}`);
    });
  }

  /** Every local change acknowledged by the server (the provider's unsyncedChanges back at 0). */
  acked(timeoutMs = 10_000) {
    return waitFor(() => this.provider.unsyncedChanges === 0, timeoutMs, 'acknowledgement');
  }

  /** Types `text` at the end of top-level block `index`, like a keyboard would. */
  type(index: number, text: string) {
    this.editor.update(() => {
      const block = $getRoot().getChildAtIndex(index);
      if (!$isElementNode(block)) throw new Error(`no block ${index}`);
      block.selectEnd();
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) throw new Error('no selection');
      selection.insertText(text);
    });
  }

  /** Deletes the last `n` characters of block `index`. */
  backspace(index: number, n = 1) {
    this.editor.update(() => {
      const block = $getRoot().getChildAtIndex(index);
      if (!$isElementNode(block)) throw new Error(`no block ${index}`);
      const last = block.getLastDescendant();
      if (!$isTextNode(last)) throw new Error(`no text at the end of block ${index}`);
      last.spliceText(Math.max(0, last.getTextContentSize() - n), n, '', true);
    });
  }

  /** The Lexical state after applying whatever Yjs delivered. */
  markdown(): string {
    this.editor.update(() => {});
    return this.editor.read(() => $rootToMarkdown());
  }

  json(): string {
    this.editor.update(() => {});
    return JSON.stringify(this.editor.toJSON());
  }

  private destroyed = false;
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.editor.dispose();
    // `ws` reports closing a socket that is still connecting as an error event; nobody listens by then.
    (this.provider.configuration.websocketProvider.webSocket as unknown as WebSocket | null)?.on('error', () => undefined);
    this.provider.destroy();
  }
}

export function connect(url: string, name: string, token: string | null, extra: Partial<HocuspocusProviderConfiguration> & Record<string, unknown> = {}): Collaborator {
  const provider = new HocuspocusProvider({
    url,
    name,
    token,
    WebSocketPolyfill: WebSocket,
    // Reconnect quickly in tests.
    delay: 100,
    minDelay: 100,
    maxDelay: 500,
    ...extra,
  } as unknown as HocuspocusProviderConfiguration);
  return new Collaborator(provider);
}

/** The document body as the server stores it (snapshot + log), as Markdown. */
export async function storedMarkdown(app: CollabApp, docId: string): Promise<string> {
  const state = await app.api.t.deps.docs.loadState(app.api.t.deps.db, docId);
  const h = openHeadlessDoc(state);
  try {
    return h.read(() => $rootToMarkdown());
  } finally {
    h.dispose();
  }
}

// ---- raw protocol messages (lib0 encoding) ----

/** lib0's variable-length unsigned integer, as the Hocuspocus and y-protocols messages encode lengths and ids. */
export function varUint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push(0x80 | (n & 0x7f));
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const bytes = (b: Uint8Array) => [...varUint(b.length), ...b];
const str = (s: string) => bytes(new TextEncoder().encode(s));

export const raw = {
  auth: (doc: string, token: string) => Uint8Array.from([...str(doc), 2, 0, ...str(token)]),
  step1: (doc: string, sv: Uint8Array) => Uint8Array.from([...str(doc), 0, 0, ...bytes(sv)]),
  update: (doc: string, update: Uint8Array) => Uint8Array.from([...str(doc), 0, 2, ...bytes(update)]),
};

/** A raw WebSocket to the collaboration endpoint, recording how it closed. */
export async function rawSocket(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const messages: Uint8Array[] = [];
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), at: performance.now() })),
  );
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  /** Sends and resolves once the bytes were handed to the socket. */
  const send = (data: Uint8Array) => new Promise<number>((resolve, reject) => ws.send(data, (err) => (err ? reject(err) : resolve(performance.now()))));
  return { ws, messages, closed, send };
}

// ---- the real server in a child process (for kill -9) ----

export interface ChildServer {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `node --import tsx apps/api/src/index.ts` on `dbPath`, as `npm start` runs it. */
export async function spawnServer(dbPath: string): Promise<ChildServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key === 'TEST' || key.startsWith('VITEST')) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${dbPath}`, HANDOFF_DEMO: '0', HANDOFF_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const killOnExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  };
  process.once('exit', killOnExit);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await sleep(100);
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/api/collab`,
    child,
    async kill(signal) {
      process.removeListener('exit', killOnExit);
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* gone */
      }
      await exited;
    },
  };
}

/** JSON over real HTTP (for the child-process server). */
export async function http(url: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
