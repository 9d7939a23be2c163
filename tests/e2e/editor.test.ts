// The collaborative editor in the browser, against the real server and its live collaboration
// endpoint: three people in a fresh workspace (no demo data). Ada signs up through the form and
// writes; Bruno, in another browser context, sees her text and her named cursor live, and they type
// at once and converge; a reload keeps everything; @mentions and [[document links]] become their
// nodes; code is highlighted; Chloe, made a viewer of the space, cannot type.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite, contextApi } from './harness.ts';
import { REPO_ROOT } from './server.ts';
import { signUpIn } from './session.ts';

const PASSWORD = 'correct-horse-battery-staple';
const ADA = { email: 'ada@example.test', name: 'Ada Admin', handle: 'ada', password: PASSWORD, timezone: 'Europe/Berlin' };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Berg', handle: 'bruno', password: PASSWORD, timezone: 'America/Los_Angeles' };
const CHLOE = { email: 'chloe@example.test', name: 'Chloe Viewer', handle: 'chloe', password: PASSWORD, timezone: 'Asia/Tokyo' };

/** Builds the web app when dist/ is missing or older than any source file. */
function ensureWebBuild(): void {
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

/** A cookie-authenticated JSON call from inside the page, with the CSRF header, as the web app makes it. */
async function pageApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie
        .split(';')
        .map((part) => part.trim())
        .find((part) => part.startsWith('handoff_csrf='))
        ?.slice('handoff_csrf='.length);
      const res = await fetch(path, {
        method,
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(csrf ? { 'X-CSRF-Token': decodeURIComponent(csrf) } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
    },
    { method, path, body },
  );
}

describe.skipIf(!e2eAvailability())('editor: live collaborative editing in the browser', () => {
  // Open sign-up: this test is about editing together, and several people sign up (the default is
  // invite-only). Each test gets a fresh server and builds what it needs (see the steps below).
  const suite = browserSuite({
    server: 'per-test',
    serverOptions: { env: { HANDOFF_DEMO: '0', HANDOFF_SIGNUP: 'open' } },
    context: { viewport: { width: 1280, height: 900 } },
  });
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let ctxC: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let pageC: Page;
  const pageErrors = suite.pageErrors;
  let spaceId = '';
  let docId = '';
  let otherDocId = '';
  let chloeId = '';

  const editor = (page: Page) => page.getByTestId('editor');
  const editorText = async (page: Page) => (await editor(page).innerText()).replace(/\u00a0/g, ' ').trim();

  async function openDoc(page: Page, id: string): Promise<void> {
    await page.goto(`/docs/${encodeURIComponent(id)}`);
    await page.getByTestId('editor').waitFor();
    // Connected and in sync with the server.
    await page.locator('[data-testid="connection-status"][data-state="saved"]').waitFor({ timeout: 20_000 });
  }

  async function waitSaved(page: Page): Promise<void> {
    await page.locator('[data-testid="connection-status"][data-state="saved"]').waitFor({ timeout: 20_000 });
  }


  beforeAll(ensureWebBuild);

  beforeEach(async () => {
    ctxA = suite.context;
    pageA = suite.page;
    ctxB = await suite.newContext();
    ctxC = await suite.newContext();
    pageB = await suite.newPage(ctxB);
    pageC = await suite.newPage(ctxC);
  });

  /** Ada's space "Launch" with its two documents, and Bruno and Chloe signed up (after Ada). */
  async function createWorkspace(): Promise<void> {
    const space = await contextApi<{ space: { id: string } }>(ctxA, 'POST', '/api/spaces', { name: 'Launch' });
    expect(space.status).toBe(201);
    spaceId = space.json.space.id;
    const doc = await contextApi<{ doc: { id: string } }>(ctxA, 'POST', '/api/docs', { spaceId, title: 'Launch plan' });
    expect(doc.status).toBe(201);
    docId = doc.json.doc.id;
    const other = await contextApi<{ doc: { id: string } }>(ctxA, 'POST', '/api/docs', { spaceId, title: 'Rollout checklist' });
    expect(other.status).toBe(201);
    otherDocId = other.json.doc.id;

    await signUpIn(ctxB, BRUNO);
    chloeId = await signUpIn(ctxC, CHLOE);
  }

  /** The same workspace with Ada signed up through the API (the first account, so the admin). */
  async function workspace(): Promise<void> {
    await signUpIn(ctxA, ADA);
    await createWorkspace();
  }

  // Ada signs up through the form (the first account) and creates a space and two documents
  async function step1(): Promise<void> {
    await pageA.goto('/signup');
    await pageA.getByTestId('signup-email').fill(ADA.email);
    await pageA.getByTestId('signup-name').fill(ADA.name);
    await pageA.getByTestId('signup-handle').fill(ADA.handle);
    await pageA.getByTestId('signup-password').fill(ADA.password);
    await pageA.getByTestId('signup-timezone').fill(ADA.timezone);
    await pageA.getByTestId('signup-submit').click();
    await pageA.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => pageA.getByTestId('current-user').textContent()).toContain('@ada');
    await createWorkspace();
  }

  // Ada writes formatted text: a heading by "# ", bold by the toolbar, a list by "- "
  async function step2(): Promise<void> {
    await openDoc(pageA, docId);
    expect(await editor(pageA).getAttribute('contenteditable')).toBe('true');
    await expect.poll(() => pageA.getByTestId('doc-title').textContent()).toBe('Launch plan');

    await editor(pageA).click();
    await pageA.keyboard.press('ControlOrMeta+End');
    await pageA.keyboard.type('# Launch plan for May');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('We ship ');
    await pageA.getByTestId('toolbar-bold').click();
    await pageA.keyboard.type('on the 14th');
    await pageA.getByTestId('toolbar-bold').click();
    await pageA.keyboard.type(' after the review.');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('- Freeze the API');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('Write the notes');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.press('Enter'); // leaves the list

    await expect.poll(() => editor(pageA).locator('h1.editor-h1').textContent()).toBe('Launch plan for May');
    expect(await editor(pageA).locator('.editor-bold').textContent()).toBe('on the 14th');
    expect(await editor(pageA).locator('ul.editor-ul:not(.editor-checklist) > li').allTextContents()).toEqual(['Freeze the API', 'Write the notes']);
    await waitSaved(pageA);
  }

  // Bruno, in another browser, sees the text live with Ada’s named cursor and presence
  async function step3(): Promise<void> {
    await openDoc(pageB, docId);
    await expect.poll(() => editor(pageB).locator('h1.editor-h1').textContent()).toBe('Launch plan for May');
    expect(await editor(pageB).locator('.editor-bold').textContent()).toBe('on the 14th');
    expect(await editor(pageB).locator('ul.editor-ul:not(.editor-checklist) > li').count()).toBe(2);

    // Ada keeps typing: Bruno sees each change and where her caret is, with her name on it.
    await pageA.keyboard.type('Owner: ');
    await expect.poll(() => editorText(pageB), { timeout: 10_000 }).toContain('Owner:');
    const cursor = pageB.locator('.collab-cursor-name', { hasText: ADA.name });
    await cursor.waitFor({ timeout: 10_000 });
    // Both are here: each sees the other in the presence list (names only, no times).
    await pageB.locator(`[data-testid="presence-person"][data-name="${ADA.name}"]`).waitFor();
    await pageA.locator(`[data-testid="presence-person"][data-name="${BRUNO.name}"]`).waitFor();
    expect(await pageB.getByTestId('presence').textContent()).not.toMatch(/\d+\s*(min|h|s)\b|ago|online/i);
    await pageB.screenshot({ path: artifactPath('editor-peer.png') });
  }

  /** Polls until both editors show the same text and `check` accepts it; fails with both texts. */
  async function converged(check: (text: string) => boolean): Promise<string> {
    let last: string[] = [];
    try {
      await expect
        .poll(
          async () => {
            last = await Promise.all([editorText(pageA), editorText(pageB)]);
            return last[0] === last[1] && check(last[0]!);
          },
          { timeout: 15_000 },
        )
        .toBe(true);
    } catch (err) {
      throw new Error(`the editors did not converge:\n--- Ada ---\n${last[0]}\n--- Bruno ---\n${last[1]}`, { cause: err });
    }
    return last[0]!;
  }

  // both type at once, in different places and at the same place, and their editors converge
  async function step4(): Promise<void> {
    // Different places: Bruno at the end of the first paragraph, Ada at the end of the document.
    await editor(pageB).locator('p.editor-paragraph', { hasText: 'after the review.' }).click();
    await pageB.keyboard.press('End');
    await Promise.all([
      pageA.keyboard.type('Ada-was-here', { delay: 20 }),
      pageB.keyboard.type(' Bruno-too.', { delay: 20 }),
    ]);
    await converged((t) => t.includes('after the review. Bruno-too.') && t.includes('Owner: Ada-was-here'));

    // The same place: both at the very end. Keystrokes may interleave; nothing is lost or doubled.
    await pageA.keyboard.press('ControlOrMeta+End');
    await pageB.keyboard.press('ControlOrMeta+End');
    const base = (await editorText(pageA)).split('\n').pop()!;
    const fromA = ' xyz123';
    const fromB = ' QRS789';
    await Promise.all([pageA.keyboard.type(fromA, { delay: 20 }), pageB.keyboard.type(fromB, { delay: 20 })]);
    const sorted = (text: string) => [...text].sort().join('');
    const text = await converged((t) => sorted(t.split('\n').pop()!) === sorted(base + fromA + fromB));
    expect(text.split('\n').pop()!.startsWith(base)).toBe(true);
    await Promise.all([waitSaved(pageA), waitSaved(pageB)]);
  }

  // "@" inserts a mention node and "[[" a link to another document, seen live by the other
  async function step5(): Promise<void> {
    await editor(pageA).click();
    await pageA.keyboard.press('ControlOrMeta+End');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('Ask @bru');
    await pageA.getByTestId('typeahead-mention').waitFor();
    await pageA.locator('[data-testid="typeahead-mention"] [role="option"]', { hasText: BRUNO.name }).waitFor();
    await pageA.keyboard.press('Enter');
    const mentionA = editor(pageA).locator('.mention[data-mention="bruno"]');
    await mentionA.waitFor();
    expect(await mentionA.textContent()).toBe('@bruno');

    await pageA.keyboard.type('about [[Roll');
    await pageA.locator('[data-testid="typeahead-doc-link"] [role="option"]', { hasText: 'Rollout checklist' }).waitFor();
    await pageA.keyboard.press('Enter');
    const linkA = editor(pageA).locator(`a[href="/docs/${otherDocId}"]`);
    await linkA.waitFor();
    expect(await linkA.textContent()).toBe('Rollout checklist');
    expect(await editorText(pageA)).not.toContain('[[');

    // The node properties (handle, docId) travel through Yjs.
    await editor(pageB).locator('.mention[data-mention="bruno"]').waitFor({ timeout: 10_000 });
    await editor(pageB).locator(`a[href="/docs/${otherDocId}"]`).waitFor({ timeout: 10_000 });
  }

  // code typed after "```ts " is highlighted, for the writer and the reader
  async function step6(): Promise<void> {
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('```ts ');
    await pageA.keyboard.type('const answer = 42;');
    await editor(pageA).locator('code.editor-code .token.keyword', { hasText: 'const' }).waitFor();
    await editor(pageA).locator('code.editor-code .token.number', { hasText: '42' }).waitFor();
    await editor(pageB).locator('code.editor-code .token.keyword', { hasText: 'const' }).waitFor({ timeout: 10_000 });
    expect(await editor(pageA).locator('code.editor-code').textContent()).toBe('const answer = 42;');
    // Enter on two empty last lines leaves the block.
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('After the code.');
    expect(await editor(pageA).locator('code.editor-code').textContent()).toBe('const answer = 42;');
    await editor(pageA).locator('code.editor-code + p', { hasText: 'After the code.' }).waitFor();
    await waitSaved(pageA);
  }

  // the "/" menu offers every kind of block; "[ ] " makes a check list, "---" a divider, the toolbar a table
  async function step7(): Promise<void> {
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('/');
    const menu = pageA.getByTestId('typeahead-slash');
    await menu.waitFor();
    expect(await menu.locator('[role="option"]').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Heading 1'),
        expect.stringContaining('Bulleted list'),
        expect.stringContaining('Numbered list'),
        expect.stringContaining('Check list'),
        expect.stringContaining('Quote'),
        expect.stringContaining('Code block'),
        expect.stringContaining('Table'),
        expect.stringContaining('Divider'),
        expect.stringContaining('Link'),
        expect.stringContaining('Mention someone'),
        expect.stringContaining('Link to a document'),
      ]),
    );
    await pageA.keyboard.type('quo');
    await expect.poll(() => menu.locator('[role="option"]').count()).toBe(1);
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('Ship small, ship often.');
    await editor(pageA).locator('blockquote.editor-quote', { hasText: 'Ship small, ship often.' }).waitFor();
    expect(await editorText(pageA)).not.toContain('/quo');

    await pageA.keyboard.press('Enter');
    await pageA.keyboard.type('[ ] Book the room');
    await editor(pageA).locator('li.editor-li-unchecked', { hasText: 'Book the room' }).waitFor();
    await pageA.keyboard.press('Enter');
    await pageA.keyboard.press('Enter'); // leaves the list
    await pageA.keyboard.type('--- ');
    await editor(pageA).locator('hr.editor-hr').waitFor();

    await pageA.getByTestId('toolbar-table').click();
    await editor(pageA).locator('table.editor-table').waitFor();
    expect(await editor(pageA).locator('table.editor-table tr').count()).toBe(3);
    await pageA.keyboard.type('Cell one');
    await editor(pageA).locator('table.editor-table th, table.editor-table td').first().filter({ hasText: 'Cell one' }).waitFor();

    // Bruno's editor has all of it.
    await editor(pageB).locator('li.editor-li-unchecked', { hasText: 'Book the room' }).waitFor({ timeout: 10_000 });
    await editor(pageB).locator('hr.editor-hr').waitFor();
    await editor(pageB).locator('table.editor-table').waitFor();
    await waitSaved(pageA);
  }

  // a reload keeps everything
  async function step8(): Promise<void> {
    await Promise.all([waitSaved(pageA), waitSaved(pageB)]);
    const before = await editorText(pageA);
    await pageA.reload();
    await editor(pageA).waitFor();
    await waitSaved(pageA);
    await expect.poll(() => editorText(pageA), { timeout: 10_000 }).toBe(before);
    expect(await editor(pageA).locator('h1.editor-h1').textContent()).toBe('Launch plan for May');
    expect(await editor(pageA).locator('.editor-bold').textContent()).toBe('on the 14th');
    expect(await editor(pageA).locator('ul.editor-ul:not(.editor-checklist) > li').count()).toBe(2);
    await editor(pageA).locator('.mention[data-mention="bruno"]').waitFor();
    await editor(pageA).locator(`a[href="/docs/${otherDocId}"]`).waitFor();
    await editor(pageA).locator('code.editor-code .token.keyword').first().waitFor();
    await editor(pageA).locator('blockquote.editor-quote').waitFor();
    await editor(pageA).locator('li.editor-li-unchecked').waitFor();
    await editor(pageA).locator('hr.editor-hr').waitFor();
    await editor(pageA).locator('table.editor-table').waitFor();
    expect(await editorText(pageB)).toBe(before);
    await pageA.screenshot({ path: artifactPath('editor.png'), fullPage: true });
  }

  // a viewer of the space reads along but cannot type
  async function step9(): Promise<void> {
    const member = await pageApi(pageA, 'PUT', `/api/spaces/${spaceId}/members/${chloeId}`, { role: 'viewer' });
    expect(member.status).toBe(200);

    await pageC.goto(`/docs/${encodeURIComponent(docId)}`);
    await pageC.getByTestId('view-only-badge').waitFor();
    await pageC.locator('[data-testid="connection-status"][data-state="saved"]').waitFor({ timeout: 20_000 });
    const expected = await editorText(pageA);
    await expect.poll(() => editorText(pageC), { timeout: 15_000 }).toBe(expected);
    expect(await editor(pageC).getAttribute('contenteditable')).toBe('false');
    expect(await pageC.getByTestId('editor-toolbar').count()).toBe(0);
    expect(await pageC.getByTestId('doc-title').getAttribute('contenteditable')).toBe('false');

    const before = await editorText(pageC);
    await editor(pageC).click();
    await pageC.keyboard.type('viewer was here');
    await pageC.waitForTimeout(500);
    expect(await editorText(pageC)).toBe(before);
    expect(await editorText(pageA)).not.toContain('viewer was here');

    // She still sees edits live.
    await editor(pageA).click();
    await pageA.keyboard.press('ControlOrMeta+End');
    await pageA.keyboard.type(' (final)');
    await expect.poll(() => editorText(pageC), { timeout: 10_000 }).toContain('(final)');
    await pageC.screenshot({ path: artifactPath('editor-viewer.png') });
  }

  // Ada renames the document in place: one PATCH on Enter, then the caret goes to the body
  async function step10(): Promise<void> {
    const patches: number[] = [];
    pageA.on('response', (res) => {
      if (res.request().method() === 'PATCH' && new URL(res.url()).pathname === `/api/docs/${docId}`) patches.push(res.status());
    });
    const title = pageA.getByTestId('doc-title');
    await title.click();
    await pageA.keyboard.press('ControlOrMeta+A');
    await pageA.keyboard.type('Launch plan (May)');
    await pageA.keyboard.press('Enter');
    await expect.poll(() => patches).toEqual([200]);
    await expect.poll(() => pageA.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('editor');
    await pageA.waitForTimeout(300);
    expect(patches).toEqual([200]); // the blur that followed saved nothing more
    const doc = await pageApi<{ doc: { title: string } }>(pageA, 'GET', `/api/docs/${docId}?peek=1`);
    expect(doc.json.doc.title).toBe('Launch plan (May)');
    expect(await title.textContent()).toBe('Launch plan (May)');
  }

  // at phone width (dark theme) the page fits the screen
  async function step11(): Promise<void> {
    const phone = await suite.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      storageState: await ctxA.storageState(),
    });
    const page = await suite.newPage(phone);
    await openDoc(page, docId);
    await page.getByTestId('editor-toolbar').waitFor();
    const overflow = await page.evaluate(() => {
      const width = window.innerWidth;
      const wide = Array.from(document.querySelectorAll<HTMLElement>('body *'))
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)}px)`);
      return { by: document.documentElement.scrollWidth - width, wide: wide.slice(0, 10) };
    });
    expect(overflow.by, `wider than the screen: ${overflow.wide.join(', ')}`).toBeLessThanOrEqual(1);
    await page.screenshot({ path: artifactPath('editor-phone.png') });
    await phone.close();
  }

  // Each test runs on a fresh server and first replays the steps its starting point needs: the
  // workspace through the API, then the earlier typing in the same order (the caret positions and
  // the shared text of a step are what the next one continues from).
  const typed = [step2, step3, step4, step5, step6, step7];
  /** A replaying test does the work of several: it may take longer than one. */
  const REPLAY_TIMEOUT_MS = 150_000;
  async function replay(upTo: number): Promise<void> {
    await workspace();
    for (const step of typed.slice(0, upTo)) await step();
  }

  afterEach(() => {
    expect(pageErrors, 'uncaught errors in the pages').toEqual([]);
  });

  test('Ada signs up through the form (the first account) and creates a space and two documents', async () => {
    await step1();
  });

  test('Ada writes formatted text: a heading by "# ", bold by the toolbar, a list by "- "', async () => {
    await replay(0);
    await step2();
  }, REPLAY_TIMEOUT_MS);

  test('Bruno, in another browser, sees the text live with Ada’s named cursor and presence', async () => {
    await replay(1);
    await step3();
  }, REPLAY_TIMEOUT_MS);

  test('both type at once, in different places and at the same place, and their editors converge', async () => {
    await replay(2);
    await step4();
  }, REPLAY_TIMEOUT_MS);

  test('"@" inserts a mention node and "[[" a link to another document, seen live by the other', async () => {
    await replay(3);
    await step5();
  }, REPLAY_TIMEOUT_MS);

  test('code typed after "```ts " is highlighted, for the writer and the reader', async () => {
    await replay(4);
    await step6();
  }, REPLAY_TIMEOUT_MS);

  test('the "/" menu offers every kind of block; "[ ] " makes a check list, "---" a divider, the toolbar a table', async () => {
    await replay(5);
    await step7();
  }, REPLAY_TIMEOUT_MS);

  test('a reload keeps everything', async () => {
    await replay(6);
    await step8();
  }, REPLAY_TIMEOUT_MS);

  test('a viewer of the space reads along but cannot type', async () => {
    await replay(1);
    await step9();
  }, REPLAY_TIMEOUT_MS);

  test('Ada renames the document in place: one PATCH on Enter, then the caret goes to the body', async () => {
    await workspace();
    await openDoc(pageA, docId);
    await step10();
  });

  test('at phone width (dark theme) the page fits the screen', async () => {
    await replay(1);
    await step11();
  }, REPLAY_TIMEOUT_MS);
});
