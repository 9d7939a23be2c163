// What the browser tests share about the demo workspace and the web build (their lifecycle is in harness.ts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
