// One browser session against a fresh `npm start`-style server, shared by the browser tests.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { REPO_ROOT, startServer, type RunningServer } from './server.ts';

/** The demo workspace's Berlin engineer (seeded by the server on first start). */
export const DEMO_USER = { email: 'lena@handoff.demo', password: 'handoff-demo-2026' };

/** Builds the web app once if no build exists (the server serves apps/web/dist). */
export function ensureWebBuilt() {
  if (!existsSync(join(REPO_ROOT, 'apps/web/dist/index.html'))) {
    execFileSync('npm', ['run', 'build', '-w', '@handoff/web'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}

export interface BrowserSession {
  server: RunningServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/** Starts the server and Chromium and opens one page; uncaught page errors go to `pageErrors`. */
export async function startBrowserSession(options: BrowserContextOptions, pageErrors: string[]): Promise<BrowserSession> {
  ensureWebBuilt();
  const server = await startServer();
  const browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: server.url, ...options });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
  return { server, browser, context, page };
}
