// Everything around the editor, in the browser: a document's history with a readable diff and a
// restore, decision records (status, why, supersedes chain), the decision log, and the sidebar tree
// (create, rename, move, trash, restore). Runs against the real server and the demo workspace.
// It reads the document page only through the panels (DocPanels) and the sidebar, never the editor.

import type { Locator, Page } from 'playwright-core';
import { beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite } from './harness.ts';
import { DEMO_USER } from './session.ts';

const WHY = 'We run sqld on the managed cluster now; see the ops review';

describe.skipIf(!e2eAvailability())('history, decisions and the document tree in the browser', () => {
  // Every test changes the demo workspace (a restore, a status, the tree): each gets a fresh server.
  const suite = browserSuite({ server: 'per-test', context: { viewport: { width: 1280, height: 900 } } });
  let page: Page;
  const pageErrors = suite.pageErrors;

  beforeEach(async () => {
    ({ page } = suite);
    await page.goto('/login');
    await page.getByTestId('login-email').fill(DEMO_USER.email);
    await page.getByTestId('login-password').fill(DEMO_USER.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.locator('[data-testid="doc-list"][data-state="loaded"]').waitFor();
  });

  /** The sidebar entry of a document in the selected space (Engineering, the first one). */
  const treeItem = (title: string): Locator => page.getByTestId('doc-item').filter({ hasText: title });

  async function openDoc(title: string): Promise<string> {
    await treeItem(title).first().click();
    await page.waitForURL((url) => url.pathname.startsWith('/docs/'));
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await page.locator(`[data-testid="doc-panels"][data-doc-id="${id}"]`).waitFor();
    return id;
  }

  async function apiDoc(id: string) {
    const res = await page.request.get(`/api/docs/${encodeURIComponent(id)}?peek=1`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { doc: { title: string; markdown: string; revision: number; parentId: string | null } }).doc;
  }

  const texts = (locator: Locator) => locator.allTextContents();

  test('History shows the last change as a diff, compares any two revisions and restores revision 1', async () => {
    const id = await openDoc('Sync API design');
    await page.getByTestId('history-toggle').click();

    const revisions = page.getByTestId('revision-item');
    await expect.poll(() => revisions.count()).toBe(3);
    expect(await revisions.first().getAttribute('data-revision')).toBe('3');
    // Authors by name and the "why" of each change.
    await expect.poll(() => revisions.first().textContent()).toContain('Marcus Chen');
    expect(await revisions.first().getByTestId('revision-message').textContent()).toContain('checksums catch them');

    // By default: the previous revision against the latest, i.e. the last change.
    const section = page.getByTestId('diff-section');
    await expect.poll(() => section.getAttribute('data-from')).toBe('2');
    expect(await section.getAttribute('data-to')).toBe('3');
    await section.locator('[data-op="added"]').first().waitFor();
    expect((await texts(section.locator('[data-op="added"] ins'))).join(' ')).toContain('checksum');
    expect(await section.locator('[data-op="removed"]').count()).toBe(0);
    // Unchanged blocks fold away.
    expect((await texts(section.getByTestId('diff-fold'))).join(' ')).toMatch(/… \d+ unchanged blocks?/);

    // Any two: revision 1 against the latest shows word-level marks inside changed blocks.
    await page.locator('[data-testid="revision-item"][data-revision="1"] [data-testid="diff-from"]').check();
    await expect.poll(() => section.getAttribute('data-from')).toBe('1');
    await section.locator('[data-op="changed"] ins').first().waitFor();
    const inserted = (await texts(section.locator('[data-op="changed"] ins'))).join(' ');
    expect(inserted).toContain('in pages of at most 500');
    expect(inserted).toContain('30 days');
    await page.getByTestId('doc-panels').screenshot({ path: artifactPath('diff.png') });

    // Restore revision 1, after a confirmation.
    await page.locator('[data-testid="revision-item"][data-revision="1"] [data-testid="restore-revision"]').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Restore revision 1');
    await dialog.getByTestId('confirm-ok').click();
    await dialog.waitFor({ state: 'detached' });

    await expect.poll(() => revisions.count()).toBe(4);
    expect(await revisions.first().getAttribute('data-revision')).toBe('4');
    expect(await revisions.first().getByTestId('revision-message').textContent()).toContain('Restored revision 1');
    // The page shows the new document (onDocChange) and the diff of what the restore changed.
    await expect.poll(() => page.getByTestId('history-toggle').textContent()).toContain('4 revisions');
    await expect.poll(() => section.getAttribute('data-to')).toBe('4');
    expect(await section.getAttribute('data-from')).toBe('3');
    await section.locator('[data-op="removed"] del').first().waitFor();
    expect((await texts(section.locator('del'))).join(' ')).toContain('checksum');
    await page.getByTestId('doc-panels').screenshot({ path: artifactPath('diff-restored.png') });

    // Watch the document (PUT /api/docs/:id/watch).
    const [watch] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/watch') && r.request().method() === 'PUT'),
      page.getByTestId('watch-doc').click(),
    ]);
    expect(watch.status()).toBe(204);
    await expect.poll(() => page.getByTestId('watch-doc').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('export-md').getAttribute('href')).toBe(`/api/docs/${encodeURIComponent(id)}/export.md`);

    const doc = await apiDoc(id);
    expect(doc.revision).toBe(4);
    expect(doc.markdown).not.toContain('checksum');
    expect(doc.markdown).not.toContain('at most 500');
  });

  test('ADR-003 shows its status badge and the supersedes chain back to ADR-002', async () => {
    await openDoc('ADR-003');
    const panel = page.getByTestId('decision-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('decision-status').getAttribute('data-status')).toBe('accepted');
    const chain = panel.getByTestId('chain-item');
    await chain.first().waitFor();
    expect(await chain.count()).toBe(1);
    expect(await chain.first().textContent()).toContain('ADR-002');
    expect(await chain.first().locator('[data-status]').getAttribute('data-status')).toBe('superseded');
    expect((await texts(panel.getByTestId('decision-owner'))).join(', ')).toContain('Marcus Chen');

    // Editors add and remove owners (people from GET /api/users).
    await panel.getByTestId('decision-add-owner').selectOption({ label: 'Lena Fischer (@lena)' });
    await expect.poll(async () => (await texts(panel.getByTestId('decision-owner'))).join(', ')).toContain('Lena Fischer');
    await panel.getByRole('button', { name: 'Remove Lena Fischer from the owners' }).click();
    await expect.poll(async () => (await texts(panel.getByTestId('decision-owner'))).join(', ')).not.toContain('Lena Fischer');

    // And from ADR-002, the other way: superseded by ADR-003.
    await chain.first().locator('a').click();
    await page.waitForURL((url) => url.pathname.startsWith('/docs/'));
    const by = page.getByTestId('superseded-by-item');
    await by.first().waitFor();
    expect(await by.first().textContent()).toContain('ADR-003');
    expect(await page.getByTestId('decision-status').getAttribute('data-status')).toBe('superseded');
  });

  test('changing a decision’s status asks why and records a revision with that reason', async () => {
    const id = await openDoc('ADR-001');
    const panel = page.getByTestId('decision-panel');
    expect(await panel.getByTestId('decision-status').getAttribute('data-status')).toBe('accepted');
    const before = (await apiDoc(id)).revision;

    await panel.getByTestId('decision-status-select').selectOption('superseded');
    const form = panel.getByTestId('decision-why-form');
    await form.waitFor();
    expect(await form.getByTestId('decision-why-save').isDisabled(), 'a reason is required').toBe(true);
    await form.getByTestId('decision-why').fill(WHY);
    await form.getByTestId('decision-why-save').click();

    await expect.poll(() => panel.getByTestId('decision-status').getAttribute('data-status')).toBe('superseded');
    await form.waitFor({ state: 'detached' });
    // The sidebar follows.
    await expect.poll(() => treeItem('ADR-001').locator('[data-status]').getAttribute('data-status')).toBe('superseded');

    await page.getByTestId('history-toggle').click();
    const top = page.getByTestId('revision-item').first();
    await expect.poll(() => top.getAttribute('data-revision')).toBe(String(before + 1));
    expect(await top.getByTestId('revision-message').textContent()).toContain(WHY);
  });

  test('the decision log lists the three ADRs with their statuses, filters and sorts', async () => {
    // ADR-001 superseded (as a reader would find it after the status change above), through the API.
    const adr001 = await treeItem('ADR-001').first().getAttribute('data-doc-id');
    const csrf = (await page.context().cookies()).find((c) => c.name === 'handoff_csrf')?.value ?? '';
    const patched = await page.request.patch(`/api/docs/${encodeURIComponent(adr001!)}`, {
      data: { decision: { status: 'superseded' }, message: WHY },
      headers: { 'X-CSRF-Token': decodeURIComponent(csrf) },
    });
    expect(patched.status(), await patched.text()).toBe(200);

    await page.getByTestId('decision-log-link').click();
    await page.waitForURL((url) => /^\/spaces\/[^/]+\/decisions$/.test(url.pathname));
    const rows = page.getByTestId('decision-row');
    await expect.poll(() => rows.count()).toBe(3);

    const statusOf = async (prefix: string) =>
      rows.filter({ hasText: prefix }).getAttribute('data-status');
    expect(await statusOf('ADR-001')).toBe('superseded');
    expect(await statusOf('ADR-002')).toBe('superseded');
    expect(await statusOf('ADR-003')).toBe('accepted');
    expect(await rows.filter({ hasText: 'ADR-003' }).textContent()).toContain('Marcus Chen');

    const order = async () => (await texts(rows.locator('td:first-child'))).map((t) => t.slice(0, 7));
    const newestFirst = await order();
    await page.getByTestId('sort-date').click();
    expect(await order()).toEqual([...newestFirst].reverse());

    await page.getByTestId('status-filter').selectOption('accepted');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('ADR-003');
    await page.getByTestId('status-filter').selectOption('all');
    await expect.poll(() => rows.count()).toBe(3);
    await page.screenshot({ path: artifactPath('decision-log.png'), fullPage: true });
  });

  test('the tree: create a page, rename it, move it under another, trash it and restore it', async () => {
    const node = (title: string) => page.locator(`[data-testid="tree-node"][data-title="${title}"]`);
    const menu = async (title: string, action: string) => {
      await node(title).getByTestId('doc-menu-button').first().click();
      await node(title).getByTestId(`doc-action-${action}`).first().click();
    };

    await page.getByTestId('new-page').click();
    await page.getByTestId('new-doc-title').fill('E2E scratch page');
    await page.getByTestId('new-doc-submit').click();
    await page.waitForURL((url) => url.pathname.startsWith('/docs/'));
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
    await node('E2E scratch page').waitFor();
    expect(await node('E2E scratch page').getAttribute('data-doc-id')).toBe(id);

    await menu('E2E scratch page', 'rename');
    const input = page.getByTestId('rename-input');
    await input.fill('E2E renamed page');
    await input.press('Enter');
    await node('E2E renamed page').waitFor();
    await expect.poll(async () => (await apiDoc(id)).title).toBe('E2E renamed page');

    await menu('E2E renamed page', 'move');
    const move = page.getByTestId('move-dialog');
    await move.waitFor();
    const choices = await texts(move.getByTestId('move-select').locator('option'));
    expect(choices.some((c) => c.includes('E2E renamed page')), 'a document is not offered as its own parent').toBe(false);
    await move.getByTestId('move-select').selectOption({ label: 'On-call handbook' });
    await move.getByTestId('move-submit').click();
    await move.waitFor({ state: 'detached' });
    const nested = node('On-call handbook').locator('[data-testid="tree-node"][data-title="E2E renamed page"]');
    await nested.waitFor();
    const parent = await node('On-call handbook').getAttribute('data-doc-id');
    expect((await apiDoc(id)).parentId).toBe(parent);

    await menu('E2E renamed page', 'trash');
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-ok').click();
    await node('E2E renamed page').waitFor({ state: 'detached' });
    // It was open, so the page goes to the space's trash.
    await page.waitForURL((url) => /^\/spaces\/[^/]+\/trash$/.test(url.pathname));
    const trashed = page.locator('[data-testid="trash-item"][data-title="E2E renamed page"]');
    await trashed.waitFor();
    await trashed.getByTestId('trash-restore').click();
    await trashed.waitFor({ state: 'detached' });
    await page.getByTestId('trash-restored').waitFor();
    await nested.waitFor();
    expect((await apiDoc(id)).parentId).toBe(parent);
  });

  test('a new private space, and the settings for time zone and brief hour', async () => {
    await page.getByTestId('new-space').click();
    await page.getByTestId('new-space-name').fill('E2E private space');
    await page.getByTestId('new-space-private').check();
    await page.getByTestId('new-space-submit').click();
    const space = page.getByTestId('space-item').filter({ hasText: 'E2E private space' });
    await expect.poll(() => space.getAttribute('aria-pressed')).toBe('true');
    expect(await space.textContent()).toContain('private');
    await page.locator('[data-testid="doc-list"][data-state="loaded"]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('doc-item').count()).toBe(0);
    await page.getByTestId('space-item').filter({ hasText: 'Engineering' }).click();
    await treeItem('Sync API design').first().waitFor();

    await page.getByTestId('settings-link').click();
    await page.getByTestId('settings').waitFor();
    await page.getByTestId('settings-timezone').selectOption('Asia/Tokyo');
    await page.getByTestId('settings-brief-hour').selectOption('7');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    const me = (await (await page.request.get('/api/me')).json()) as { user: { timezone: string; briefHour: number } };
    expect(me.user).toMatchObject({ timezone: 'Asia/Tokyo', briefHour: 7 });
  });

  test('at phone width the sidebar hides behind the menu button', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const sidebar = page.getByTestId('sidebar');
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    await page.getByTestId('menu-button').click();
    await expect.poll(() => sidebar.isVisible()).toBe(true);
    await treeItem('Sync API design').first().click();
    await page.getByTestId('doc-panels').waitFor();
    await expect.poll(() => sidebar.isVisible()).toBe(false);
    await page.screenshot({ path: artifactPath('phone-doc.png') });
    await page.setViewportSize({ width: 1280, height: 900 });

    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });
});
