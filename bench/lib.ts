import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Starts a TypeScript server script in its own process and waits for its `{ready: true}` line. */
export async function startChild<T>(script: string, env: Record<string, string> = {}): Promise<{ info: T; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as { ready?: boolean };
        if (parsed.ready) resolve(parsed as T);
      } catch {
        /* not our line */
      }
    });
  });
  return { info, child };
}

/** Runs autocannon for `seconds` and reports requests/s and latency percentiles (ms). */
export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 10, ...opts });
  const lat = result.latency as unknown as Record<string, number>;
  return {
    requestsPerSec: result.requests.average,
    p50: lat.p50 ?? 0,
    p95: lat.p97_5 !== undefined && lat.p95 === undefined ? lat.p97_5 : (lat.p95 ?? lat.p97_5 ?? 0),
    p99: lat.p99 ?? 0,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
