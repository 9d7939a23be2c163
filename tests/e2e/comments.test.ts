// Comments in the browser, against the real server and its live collaboration endpoint: Ada selects
// text and comments on it; Bruno, who has the document open in another browser, sees the thread
// and its highlight appear without reloading, clicks the highlight and replies; Ada sees the reply
// live and resolves the thread; a thread whose text is deleted keeps its quote among the orphaned
// ones. "Waiting on you": Ada asks Bruno, he sees the count, opens the list, follows the link to the
// thread and replies, and the count clears. A viewer may comment unless the space says editors only.
// The document's body never changes by any of it.

import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite, contextApi } from './harness.ts';
import { ensureWebBuildCurrent, signUpIn } from './session.ts';

const PASSWORD = 'correct-horse-battery-staple';
const ADA = { email: 'ada@example.test', name: 'Ada Admin', handle: 'ada', password: PASSWORD, timezone: 'Europe/Berlin' };
const BRUNO = { email: 'bruno@example.test', name: 'Bruno Berg', handle: 'bruno', password: PASSWORD, timezone: 'America/Los_Angeles' };
const CHLOE = { email: 'chloe@example.test', name: 'Chloe Viewer', handle: 'chloe', password: PASSWORD, timezone: 'Asia/Tokyo' };

const BODY = [
  '# Launch plan',
  '',
  'We ship on the 14th after the review.',
  '',
  'The rollback plan is still open.',
  '',
  'Owners: the release team.',
  '',
].join('\n');

/** The page's CSS highlights by name, typed (the tests' DOM typings lack the registry's map methods). */
type Highlights = Map<string, Set<Range>>;

interface ThreadJson {
  id: string;
  status: string;
  anchor: { quote: string; orphaned: boolean } | null;
  askedUserIds: string[];
  comments: Array<{ authorId: string; markdown: string }>;
}

