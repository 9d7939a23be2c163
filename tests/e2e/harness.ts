// The lifecycle every browser test file shares, so that each test stands alone: one Chromium per
// file, a fresh browser context (no cookies, no storage) for every test, and a server either per
// file (tests that only read the demo workspace, or create what they need under their own names) or
// per test (tests that change state other tests would read: each starts from a fresh database).
//
//   const suite = browserSuite({ server: 'per-test', context: { viewport: … } });
//   test('…', async () => { const { page } = suite; … });
//
// Any test can then run alone (`-t "<name>"`) or in any order.

import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startServer, type RunningServer, type StartServerOptions } from './server.ts';
import { ensureWebBuilt } from './session.ts';

export interface BrowserSuiteOptions {
  /** 'per-file': one server for the file's tests; 'per-test': a fresh server (and database) for each. */
  server: 'per-file' | 'per-test';
  serverOptions?: StartServerOptions;
  /** Options of each test's browser context (viewport, colour scheme…). */
  context?: BrowserContextOptions;
}

export interface BrowserSuite {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** This test's context and its first page. */
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors in any page this test opened. */
  readonly pageErrors: string[];
  /** Another browser context for this test (another person), closed after it. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in `context` whose uncaught errors go to `pageErrors`. */
  newPage(context: BrowserContext): Promise<Page>;
}

export function browserSuite(options: BrowserSuiteOptions): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const must = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready (used outside a test?)`);
    return value;
  };

  const suite: BrowserSuite = {
    get server() {
      return must(server, 'the server');
    },
    get browser() {
      return must(browser, 'the browser');
    },
    get context() {
      return must(context, 'the browser context');
    },
    get page() {
      return must(page, 'the page');
    },
    pageErrors,
    async newContext(extra = {}) {
      const created = await must(browser, 'the browser').newContext({
        baseURL: must(server, 'the server').url,
        ...options.context,
        ...extra,
      });
      contexts.push(created);
      return created;
    },
    async newPage(ctx) {
      const created = await ctx.newPage();
      created.on('pageerror', (err) => pageErrors.push(err.stack ?? err.message));
      return created;
    },
  };

  beforeAll(async () => {
    ensureWebBuilt();
    browser = await launchBrowser();
    if (options.server === 'per-file') server = await startServer(options.serverOptions);
  });

  beforeEach(async () => {
    if (options.server === 'per-test') server = await startServer(options.serverOptions);
    pageErrors.length = 0;
    context = await suite.newContext();
    page = await suite.newPage(context);
  });

  afterEach(async () => {
    for (const ctx of contexts) await ctx.close().catch(() => {});
    contexts = [];
    context = undefined;
    page = undefined;
    if (options.server === 'per-test') {
      await server?.stop();
      server = undefined;
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return suite;
}

/** Reads the CSRF cookie of a context (the web app sends it back as a header on writes). */
async function csrfOf(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === 'handoff_csrf')?.value;
}

/** A JSON call with the context's cookies and CSRF header, as the web app makes it. */
export async function contextApi<T = unknown>(
  context: BrowserContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const csrf = await csrfOf(context);
  const res = await context.request.fetch(path, {
    method,
    headers: { Accept: 'application/json', ...(csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {}) },
    ...(body === undefined ? {} : { data: body }),
  });
  const text = await res.text();
  return { status: res.status(), json: (text ? JSON.parse(text) : null) as T };
}

/** Logs a context in through the API (its cookies then carry the session). */
export async function logInContext(context: BrowserContext, email: string, password: string): Promise<void> {
  const res = await context.request.post('/api/auth/login', { data: { email, password } });
  if (res.status() !== 200) throw new Error(`log-in of ${email}: ${res.status()} ${await res.text()}`);
}
