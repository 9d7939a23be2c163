// The Catch up page in the browser, against the real server and the demo workspace: the Berlin
// engineer opens her brief after San Francisco's night (ADR-002 superseded, ADR-003 accepted, a
// mention of @lena in her own design doc), follows an item to its exact diff, comes back and says
// she is caught up. Written against the Briefs contract of /work/shared/API.md.

import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite } from './harness.ts';
import { DEMO_USER } from './session.ts';

describe.skipIf(!e2eAvailability())('Catch up: the Berlin engineer reads her brief in the browser', () => {
  // Building and acknowledging change Lena's brief: each test starts from a fresh server.
  const suite = browserSuite({ server: 'per-test', context: { viewport: { width: 1280, height: 900 } } });
  let page: Page;
  const pageErrors = suite.pageErrors;

  beforeEach(async () => {
    ({ page } = suite);
    page.setDefaultTimeout(15_000);

    await page.goto('/login');
    await page.getByTestId('login-email').fill(DEMO_USER.email);
    await page.getByTestId('login-password').fill(DEMO_USER.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  const catchUp = () => page.getByTestId('catch-up');
  const items = () => page.getByTestId('brief-item');
  const texts = (locator: Locator) => locator.allTextContents();

  /** The Catch up page once its brief (or "no brief yet") has loaded. */
  async function loadedState(): Promise<string> {
    await page.locator('[data-testid="catch-up"]:not([data-state="loading"])').waitFor();
    return (await catchUp().getAttribute('data-state')) ?? '';
  }

  /** Lena's brief on the Catch up page, built first through the API when she has none yet. */
  async function openBrief(): Promise<void> {
    const latest = await page.request.get('/api/briefs/latest');
    if (latest.status() === 404) {
      const csrf = (await page.context().cookies()).find((c) => c.name === 'handoff_csrf')?.value ?? '';
      const built = await page.request.post('/api/briefs', { data: {}, headers: { 'X-CSRF-Token': decodeURIComponent(csrf) } });
      expect(built.status(), await built.text()).toBe(201);
    }
    await page.getByTestId('catch-up-link').click();
    await page.waitForURL((url) => url.pathname === '/catch-up');
    expect(await loadedState()).toBe('brief');
  }

  test('open Catch up from the sidebar, building the brief when there is none yet', async () => {
    const link = page.getByTestId('catch-up-link');
    await link.waitFor();
    // It is the first entry of the sidebar, above the spaces.
    const order = await page.evaluate(() => {
      const sidebar = document.querySelector('[data-testid="sidebar"]')!;
      const catchUpLink = sidebar.querySelector('[data-testid="catch-up-link"]')!;
      const spaces = sidebar.querySelector('nav[aria-label="Spaces"]')!;
      return catchUpLink.compareDocumentPosition(spaces) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order, 'Catch up sits above the spaces').toBeTruthy();

    await link.click();
    await page.waitForURL((url) => url.pathname === '/catch-up');
    let state = await loadedState();
    if (state === 'none') {
      expect(await page.getByTestId('brief-none').textContent()).toContain('No brief yet');
      const [built] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/briefs' && r.request().method() === 'POST'),
        page.getByTestId('brief-build').click(),
      ]);
      expect(built.status()).toBe(201);
      await page.locator('[data-testid="catch-up"][data-state="brief"]').waitFor();
      state = 'brief';
    }
    expect(state).toBe('brief');
    // An unread brief: the sidebar says so.
    await page.getByTestId('catch-up-badge').waitFor();
  });

  test('the brief: since when, reading time, writer, items grouped by reason with authors and summaries', async () => {
    await openBrief();
    const latest = await page.request.get('/api/briefs/latest');
    expect(latest.status()).toBe(200);
    const { brief } = (await latest.json()) as {
      brief: { since: string; writer: string; items: Array<{ title: string; reasons: string[] }>; omitted: number };
    };
    expect(brief.items.length).toBeGreaterThan(0);

    // The header, in Lena's time zone (Europe/Berlin).
    expect(await page.getByTestId('brief-since').textContent()).toMatch(/What changed since .+Europe\/Berlin time/);
    expect(await page.getByTestId('brief-reading').textContent()).toMatch(/^about \d+ min$/);
    const writer = page.getByTestId('brief-writer');
    expect(await writer.getAttribute('data-writer')).toBe(brief.writer);
    expect(await writer.textContent()).toBe(
      brief.writer === 'llm'
        ? 'Summarized by AI (every sentence checked against the documents)'
        : 'Written by the extractive writer',
    );

    // Every item of the brief, each once; decisions come first.
    await expect.poll(() => items().count()).toBe(brief.items.length);
    const groups = await page.getByTestId('brief-group').evaluateAll((els) => els.map((el) => el.getAttribute('data-reason')));
    expect(groups[0]).toBe('decision');
    const order = ['decision', 'asked', 'thread', 'mention', 'owner', 'watch', 'new'];
    expect(groups).toEqual(order.filter((reason) => groups.includes(reason)));
    expect((await texts(page.getByTestId('brief-group').first().locator('h2'))).join('')).toContain('Decisions');

    // San Francisco's night: the release decision, and the mention of @lena in her design doc.
    const decisions = page.locator('[data-testid="brief-group"][data-reason="decision"] [data-testid="brief-item"]');
    const decisionTitles = (await texts(decisions.getByTestId('brief-item-title'))).join(' | ');
    expect(decisionTitles).toMatch(/ADR-00[23]/);
    const design = items().filter({ has: page.getByTestId('brief-item-title').filter({ hasText: 'Sync API design' }) });
    expect(await design.count()).toBe(1);
    expect(await design.getAttribute('data-reasons')).toContain('mention');
    // Nothing from the private Leadership space.
    expect((await texts(page.getByTestId('brief-item-title'))).join(' ')).not.toContain('Hiring plan');

    // Authors by name (GET /api/users) and a summary for every item.
    await expect.poll(async () => (await texts(page.getByTestId('brief-item-authors'))).join(' ')).toContain('Marcus Chen');
    expect((await texts(page.getByTestId('brief-item-authors'))).join(' ')).not.toContain('someone');
    expect(await page.getByTestId('brief-item-summary').count()).toBe(brief.items.length);

    if (brief.omitted > 0) {
      expect(await page.getByTestId('brief-omitted').textContent()).toContain(`${brief.omitted} more`);
    }

    // The full Markdown brief, collapsed, rendered as elements (no raw Markdown syntax left).
    await page.getByTestId('brief-full').locator('summary').click();
    const markdown = page.getByTestId('brief-markdown');
    await markdown.waitFor();
    expect((await markdown.textContent())?.length).toBeGreaterThan(0);
    expect(await markdown.locator('img, script, iframe').count()).toBe(0);
    const hrefs = await markdown.locator('a').evaluateAll((els) => els.map((el) => el.getAttribute('href') ?? ''));
    for (const href of hrefs) expect(href).toMatch(/^\/docs\//);
    await page.getByTestId('brief-full').locator('summary').click();

    // The whole page in one viewport (a full-page capture would repaint the sticky sidebar mid-page).
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1280, height });
    await page.screenshot({ path: artifactPath('catchup.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('"See the changes" opens the document on exactly that diff, with added and removed marks', async () => {
    await openBrief();
    const design = items().filter({ has: page.getByTestId('brief-item-title').filter({ hasText: 'Sync API design' }) });
    const docId = await design.getAttribute('data-doc-id');
    const from = await design.getAttribute('data-from');
    const to = await design.getAttribute('data-to');
    expect(Number(to)).toBeGreaterThan(Number(from));
    const link = design.getByTestId('brief-diff-link');
    expect(await link.getAttribute('href')).toBe(`/docs/${encodeURIComponent(docId!)}?diff=${from}..${to}`);
    expect(await link.textContent()).toContain('See the changes');

    await link.click();
    await page.waitForURL((url) => url.pathname.startsWith('/docs/') && url.search === `?diff=${from}..${to}`);
    // The History panel is open on exactly those two revisions.
    await page.locator(`[data-testid="doc-panels"][data-doc-id="${docId}"]`).waitFor();
    expect(await page.getByTestId('history-toggle').getAttribute('aria-expanded')).toBe('true');
    const section = page.getByTestId('diff-section');
    await expect.poll(() => section.getAttribute('data-from')).toBe(from);
    expect(await section.getAttribute('data-to')).toBe(to);
    const fromRadio = page.locator(`[data-testid="revision-item"][data-revision="${from}"] [data-testid="diff-from"]`);
    const toRadio = page.locator(`[data-testid="revision-item"][data-revision="${to}"] [data-testid="diff-to"]`);
    expect(await fromRadio.isChecked()).toBe(true);
    expect(await toRadio.isChecked()).toBe(true);
    // Marcus's checksum sentence and the mention are marked as added.
    await section.getByTestId('diff').waitFor();
    const inserted = (await texts(section.locator('ins'))).join(' ');
    expect(inserted).toContain('checksum');
    expect(await section.locator('[data-op="added"], [data-op="changed"], [data-op="removed"]').count()).toBeGreaterThan(0);
    expect(await section.locator('ins, del').count()).toBeGreaterThan(0);
    await page.getByTestId('doc-panels').screenshot({ path: artifactPath('catchup-diff.png') });

    // Back to the brief: still there, still unread.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/catch-up');
    expect(await loadedState()).toBe('brief');
    await expect.poll(() => items().count()).toBeGreaterThan(0);
    await page.getByTestId('catch-up-badge').waitFor();
  });

  test('at phone width and in dark mode the brief reads without sideways scrolling', async () => {
    await openBrief();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await items().first().waitFor();
    // The sidebar is hidden: the menu button carries the unread dot.
    await page.getByTestId('catch-up-dot').waitFor();
    await page.waitForTimeout(400); // the sidebar's slide-out transition
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(20, 23, 28)');
    await page.screenshot({ path: artifactPath('catchup-phone-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('"I\'m caught up" acknowledges the brief and the badge goes away', async () => {
    await openBrief();
    const [ack] = await Promise.all([
      page.waitForResponse((r) => /^\/api\/briefs\/[^/]+\/ack$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST'),
      page.getByTestId('brief-ack').click(),
    ]);
    expect(ack.status()).toBe(204);
    const caughtUp = page.getByTestId('brief-caught-up');
    await caughtUp.waitFor();
    expect(await caughtUp.textContent()).toContain("You're caught up");
    expect(await catchUp().getAttribute('data-state')).toBe('caught-up');
    await page.getByTestId('catch-up-badge').waitFor({ state: 'detached' });
    await page.screenshot({ path: artifactPath('catchup-caught-up.png') });

    // After a reload the badge stays away.
    await page.reload();
    await loadedState();
    await page.getByTestId('catch-up-link').waitFor();
    expect(await page.getByTestId('catch-up-badge').count()).toBe(0);

    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });
});
