// The first end-to-end check: the real server, the built web app and Debian's Chromium.
// Log in as the demo workspace's Berlin engineer, find a document in the sidebar, open it.

import type { BrowserContext, Page } from 'playwright-core';
import { beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite, logInContext } from './harness.ts';
import { DEMO_USER } from './session.ts';

describe.skipIf(!e2eAvailability())('smoke: log in and read a document in the browser', () => {
  // Nothing here changes the workspace: one server; each test has its own browser context.
  const suite = browserSuite({ server: 'per-file', context: { viewport: { width: 1280, height: 800 } } });
  let context: BrowserContext;
  let page: Page;
  const pageErrors = suite.pageErrors;

  beforeEach(() => {
    ({ context, page } = suite);
  });

  /** Signed in (through the API: the form has its own test) and on the home page. */
  async function signedIn(): Promise<void> {
    await logInContext(context, DEMO_USER.email, DEMO_USER.password);
    await page.goto('/');
    await page.getByTestId('current-user').waitFor();
  }

  /** Selects the first space whose tree lists documents. */
  async function spaceWithDocs(): Promise<void> {
    const spaces = page.getByTestId('space-item');
    await spaces.first().waitFor();
    const spaceCount = await spaces.count();
    expect(spaceCount).toBeGreaterThan(0);

    // The first space is selected by default; if the demo put its documents elsewhere, look there.
    for (let i = 0; i < spaceCount; i++) {
      if (i > 0) await spaces.nth(i).click();
      await expect.poll(() => spaces.nth(i).getAttribute('aria-pressed')).toBe('true');
      await page.locator('[data-testid="doc-list"][data-state="loaded"]').waitFor({ state: 'attached' });
      if ((await page.getByTestId('doc-item').count()) > 0) break;
    }
    expect(await page.getByTestId('doc-item').count()).toBeGreaterThan(0);
  }

  test('an anonymous visitor is sent to the log-in page', async () => {
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByTestId('login-form').waitFor();
  });

  test('the Berlin engineer logs in and gets the session and CSRF cookies', async () => {
    await page.goto('/login');
    await page.getByTestId('login-email').fill(DEMO_USER.email);
    await page.getByTestId('login-password').fill(DEMO_USER.password);
    const [login] = await Promise.all([
      page.waitForResponse((res) => new URL(res.url()).pathname === '/api/auth/login'),
      page.getByTestId('login-submit').click(),
    ]);
    expect(login.status(), await login.text()).toBe(200);
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.getByTestId('current-user').textContent()).toContain('@');

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'handoff_session');
    const csrf = cookies.find((c) => c.name === 'handoff_csrf');
    expect(session, 'handoff_session cookie').toBeDefined();
    expect(session?.httpOnly, 'handoff_session is HttpOnly').toBe(true);
    expect(csrf, 'handoff_csrf cookie').toBeDefined();
    expect(csrf?.httpOnly, 'handoff_csrf is readable by the page').toBe(false);
  });

  test('the sidebar lists her spaces and the documents of one of them', async () => {
    await signedIn();
    await spaceWithDocs();
  });

  test('she opens a document and sees its title', async () => {
    await signedIn();
    await spaceWithDocs();
    const item = page.getByTestId('doc-item').first();
    const listedTitle = ((await item.locator('.nav-title').textContent()) ?? '').trim();
    const docId = await item.getAttribute('data-doc-id');
    expect(listedTitle).not.toBe('');
    expect(docId).toBeTruthy();

    const [res] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/docs/${encodeURIComponent(docId!)}`),
      item.click(),
    ]);
    expect(res.status()).toBe(200);
    await page.waitForURL((url) => url.pathname === `/docs/${encodeURIComponent(docId!)}`);

    const title = page.getByTestId('doc-title');
    await title.waitFor();
    expect((await title.textContent())?.trim()).toBe(listedTitle);
    await page.getByTestId('doc-kind').waitFor();
    await page.getByTestId('doc-body').waitFor();

    await page.screenshot({ path: artifactPath('smoke-doc.png'), fullPage: true });
  });

  test('she logs out (a cookie-authenticated POST that passes the CSRF check)', async () => {
    await signedIn();
    const [logout] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/logout'),
      page.getByTestId('logout-button').click(),
    ]);
    expect(logout.status()).toBe(204);
    await page.waitForURL((url) => url.pathname === '/login');
    const me = await page.request.get('/api/me');
    expect(me.status()).toBe(401);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });
});