describe.skipIf(!e2eAvailability())('comments: threads anchored in the text, live, and "Waiting on you"', () => {
  // Open sign-up: several people sign up (the default is invite-only after the first). Each test
  // gets a fresh server and builds its own workspace.
  const suite = browserSuite({
    server: 'per-test',
    serverOptions: { env: { HANDOFF_DEMO: '0', HANDOFF_SIGNUP: 'open' } },
    context: { viewport: { width: 1280, height: 900 } },
  });
  const pageErrors = suite.pageErrors;
  let ctxA: BrowserContext;
  let ctxB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  let spaceId = '';
  let docId = '';
  let brunoId = '';

  beforeAll(ensureWebBuildCurrent);

  beforeEach(async () => {
    ctxA = suite.context;
    pageA = suite.page;
    ctxB = await suite.newContext();
    pageB = await suite.newPage(ctxB);
    for (const page of [pageA, pageB]) page.setDefaultTimeout(15_000);
  });


  /** Ada (the first account: admin) with a space and a document; Bruno signed up too. */
  async function workspace(body = BODY): Promise<void> {
    await signUpIn(ctxA, ADA);
    const space = await contextApi<{ space: { id: string } }>(ctxA, 'POST', '/api/spaces', { name: 'Launch' });
    expect(space.status).toBe(201);
    spaceId = space.json.space.id;
    const doc = await contextApi<{ doc: { id: string } }>(ctxA, 'POST', '/api/docs', { spaceId, title: 'Launch plan', markdown: body });
    expect(doc.status).toBe(201);
    docId = doc.json.doc.id;
    brunoId = await signUpIn(ctxB, BRUNO);
  }

  const editor = (page: Page) => page.getByTestId('editor');
  const threadCards = (page: Page) => page.getByTestId('thread');
  const commentBodies = (page: Page) => page.locator('[data-testid="thread"] [data-testid="comment-body"]');

  async function openDoc(page: Page, path = `/docs/${encodeURIComponent(docId)}`): Promise<void> {
    await page.goto(path);
    await editor(page).waitFor();
    await page.locator('[data-testid="connection-status"][data-state="saved"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => editor(page).innerText()).toContain('Owners');
    await page.getByTestId('comments').waitFor();
  }

  /** Selects `text` (inside one text node of the editor) the way a mouse drag would. */
  async function selectText(page: Page, text: string): Promise<void> {
    await page.evaluate((wanted) => {
      const root = document.querySelector('[data-testid="editor"]')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(wanted);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        const selection = document.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      throw new Error(`no text node holds ${JSON.stringify(wanted)}`);
    }, text);
    // Lexical adopts a DOM selection on the next `selectionchange`; a key pressed before then acts on
    // its old selection (CI saw a Backspace delete one character instead of the sentence). Wait
    // until the editor's own selection holds the text.
    await expect
      .poll(() =>
        page.evaluate(() => {
          type LexicalLike = { getEditorState(): { read<T>(fn: () => T): T; _selection: { getTextContent(): string } | null } };
          const root = document.querySelector('[data-testid="editor"]') as (Element & { __lexicalEditor?: LexicalLike }) | null;
          const state = root?.__lexicalEditor?.getEditorState();
          return state ? state.read(() => state._selection?.getTextContent() ?? '') : '';
        }),
      )
      .toBe(text);
  }

  /** The text of each range painted by the CSS highlight `name` (comment highlights never touch the DOM). */
  async function highlighted(page: Page, name: 'handoff-comment' | 'handoff-comment-active' | 'handoff-comment-draft'): Promise<string[]> {
    return page.evaluate((n) => [...((CSS.highlights as unknown as Highlights).get(n) ?? [])].map((range) => range.toString()).sort(), name);
  }

  /** Clicks the middle of the highlighted `text`. */
  async function clickHighlight(page: Page, text: string): Promise<void> {
    const point = await page.evaluate((wanted) => {
      for (const name of ['handoff-comment', 'handoff-comment-active']) {
        for (const range of (CSS.highlights as unknown as Highlights).get(name) ?? []) {
          if (range.toString() !== wanted) continue;
          const rect = range.getClientRects()[0]!;
          return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
        }
      }
      return null;
    }, text);
    expect(point, `no highlight shows ${text}`).not.toBeNull();
    await page.mouse.click(point!.x, point!.y);
  }

  async function docState(context: BrowserContext): Promise<{ revision: number; markdown: string }> {
    const res = await contextApi<{ doc: { revision: number; markdown: string } }>(context, 'GET', `/api/docs/${docId}?peek=1`);
    expect(res.status).toBe(200);
    return res.json.doc;
  }

  async function threadsOf(context: BrowserContext): Promise<ThreadJson[]> {
    const res = await contextApi<{ threads: ThreadJson[] }>(context, 'GET', `/api/docs/${docId}/threads?status=all`);
    expect(res.status).toBe(200);
    return res.json.threads;
  }

  async function waitingCount(page: Page): Promise<number> {
    const badge = page.getByTestId('waiting-count');
    if ((await badge.count()) === 0) return 0;
    return Number.parseInt((await badge.innerText()).trim(), 10);
  }

  test('select text and comment; the other reader sees it live, replies; resolve; deleted text leaves an orphaned thread with its quote', async () => {
    await workspace();
    await Promise.all([openDoc(pageA), openDoc(pageB)]);
    const before = await docState(ctxA);
    const bodyBefore = await editor(pageB).innerText();

    // Ada selects "on the 14th": the toolbar's Comment button becomes available; the composer quotes it.
    const button = pageA.getByTestId('comment-button');
    expect(await button.isDisabled()).toBe(true);
    await editor(pageA).click();
    await selectText(pageA, 'on the 14th');
    await expect.poll(() => button.isDisabled()).toBe(false);
    await button.click();
    const composer = pageA.getByTestId('thread-composer');
    await composer.waitFor();
    expect(await pageA.getByTestId('composer-quote').innerText()).toBe('on the 14th');
    // While she writes, the passage stays marked (the draft highlight).
    await expect.poll(() => highlighted(pageA, 'handoff-comment-draft')).toEqual(['on the 14th']);

    // @ + a few letters offers people; Enter takes one.
    const input = pageA.getByTestId('composer-input');
    await input.click();
    await pageA.keyboard.type('Is the 14th **confirmed** with QA? cc @bru');
    await pageA.locator('[data-testid="comment-mention-menu"] [role="option"]', { hasText: BRUNO.name }).waitFor();
    await pageA.keyboard.press('Enter');
    expect(await input.inputValue()).toBe('Is the 14th **confirmed** with QA? cc @bruno ');
    await pageA.getByTestId('composer-submit').click();
    await composer.waitFor({ state: 'detached' });

    // Ada's card: the quote, her comment rendered (bold, a mention), in focus and highlighted.
    await expect.poll(() => threadCards(pageA).count()).toBe(1);
    const cardA = threadCards(pageA).first();
    expect(await cardA.getByTestId('thread-quote').innerText()).toBe('on the 14th');
    expect(await cardA.locator('[data-testid="comment-body"] strong').innerText()).toBe('confirmed');
    expect(await cardA.locator('[data-testid="comment-body"] .mention[data-mention="bruno"]').innerText()).toBe('@bruno');
    expect(await cardA.getAttribute('data-active')).toBe('true');
    await expect.poll(() => highlighted(pageA, 'handoff-comment-active')).toEqual(['on the 14th']);

    // Bruno, who had the page open all along, sees the thread and its highlight without reloading.
    await expect.poll(() => threadCards(pageB).count(), { timeout: 10_000 }).toBe(1);
    expect(await threadCards(pageB).first().getByTestId('thread-quote').innerText()).toBe('on the 14th');
    await expect.poll(() => highlighted(pageB, 'handoff-comment'), { timeout: 10_000 }).toEqual(['on the 14th']);
    // He was mentioned: the thread waits on him.
    await expect.poll(() => waitingCount(pageB), { timeout: 10_000 }).toBe(1);
    // The comment changed nothing in the document: same text, same revision.
    expect(await editor(pageB).innerText()).toBe(bodyBefore);
    await pageB.screenshot({ path: artifactPath('comments-live.png') });

    // He clicks the highlighted text: the thread comes into focus; he replies.
    await clickHighlight(pageB, 'on the 14th');
    const cardB = threadCards(pageB).first();
    await expect.poll(() => cardB.getAttribute('data-active')).toBe('true');
    await expect.poll(() => highlighted(pageB, 'handoff-comment-active')).toEqual(['on the 14th']);
    await cardB.getByTestId('reply-input').fill('Yes — QA signed off, see [the run](https://ci.example.test/run/42). <b>not bold</b>');
    await cardB.getByTestId('reply-submit').click();
    await expect.poll(() => cardB.getByTestId('comment').count()).toBe(2);
    // Replying answered what the thread asked him.
    await expect.poll(() => waitingCount(pageB), { timeout: 10_000 }).toBe(0);

    // Ada sees the reply live: a safe link, raw HTML as text.
    await expect.poll(() => cardA.getByTestId('comment').count(), { timeout: 10_000 }).toBe(2);
    const reply = cardA.getByTestId('comment').nth(1);
    expect(await reply.getByTestId('comment-author').innerText()).toBe(BRUNO.name);
    expect(await reply.locator('a').getAttribute('href')).toBe('https://ci.example.test/run/42');
    expect(await reply.locator('b').count()).toBe(0);
    expect(await reply.getByTestId('comment-body').innerText()).toContain('<b>not bold</b>');

    // Ada edits her comment (Bruno sees it marked edited), adds one and deletes it (it stays, marked
    // deleted); Bruno's comment is not hers to change.
    const first = cardA.getByTestId('comment').first();
    await first.getByTestId('comment-edit').click();
    await cardA.getByTestId('comment-edit-input').fill('Is the 14th **confirmed** with QA and ops? cc @bruno');
    await cardA.getByTestId('comment-edit-save').click();
    expect(await reply.getByTestId('comment-edit').count()).toBe(0);
    const firstB = cardB.getByTestId('comment').first();
    await expect.poll(() => firstB.getByTestId('comment-body').innerText(), { timeout: 10_000 }).toBe('Is the 14th confirmed with QA and ops? cc @bruno');
    await firstB.getByTestId('comment-edited').waitFor();
    await cardA.getByTestId('reply-input').fill('Ignore this one.');
    await cardA.getByTestId('reply-submit').click();
    await expect.poll(() => cardB.getByTestId('comment').count(), { timeout: 10_000 }).toBe(3);
    const third = cardA.getByTestId('comment').nth(2);
    await third.getByTestId('comment-delete').click();
    await third.getByTestId('comment-delete-confirm').click();
    await cardB.getByTestId('comment').nth(2).getByTestId('comment-deleted').waitFor({ timeout: 10_000 });
    expect(await cardB.getByTestId('comment').nth(2).innerText()).not.toContain('Ignore this one');

    // Ada resolves it: it leaves the open list (and the highlights) for both, and shows who resolved it.
    await cardA.getByTestId('thread-resolve').click();
    await expect.poll(() => threadCards(pageA).count()).toBe(0);
    await expect.poll(() => threadCards(pageB).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => highlighted(pageB, 'handoff-comment'), { timeout: 10_000 }).toEqual([]);
    await pageB.getByTestId('comments-filter-resolved').click();
    await expect.poll(() => threadCards(pageB).count()).toBe(1);
    expect(await threadCards(pageB).first().getAttribute('data-status')).toBe('resolved');
    expect(await threadCards(pageB).first().getByTestId('thread-resolved').innerText()).toContain(`Resolved by ${ADA.name}`);
    await pageB.screenshot({ path: artifactPath('comments-resolved.png') });
    // Bruno reopens it: back in the open list and highlighted, for Ada too; then he resolves it himself.
    await threadCards(pageB).first().click();
    await threadCards(pageB).first().getByTestId('thread-reopen').click();
    await pageB.locator('[data-testid="comments-filter-open"][aria-pressed="true"]').waitFor();
    await expect.poll(() => threadCards(pageA).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => highlighted(pageA, 'handoff-comment'), { timeout: 10_000 }).toEqual(['on the 14th']);
    await threadCards(pageB).first().getByTestId('thread-resolve').click();
    await expect.poll(() => threadCards(pageA).count(), { timeout: 10_000 }).toBe(0);
    expect((await threadsOf(ctxA)).map((t) => t.status)).toEqual(['resolved']);

    // The document is as it was: no revision, the same Markdown.
    const after = await docState(ctxA);
    expect(after.revision).toBe(before.revision);
    expect(after.markdown).toBe(before.markdown);

    // A second thread, started with the keyboard shortcut, on text Ada then deletes.
    await selectText(pageA, 'rollback plan');
    await pageA.keyboard.press('Control+Alt+m');
    await pageA.getByTestId('thread-composer').waitFor();
    expect(await pageA.getByTestId('composer-quote').innerText()).toBe('rollback plan');
    await pageA.getByTestId('composer-input').fill('Who owns this?');
    await pageA.getByTestId('composer-submit').click();
    await expect.poll(() => threadCards(pageA).count()).toBe(1);
    await pageB.getByTestId('comments-filter-open').click();
    await expect.poll(() => highlighted(pageB, 'handoff-comment'), { timeout: 10_000 }).toEqual(['rollback plan']);

    await editor(pageA).click();
    await selectText(pageA, 'The rollback plan is still open.');
    await pageA.keyboard.press('Backspace');
    await expect.poll(() => editor(pageB).innerText(), { timeout: 10_000 }).not.toContain('rollback');

    // Both keep the thread, at the bottom, with the quote and a note that the text was deleted.
    for (const page of [pageA, pageB]) {
      const orphaned = page.locator('[data-testid="orphaned-threads"] [data-testid="thread"]');
      await expect.poll(() => orphaned.count(), { timeout: 10_000 }).toBe(1);
      expect(await orphaned.getAttribute('data-orphaned')).toBe('true');
      expect(await orphaned.getByTestId('thread-quote').innerText()).toBe('rollback plan');
      await orphaned.getByTestId('thread-orphaned-note').waitFor();
      await expect.poll(() => highlighted(page, 'handoff-comment')).toEqual([]);
    }
    // The server says so too, and keeps the quote.
    await pageA.locator('[data-testid="connection-status"][data-state="saved"]').waitFor();
    await expect
      .poll(async () => (await threadsOf(ctxA)).filter((t) => t.status === 'open').map((t) => ({ quote: t.anchor?.quote, orphaned: t.anchor?.orphaned })))
      .toEqual([{ quote: 'rollback plan', orphaned: true }]);
    // A reload shows the same.
    await pageB.reload();
    await pageB.locator('[data-testid="orphaned-threads"] [data-testid="thread-quote"]', { hasText: 'rollback plan' }).waitFor();
    await pageB.screenshot({ path: artifactPath('comments-orphaned.png') });
    expect(pageErrors).toEqual([]);
  });

  test('"Waiting on you": Ada asks Bruno; he sees the count, opens the list, follows the link to the thread, replies, and the count clears', async () => {
    // A long document: the thread's text is far below the first screen.
    const filler = Array.from({ length: 40 }, (_, i) => `Background paragraph ${i + 1} of the plan.`).join('\n\n');
    await workspace(`${filler}\n\nWe ship on the 14th after the review.\n\nOwners: the release team.\n`);
    await openDoc(pageA);

    await editor(pageA).click();
    await selectText(pageA, 'after the review');
    await pageA.getByTestId('comment-button').click();
    await pageA.getByTestId('composer-input').fill('Can you confirm the review date?');
    // "Question for": Bruno.
    await pageA.getByTestId('ask-input').fill('bru');
    await pageA.locator('[data-testid="ask-menu"] [role="option"]', { hasText: BRUNO.name }).waitFor();
    await pageA.getByTestId('ask-input').press('Enter');
    expect(await pageA.getByTestId('ask-chip').allInnerTexts()).toEqual([expect.stringContaining('@bruno')]);
    await pageA.getByTestId('composer-submit').click();
    await expect.poll(() => threadCards(pageA).count()).toBe(1);
    expect(await threadCards(pageA).first().getByTestId('thread-asked').innerText()).toBe('Question for @bruno');
    const [thread] = await threadsOf(ctxA);
    expect(thread!.askedUserIds).toEqual([brunoId]);

    // Bruno's home page: the count in the sidebar and the section listing the thread.
    await pageB.goto('/');
    await expect.poll(() => waitingCount(pageB)).toBe(1);
    await pageB.getByTestId('home-waiting').waitFor();
    expect(await pageB.locator('[data-testid="home-waiting"] [data-testid="waiting-item"]').count()).toBe(1);

    // The Waiting page: the document, the passage, who asked, the last word.
    await pageB.getByTestId('waiting-nav').click();
    await pageB.waitForURL((url) => url.pathname === '/waiting');
    const item = pageB.locator('[data-testid="waiting-page"] [data-testid="waiting-item"]');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.getByTestId('waiting-link').innerText()).toBe('Launch plan');
    expect(await item.getByTestId('waiting-quote').innerText()).toBe('after the review');
    await expect.poll(() => item.getByTestId('waiting-asked-by').innerText()).toContain(`Asked by ${ADA.name}`);
    expect(await item.getByTestId('waiting-last').innerText()).toBe(`${ADA.name}: Can you confirm the review date?`);
    await pageB.screenshot({ path: artifactPath('comments-waiting.png') });

    // The link opens the document on the thread: in focus in the sidebar, its text scrolled into view.
    await item.getByTestId('waiting-link').click();
    await pageB.waitForURL((url) => url.pathname === `/docs/${docId}` && url.searchParams.get('thread') === thread!.id);
    await editor(pageB).waitFor();
    const card = pageB.locator(`[data-testid="thread"][data-thread-id="${thread!.id}"]`);
    await expect.poll(() => card.getAttribute('data-active'), { timeout: 20_000 }).toBe('true');
    await expect.poll(() => highlighted(pageB, 'handoff-comment-active'), { timeout: 20_000 }).toEqual(['after the review']);
    await expect
      .poll(
        () =>
          pageB.evaluate(() => {
            const range = [...((CSS.highlights as unknown as Highlights).get('handoff-comment-active') ?? [])][0];
            const rect = range?.getBoundingClientRect();
            return rect !== undefined && rect.top >= 0 && rect.bottom <= window.innerHeight;
          }),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await pageB.evaluate(() => window.scrollY)).toBeGreaterThan(0);

    // He replies: the thread no longer waits on him.
    await card.getByTestId('reply-input').fill('Confirmed: the review is on Tuesday.');
    await card.getByTestId('reply-submit').click();
    await expect.poll(() => card.getByTestId('comment').count()).toBe(2);
    await expect.poll(() => waitingCount(pageB), { timeout: 10_000 }).toBe(0);
    const waiting = await contextApi<{ threads: unknown[] }>(ctxB, 'GET', '/api/me/waiting');
    expect(waiting.json.threads).toEqual([]);
    await pageB.getByTestId('waiting-nav').click();
    await pageB.getByTestId('waiting-empty').waitFor();
    expect(pageErrors).toEqual([]);
  });

  test('a viewer may comment unless the space lets only editors comment', async () => {
    await workspace();
    const ctxC = await suite.newContext();
    const pageC = await suite.newPage(ctxC);
    pageC.setDefaultTimeout(15_000);
    const chloeId = await signUpIn(ctxC, CHLOE);
    expect((await contextApi(ctxA, 'PUT', `/api/spaces/${spaceId}/members/${chloeId}`, { role: 'viewer' })).status).toBe(200);
    expect((await contextApi(ctxA, 'PATCH', `/api/spaces/${spaceId}`, { commenting: 'editors' })).status).toBe(200);

    // Editors only: the button says why it is off, and the server refuses too.
    await openDoc(pageC);
    await pageC.getByTestId('view-only-badge').waitFor();
    const button = pageC.getByTestId('comment-button');
    expect(await button.isDisabled()).toBe(true);
    expect(await button.getAttribute('title')).toBe('Only editors may comment in this space.');
    expect(await pageC.getByTestId('comments-restricted').innerText()).toBe('Only editors may comment in this space.');
    const refused = await contextApi<{ error: { code: string } }>(ctxC, 'POST', `/api/docs/${docId}/threads`, { markdown: 'Hi' });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('commenting_restricted');

    // Readers: she selects text in the read-only editor and comments on it.
    expect((await contextApi(ctxA, 'PATCH', `/api/spaces/${spaceId}`, { commenting: 'readers' })).status).toBe(200);
    await openDoc(pageC);
    expect(await editor(pageC).getAttribute('contenteditable')).toBe('false');
    await selectText(pageC, 'still open');
    await expect.poll(() => button.isDisabled()).toBe(false);
    await button.click();
    expect(await pageC.getByTestId('composer-quote').innerText()).toBe('still open');
    await pageC.getByTestId('composer-input').fill('Viewer question: *when*?');
    await pageC.getByTestId('composer-submit').click();
    await expect.poll(() => threadCards(pageC).count()).toBe(1);
    await expect.poll(() => highlighted(pageC, 'handoff-comment-active')).toEqual(['still open']);
    // And on the whole document.
    await pageC.getByTestId('comment-on-doc').click();
    await pageC.getByTestId('composer-whole-document').waitFor();
    await pageC.getByTestId('composer-input').fill('Thanks for writing this up.');
    await pageC.getByTestId('composer-submit').click();
    await expect.poll(() => threadCards(pageC).count()).toBe(2);
    const threads = await threadsOf(ctxA);
    expect(threads.map((t) => t.anchor?.quote ?? null).sort()).toEqual([null, 'still open'].sort());
    expect(await commentBodies(pageC).allInnerTexts()).toEqual(expect.arrayContaining(['Thanks for writing this up.', 'Viewer question: when?']));
    await pageC.screenshot({ path: artifactPath('comments-viewer.png') });
    expect(pageErrors).toEqual([]);
  });
});
