// Starts the real Handoff server for end-to-end tests, the way `npm start` runs it
// (`node --import tsx apps/api/src/index.ts`), on a free port with its own temporary database.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunningServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The server's process id (its RSS is in /proc/<pid>/status). */
  pid: number;
  /** Everything the server printed to stdout and stderr so far (the last 64 KB of each). */
  output(): { stdout: string; stderr: string };
  /** Stops the server (its whole process group) and deletes its temporary directory. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra or overriding environment variables for the server. */
  env?: Record<string, string>;
  /** How long to wait for `GET /api/health` to answer 200. */
  timeoutMs?: number;
}

const OUTPUT_LIMIT = 64 * 1024;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'handoff-e2e-'));
  const url = `http://127.0.0.1:${port}`;

  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/index.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...serverBaseEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'handoff.db')}`,
      HANDOFF_DEMO: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so stop() also ends anything it spawned
  });

  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-OUTPUT_LIMIT)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-OUTPUT_LIMIT)));

  const exited = new Promise<number | string>((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown')),
  );

  // If the test process dies without calling stop(), leave neither a server nor its files behind.
  const killOnExit = () => {
    killGroup(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child, 'SIGKILL'); // anything the server left running in its group
      rmSync(dir, { recursive: true, force: true });
    })());

  const failure = (why: string) =>
    new Error(
      `The Handoff server did not become healthy at ${url}/api/health: ${why}\n` +
        `--- server stderr ---\n${stderr.trim() || '(empty)'}\n` +
        `--- server stdout (last lines) ---\n${lastLines(stdout, 30) || '(empty)'}`,
    );

  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  for (;;) {
    const result = await Promise.race([
      exited.then((code) => ({ exited: code })),
      health(url).then((problem) => ({ problem })),
    ]);
    if ('exited' in result) {
      await stop();
      throw failure(`the server exited (${result.exited}) before it was healthy`);
    }
    if (result.problem === null) return { url, pid: child.pid ?? -1, output: () => ({ stdout, stderr }), stop };
    lastProblem = result.problem;
    if (Date.now() > deadline) {
      await stop();
      throw failure(`still not healthy after ${timeoutMs / 1000} s (last: ${lastProblem})`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The test process's environment minus what the test runner adds (NODE_ENV=test, VITEST, TEST…),
 * so the server behaves as under `npm start` (and logs at its normal level).
 */
function serverBaseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === 'NODE_ENV' || key === 'TEST' || key.startsWith('VITEST')) delete env[key];
  }
  return env;
}

/** null when GET /api/health answers 200, else what went wrong. */
async function health(url: string): Promise<string | null> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.status === 200 ? null : `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}
