// What the browser tests share about the demo workspace and the web build (their lifecycle is in harness.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './server.ts';

/** The demo workspace's Berlin engineer (seeded by the server on first start). */
export const DEMO_USER = { email: 'lena@handoff.demo', password: 'handoff-demo-2026' };

/** Builds the web app once if no build exists (the server serves apps/web/dist). */
export function ensureWebBuilt() {
  if (!existsSync(join(REPO_ROOT, 'apps/web/dist/index.html'))) {
    execFileSync('npm', ['run', 'build', '-w', '@handoff/web'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}

/** Builds the web app when dist/ is missing or older than any source file of the app or the shared package. */
export function ensureWebBuildCurrent(): void {
  const dist = join(REPO_ROOT, 'apps/web/dist/index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  const sources = Math.max(newest(join(REPO_ROOT, 'apps/web/src')), newest(join(REPO_ROOT, 'packages/shared/src')));
  if (!existsSync(dist) || statSync(dist).mtimeMs < sources) {
    execFileSync('npm', ['run', 'build', '-w', '@handoff/web'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}
