// Handoff notes in the browser, against the real server and its live collaboration endpoint: Ada
// creates a handoff note from the sidebar's "+ Handoff" (the template's sections are there), picks
// Bruno as a recipient in the note's header, and types "@bru" under "Blocked on", choosing him from
// the mention menu. Once her edits are a revision (she leaves the note), Bruno's "Waiting on you"
// says Ada is blocked on him, links to the note, and "Done" takes the item off. The handoff log
// lists the note under today.

import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite, contextApi } from './harness.ts';
import { ensureWebBuildCurrent, signUpIn } from './session.ts';

const PASSWORD = 'correct-horse-battery-staple';
const ADA = { email: 'ada@example.test', name: 'Ada Admin', handle: 'ada', password: PASSWORD, timezone: 'Europe/Berlin' };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Berg', handle: 'bruno', password: PASSWORD, timezone: 'America/Los_Angeles' };

describe.skipIf(!e2eAvailability())('handoff notes: create from the + menu, address, ask, and Waiting on you', () => {
  const suite = browserSuite({
    server: 'per-file',
    serverOptions: { env: { HANDOFF_DEMO: '0', HANDOFF_SIGNUP: 'open' } },
    context: { viewport: { width: 1280, height: 900 } },
  });
  const pageErrors = suite.pageErrors;
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let pageA: Page;
  let pageB: Page;

  beforeAll(ensureWebBuildCurrent);

  beforeEach(async () => {
    ctxA = suite.context;
    pageA = suite.page;
    ctxB = await suite.newContext();
    pageB = await suite.newPage(ctxB);
    for (const page of [pageA, pageB]) page.setDefaultTimeout(15_000);
  });


  const editor = (page: Page) => page.getByTestId('editor');

  test('Ada writes a handoff blocked on @bruno; it waits on Bruno until he marks it done', async () => {
    await signUpIn(ctxA, ADA);
    const space = await contextApi<{ space: { id: string } }>(ctxA, 'POST', '/api/spaces', { name: 'Launch' });
    expect(space.status).toBe(201);
    const brunoId = await signUpIn(ctxB, BRUNO);

    // The + menu of the sidebar's tree: a handoff note, titled for today, with the template.
    await pageA.goto('/');
    await pageA.getByTestId('new-handoff').click();
    const title = pageA.getByTestId('new-doc-title');
    expect(await title.inputValue()).toMatch(/^Handoff — /);
    await pageA.getByTestId('new-doc-submit').click();
    await pageA.waitForURL(/\/docs\/[^/]+$/);
    const docId = decodeURIComponent(new URL(pageA.url()).pathname.split('/').pop()!);
    await editor(pageA).waitFor();
    await pageA.locator('[data-testid="connection-status"][data-state="saved"]').waitFor({ timeout: 20_000 });
    for (const heading of ['Done', 'In progress / next', 'Blocked on', 'Decisions needed', 'Handing over to']) {
      await editor(pageA).locator('h2', { hasText: heading }).waitFor();
    }

    // Recipients in the note's header, like a decision's owners.
    await pageA.getByTestId('handoff-panel').waitFor();
    await pageA.getByTestId('handoff-add-person').selectOption(brunoId);
    await pageA.locator('[data-testid="handoff-recipient"]', { hasText: BRUNO.name }).waitFor();
    await expect.poll(async () => (await contextApi<{ doc: { handoff: { to: string[] } } }>(ctxA, 'GET', `/api/docs/${docId}?peek=1`)).json.doc.handoff.to).toEqual([brunoId]);

    // "Blocked on": the empty item of the template, then an @mention from the menu.
    await editor(pageA).locator('h2:has-text("Blocked on") + ul > li').first().click();
    await pageA.keyboard.type('the schema review by @bru');
    await pageA.locator('[data-testid="typeahead-mention"] [role="option"]', { hasText: BRUNO.name }).waitFor();
    await pageA.keyboard.press('Enter');
    await editor(pageA).locator('h2:has-text("Blocked on") + ul .mention[data-mention="bruno"]').waitFor();
    await pageA.locator('[data-testid="connection-status"][data-state="saved"]').waitFor({ timeout: 20_000 });
    // Leaving the note makes her live edits a revision (which is where asks are read).
    await pageA.goto('/handoffs');
    await pageA.locator(`[data-testid="handoff-entry"][data-doc-id="${docId}"]`).waitFor();
    await expect
      .poll(async () => (await contextApi<{ doc: { markdown: string; revision: number } }>(ctxA, 'GET', `/api/docs/${docId}?peek=1`)).json.doc.markdown, { timeout: 20_000 })
      .toContain('the schema review by @bruno');

    // Bruno's "Waiting on you".
    const ask = pageB.locator(`[data-testid="handoff-ask"][data-doc-id="${docId}"]`);
    await expect
      .poll(
        async () => {
          await pageB.goto('/waiting');
          await pageB.getByTestId('waiting-page').waitFor();
          await pageB.waitForLoadState('networkidle');
          return ask.count();
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe(1);
    expect(await ask.getByTestId('handoff-ask-text').innerText()).toBe(`${ADA.name} is blocked on you: the schema review by @bruno`);
    expect(await pageB.getByTestId('waiting-count').innerText()).toContain('1');
    await pageB.screenshot({ path: artifactPath('handoff-waiting.png') });
    expect(await ask.getByTestId('handoff-ask-link').getAttribute('href')).toBe(`/docs/${docId}`);

    await ask.getByTestId('handoff-ask-done').click();
    await ask.waitFor({ state: 'detached' });
    await pageB.getByTestId('waiting-empty').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
