// Search in the browser: the real server (embedded engine, demo workspace), the built web app and
// Debian's Chromium. Ctrl-K, a word with a typo, the right document first with the word
// highlighted, Enter opens it; stale queries are cancelled; snippets stay text; the results page
// filters and pages; and a person never sees a document from a private space they are not in.

import type { BrowserContext, Page, Request } from 'playwright-core';
import { beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite, logInContext } from './harness.ts';

const PASSWORD = 'handoff-demo-2026';
/** The workspace's first user, so its admin: she may read every space, Leadership included. */
const LENA = 'lena@handoff.demo';
/** A member of Engineering and nothing private: the private Leadership space is not hers. */
const PRIYA = 'priya@handoff.demo';

interface ApiHit {
  docId: string;
  title: string;
  snippet: string;
  kind: string;
}

async function logIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByTestId('current-user').waitFor({ state: 'attached' });
}

/** `GET /api/search` from the page, with its session cookie. */
async function apiSearch(page: Page, query: string): Promise<{ status: number; hits: ApiHit[]; total: number }> {
  return page.evaluate(async (qs) => {
    const res = await fetch(`/api/search?${qs}`, { credentials: 'include' });
    const body = res.ok ? ((await res.json()) as { hits: ApiHit[]; total: number }) : { hits: [], total: 0 };
    return { status: res.status, hits: body.hits, total: body.total };
  }, query);
}

/** The indexer runs in the background after start-up and after writes: wait until `q` finds something. */
async function waitForIndexed(page: Page, q: string, atLeast = 1): Promise<void> {
  await expect
    .poll(async () => (await apiSearch(page, new URLSearchParams({ q }).toString())).total, {
      timeout: 30_000,
      interval: 250,
      message: `search for "${q}" never found ${atLeast} document(s)`,
    })
    .toBeGreaterThanOrEqual(atLeast);
}

async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
}

/** Waits until the palette shows the answer to exactly `q` (not an earlier, stale one). */
async function paletteResultsFor(page: Page, q: string) {
  const list = page.locator(`[data-testid="search-results"][data-query="${q}"][data-current="true"]`);
  await list.waitFor({ state: 'attached' });
  return list;
}

/** Creates a document through the API from the page (cookie session plus the CSRF header). */
async function createDoc(page: Page, input: { spaceId: string; title: string; markdown: string }): Promise<string> {
  return page.evaluate(async (body) => {
    const csrf = document.cookie
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith('handoff_csrf='))
      ?.slice('handoff_csrf='.length);
    const res = await fetch('/api/docs', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf ?? '') },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST /api/docs: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { doc: { id: string } }).doc.id;
  }, input);
}

async function spaceIdByName(page: Page, name: string): Promise<string> {
  const spaces = await page.evaluate(async () => {
    const res = await fetch('/api/spaces', { credentials: 'include' });
    return ((await res.json()) as { spaces: Array<{ id: string; name: string }> }).spaces;
  });
  const space = spaces.find((s) => s.name === name);
  if (!space) throw new Error(`no space ${name} among ${spaces.map((s) => s.name).join(', ')}`);
  return space.id;
}

