// What the browser tests share about the demo workspace and the web build (their lifecycle is in harness.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
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

/** A person as the sign-up endpoint takes her. */
export interface SignUpPerson {
  email: string;
  name: string;
  handle: string;
  password: string;
  timezone: string;
}

/**
 * Signs `person` up through the API in `context` (which then holds the session cookie; logs in when
 * sign-up set none) and returns her id.
 */
export async function signUpIn(context: BrowserContext, person: SignUpPerson): Promise<string> {
  const res = await context.request.post('/api/auth/signup', { data: person });
  expect(res.status(), await res.text()).toBe(201);
  const { user } = (await res.json()) as { user: { id: string } };
  if (!(await context.cookies()).some((c) => c.name === 'handoff_session')) {
    const login = await context.request.post('/api/auth/login', { data: { email: person.email, password: person.password } });
    expect(login.status(), await login.text()).toBe(200);
  }
  return user.id;
}
