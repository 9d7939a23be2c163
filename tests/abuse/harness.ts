// Shared tools of the abuse suite: a real server in a child process (so its memory can be read
// and a stall shows up as a slow health probe), a health probe that runs during an attack, and
// log-in helpers. Abuse tests never assert how long the attack itself took: they assert that the
// server kept answering others (probe latency), stayed within memory, and lost nothing.

import { readFileSync } from 'node:fs';
import { startServer, type RunningServer, type StartServerOptions } from '../e2e/server.ts';

export { startServer, type RunningServer };

/** Demo people seeded on first start (HANDOFF_DEMO=1); every one has this password. */
export const DEMO_PASSWORD = 'handoff-demo-2026';

/** Starts the real server (`node --import tsx apps/api/src/index.ts`) with the demo workspace. */
export function startAbuseServer(options: StartServerOptions = {}): Promise<RunningServer> {
  return startServer({ ...options, env: { HANDOFF_DEMO: '1', ...options.env } });
}

/** Resident memory of a process in MiB, from /proc (Linux). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export interface ProbeResult {
  /** Probes sent and answered. */
  count: number;
  /** Slowest answered probe, in ms. */
  maxMs: number;
  /** Probes that failed (no answer within the timeout, or not 200). */
  failures: number;
}

/**
 * Sends `GET /api/health` every `everyMs` until stopped; the slowest answer tells whether the
 * event loop stalled while an attack ran.
 */
export function startHealthProbe(url: string, options: { everyMs?: number; timeoutMs?: number } = {}) {
  const everyMs = options.everyMs ?? 100;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const result: ProbeResult = { count: 0, maxMs: 0, failures: 0 };
  let running = true;
  let firstAnswer: () => void = () => undefined;
  /** Resolves with the first answered probe (the server is serving: a baseline can be taken). */
  const answered = new Promise<void>((resolve) => (firstAnswer = resolve));
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
        await res.arrayBuffer();
        if (res.status !== 200) result.failures++;
        else {
          result.count++;
          firstAnswer();
        }
      } catch {
        result.failures++;
      }
      result.maxMs = Math.max(result.maxMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    answered,
    async stop(): Promise<ProbeResult> {
      running = false;
      await loop;
      return result;
    },
  };
}

export interface Session {
  token: string;
  userId: string;
  headers: Record<string, string>;
}

/** Logs in by e-mail and password; the session token works as a Bearer token. */
export async function login(url: string, email: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`log-in as ${email} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id, headers: { authorization: `Bearer ${body.token}`, 'content-type': 'application/json' } };
}