describe.skipIf(!e2eAvailability())('search: the Cmd/Ctrl-K palette and the results page', () => {
  // One server: the tests read the demo workspace, and what they create (a document with markup,
  // quokka notes) has words of its own. Each test has its own browser context and signs in itself.
  const suite = browserSuite({ server: 'per-file', context: { viewport: { width: 1280, height: 800 }, colorScheme: 'light' } });
  let context: BrowserContext;
  let page: Page;
  const pageErrors = suite.pageErrors;

  beforeEach(() => {
    ({ context, page } = suite);
  });

  /** Lena signed in (through the API: the form has its own test), on the home page, the demo indexed. */
  async function signedIn(): Promise<void> {
    await logInContext(context, LENA, PASSWORD);
    await page.goto('/');
    await page.getByTestId('current-user').waitFor({ state: 'attached' });
    await waitForIndexed(page, 'checksum');
  }

  test('Lena logs in and the background indexer has the demo documents', async () => {
    await logIn(page, LENA);
    await waitForIndexed(page, 'checksum');
    // She administers the workspace, so the private Leadership document is hers to find: the
    // permission check further down (as Priya) is about membership, not about a missing document.
    await waitForIndexed(page, 'hiring');
  });

  test('Ctrl-K, a typo: the right document first, the word highlighted; Enter opens it', async () => {
    await signedIn();
    const expected = (await apiSearch(page, 'q=checksum')).hits[0];
    expect(expected?.title).toBe('Sync API design');

    await expect.poll(() => page.getByTestId('search-button').isVisible()).toBe(true);
    expect(await page.getByTestId('search-button').textContent()).toMatch(/Search…\s*(⌘K|Ctrl K)/);

    await page.keyboard.press('Control+K');
    const palette = page.getByTestId('search-palette');
    await palette.waitFor();
    await expect.poll(() => focusedTestId(page)).toBe('search-input');
    const input = page.getByTestId('search-input');
    expect(await input.getAttribute('role')).toBe('combobox');

    const requests: string[] = [];
    const onRequest = (req: Request) => {
      if (new URL(req.url()).pathname === '/api/search') requests.push(req.url());
    };
    page.on('request', onRequest);
    await page.keyboard.type('cheksum', { delay: 30 });
    const list = await paletteResultsFor(page, 'cheksum');
    page.off('request', onRequest);
    // Debounced: seven keystrokes, not seven requests.
    expect(requests.length, requests.join('\n')).toBeLessThanOrEqual(3);

    expect(await list.getAttribute('role')).toBe('listbox');
    const first = list.getByRole('option').first();
    expect(await first.getAttribute('data-doc-id')).toBe(expected!.docId);
    expect(await first.locator('.hit-title').textContent()).toBe('Sync API design');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    // The highlight is a real <mark> element around the word, not escaped markup shown as text.
    const marks = first.locator('[data-testid="search-snippet"] mark');
    expect((await marks.allTextContents()).map((t) => t.toLowerCase())).toContain('checksum');
    expect(await first.textContent()).not.toContain('<mark>');
    expect(await page.getByTestId('search-status').textContent()).toMatch(/^\d+ results?$/);

    await page.screenshot({ path: artifactPath('search.png') });

    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/docs/${encodeURIComponent(expected!.docId)}`);
    await expect.poll(() => palette.count()).toBe(0);
    const title = page.getByTestId('doc-title');
    await title.waitFor();
    expect((await title.textContent())?.trim()).toBe('Sync API design');
  });

  test('the palette opens from inside the editor too; ↑/↓ move, Tab stays inside, Esc closes', async () => {
    await signedIn();
    const design = (await apiSearch(page, 'q=checksum')).hits[0];
    expect(design?.title).toBe('Sync API design');
    await page.goto(`/docs/${encodeURIComponent(design!.docId)}`);
    const editor = page.locator('[data-testid="editor"][contenteditable="true"]');
    await editor.waitFor();
    await editor.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('editor');
    const textBefore = await editor.textContent();
    await page.keyboard.press('Control+K');
    const palette = page.getByTestId('search-palette');
    await palette.waitFor();
    await expect.poll(() => focusedTestId(page)).toBe('search-input');

    // The last query is kept and selected: typing replaces it.
    await page.keyboard.type('release');
    const list = await paletteResultsFor(page, 'release');
    const options = list.getByRole('option');
    expect(await options.count()).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('false');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp'); // wraps to the last
    const count = await options.count();
    expect(await options.nth(count - 1).getAttribute('aria-selected')).toBe('true');

    for (let i = 0; i < 12; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      expect(await palette.evaluate((d) => d.contains(document.activeElement)), `focus left the dialog after ${i + 1} Tab presses`).toBe(
        true,
      );
    }

    await page.keyboard.press('Escape');
    await expect.poll(() => palette.count()).toBe(0);
    // Still on the document it was opened from, back in its editor, which never saw the keys.
    expect(new URL(page.url()).pathname).toMatch(/^\/docs\//);
    await expect.poll(() => focusedTestId(page)).toBe('editor');
    expect(await editor.textContent()).toBe(textBefore);
  });

  test('a stale query is cancelled and its late answer never replaces the newer one', async () => {
    await signedIn();
    const aborted: string[] = [];
    page.on('requestfailed', (req) => {
      if (new URL(req.url()).searchParams.get('q') === 'handbook') aborted.push(req.failure()?.errorText ?? '');
    });
    await page.route('**/api/search?*', async (route) => {
      if (new URL(route.request().url()).searchParams.get('q') === 'handbook') await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => {}); // the page may have aborted it meanwhile
    });
    try {
      await page.keyboard.press('Control+K');
      const input = page.getByTestId('search-input');
      const slow = page.waitForRequest((req) => new URL(req.url()).searchParams.get('q') === 'handbook');
      await input.fill('handbook');
      await slow;
      await input.fill('checksum');
      const list = await paletteResultsFor(page, 'checksum');
      expect(await list.getByRole('option').first().locator('.hit-title').textContent()).toBe('Sync API design');
      await page.waitForTimeout(1800); // past the slow answer
      expect(await list.getAttribute('data-query')).toBe('checksum');
      expect(await list.getByRole('option').first().locator('.hit-title').textContent()).toBe('Sync API design');
      expect(aborted.length, 'the stale request was aborted').toBeGreaterThan(0);
    } finally {
      await page.unroute('**/api/search?*');
      await page.keyboard.press('Escape');
    }
  });

  test('a failed search shows an error with "Try again"; closing gives focus back', async () => {
    await signedIn();
    await page.route('**/api/search?*', (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'internal', message: 'The search engine is unavailable.' } }),
      }),
    );
    await page.getByTestId('search-button').click();
    const input = page.getByTestId('search-input');
    await input.fill('tombstones');
    const error = page.getByTestId('search-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('The search engine is unavailable.');
    expect(await page.getByTestId('search-hit').count()).toBe(0);

    await page.unroute('**/api/search?*');
    await error.getByRole('button', { name: 'Try again' }).click();
    const list = await paletteResultsFor(page, 'tombstones');
    expect(await list.getByRole('option').first().locator('.hit-title').textContent()).toBe('Sync API design');
    expect(await error.count()).toBe(0);

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('search-palette').count()).toBe(0);
    await expect.poll(() => focusedTestId(page)).toBe('search-button');
  });

  test('snippets are text: markup inside a document never becomes elements', async () => {
    await signedIn();
    const engineering = await spaceIdByName(page, 'Engineering');
    await createDoc(page, {
      spaceId: engineering,
      title: 'Escaping <b>check</b>',
      markdown: 'Zebrafish & friends: <img src=x onerror="window.__xss=1"> and `<script>window.__xss=2</script>` zebrafish.',
    });
    await waitForIndexed(page, 'zebrafish');
    await page.keyboard.press('Control+K');
    await page.getByTestId('search-input').fill('zebrafish');
    const list = await paletteResultsFor(page, 'zebrafish');
    const hit = list.getByRole('option').first();
    expect(await hit.locator('.hit-title').textContent()).toBe('Escaping <b>check</b>');
    const snippet = hit.getByTestId('search-snippet');
    expect(await snippet.textContent()).toContain('<img src=x onerror="window.__xss=1">');
    expect(await snippet.textContent()).toContain('&');
    expect(await snippet.locator('mark').count()).toBe(2);
    expect(await snippet.locator('*:not(mark)').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await page.keyboard.press('Escape');
  });

  test('filters in the palette, then "See all results" on the full results page', async () => {
    await signedIn();
    await page.keyboard.press('Control+K');
    const input = page.getByTestId('search-input');
    await input.fill('release');
    await paletteResultsFor(page, 'release');
    await page.getByTestId('search-kind-decision').click();
    const list = await paletteResultsFor(page, 'release');
    const kinds = await list.locator('[data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['decision']));

    await page.getByTestId('search-see-all').click();
    await page.waitForURL((url) => url.pathname === '/search');
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('release');
    expect(url.searchParams.get('kind')).toBe('decision');
    await expect.poll(() => page.getByTestId('search-palette').count()).toBe(0);

    const results = page.locator('[data-testid="search-page-results"][data-current="true"]');
    await results.waitFor();
    const rows = results.getByTestId('search-result');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await rows.first().getByTestId('search-result-space').textContent()).toBe('Engineering');
    expect(await rows.first().locator('time').getAttribute('datetime')).toMatch(/^\d{4}-/);
    expect(await page.getByTestId('search-page-status').textContent()).toMatch(/\d+ results? for “release”/);

    // The demo's history is between four and two days old: nothing in the past day, all in the week.
    await page.getByTestId('search-page-updated').selectOption('day');
    await page.getByTestId('search-empty').waitFor();
    expect(new URL(page.url()).searchParams.get('updated')).toBe('day');
    await page.getByTestId('search-page-updated').selectOption('week');
    await page.locator('[data-testid="search-page-results"][data-current="true"]').waitFor();
    await page.screenshot({ path: artifactPath('search-page.png'), fullPage: true });

    // Author: ADR-003 was written by Marcus (and accepted by Sam), never by Priya.
    const authors = page.getByTestId('search-page-author');
    const marcus = await authors.locator('option', { hasText: 'Marcus' }).getAttribute('value');
    await authors.selectOption(marcus!);
    await page.locator('[data-testid="search-page-results"][data-current="true"]').waitFor();
    const titles = await page.getByTestId('search-result').locator('.result-title').allTextContents();
    expect(titles).toContain('ADR-003: Move release 4.2 to Monday');
    const priya = await authors.locator('option', { hasText: 'Priya' }).getAttribute('value');
    await authors.selectOption(priya!);
    await page.getByTestId('search-empty').waitFor();
  });

  test('"Load more" raises the limit 50 at a time', async () => {
    await signedIn();
    const engineering = await spaceIdByName(page, 'Engineering');
    for (let i = 1; i <= 55; i++) {
      await createDoc(page, { spaceId: engineering, title: `Quokka note ${i}`, markdown: `Field notes about the quokka, number ${i}.` });
    }
    await waitForIndexed(page, 'quokka', 55);
    await page.goto('/search?q=quokka');
    const results = page.locator('[data-testid="search-page-results"][data-current="true"]');
    await results.waitFor();
    expect(await results.getByTestId('search-result').count()).toBe(50);
    expect(await page.getByTestId('search-page-shown').textContent()).toBe('Showing 50 of 55');
    const [req] = await Promise.all([
      page.waitForRequest((r) => new URL(r.url()).pathname === '/api/search' && new URL(r.url()).searchParams.get('limit') === '100'),
      page.getByTestId('search-load-more').click(),
    ]);
    expect(new URL(req.url()).searchParams.get('q')).toBe('quokka');
    await expect.poll(() => results.getByTestId('search-result').count()).toBe(55);
    expect(await page.getByTestId('search-load-more').count()).toBe(0);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  test('at phone width, in the dark, Priya never sees the private Leadership space', async () => {
    const phone = await suite.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    });
    try {
      const p = await phone.newPage();
      const errors: string[] = [];
      p.on('pageerror', (err) => errors.push(err.stack ?? err.message));
      await logIn(p, PRIYA);
      await waitForIndexed(p, 'checksum');
      for (const q of ['hiring', 'confidential', 'Bangalore designer']) {
        const res = await apiSearch(p, new URLSearchParams({ q }).toString());
        expect(res.status).toBe(200);
        expect({ q, total: res.total, hits: res.hits.map((h) => h.title) }).toEqual({ q, total: 0, hits: [] });
      }

      await p.getByTestId('search-button-compact').tap();
      const palette = p.getByTestId('search-palette');
      await palette.waitFor();
      const box = await palette.boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });

      await p.getByTestId('search-input').fill('hiring');
      await p.getByTestId('search-empty').waitFor();
      expect(await p.getByTestId('search-hit').count()).toBe(0);
      expect(await p.getByTestId('search-status').textContent()).toBe('0 results');
      // A space she may not read is not even offered as a filter.
      const spaceOptions = await p.getByTestId('search-space-filter').locator('option').allTextContents();
      expect(spaceOptions).not.toContain('Leadership');

      await p.getByTestId('search-input').fill('hadnbook');
      const list = await paletteResultsFor(p, 'hadnbook');
      expect(await list.getByRole('option').first().locator('.hit-title').textContent()).toBe('On-call handbook');
      await p.screenshot({ path: artifactPath('search-phone-dark.png') });

      await p.goto('/search?q=confidential');
      await p.getByTestId('search-empty').waitFor();
      expect(await p.getByTestId('search-result').count()).toBe(0);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
