// Settings in the browser, against the real server: the Berlin engineer sets her working days and
// hours, turns on e-mail, tries a chat webhook on a loopback address and reads the server's refusal
// (this server runs without HANDOFF_WEBHOOK_ALLOW_PRIVATE), reloads and finds everything kept, and
// the Catch up page then says when and how her next brief arrives; while she is away it says the
// briefs are paused. At phone width the page fits the screen.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpCapture, type SmtpCapture } from '@handoff/api/delivery-testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { artifactPath, e2eAvailability } from './browser.ts';
import { browserSuite } from './harness.ts';
import { DEMO_USER, ensureWebBuildCurrent } from './session.ts';

interface DeliveryJson {
  next: { at: string; timezone: string; local: string; channels: string[] } | null;
}

interface MeJson {
  user: {
    timezone: string;
    workDays: number[];
    workStart: string;
    workEnd: string;
    awayUntil: string | null;
    delivery: { email: boolean; webhookUrl: string | null };
  };
}

describe.skipIf(!e2eAvailability())('Settings: working hours, away and delivery in the browser', () => {
  // Each test changes Lena's settings: a fresh server (and database) for each. E-mail delivery is
  // on only when the server has an SMTP server: a real capture server, whose address is filled in
  // before the first server starts (the suite reads these options when it starts one).
  const serverOptions = { env: {} as Record<string, string> };
  const suite = browserSuite({ server: 'per-test', serverOptions, context: { viewport: { width: 1280, height: 900 } } });
  const pageErrors = suite.pageErrors;
  let page: Page;
  let smtp: SmtpCapture | undefined;
  let mailDir = '';

  beforeAll(async () => {
    ensureWebBuildCurrent();
    mailDir = mkdtempSync(join(tmpdir(), 'handoff-e2e-mail-'));
    smtp = await startSmtpCapture(mailDir);
    serverOptions.env.SMTP_URL = smtp.url;
  });

  afterAll(async () => {
    await smtp?.stop();
    if (mailDir) rmSync(mailDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    ({ page } = suite);
    page.setDefaultTimeout(15_000);
    await page.goto('/login');
    await page.getByTestId('login-email').fill(DEMO_USER.email);
    await page.getByTestId('login-password').fill(DEMO_USER.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((url) => url.pathname === '/');
  });

  const workday = (day: number) => page.getByTestId(`settings-workday-${day}`);

  async function openSettings(): Promise<void> {
    await page.getByTestId('settings-link').click();
    await page.getByTestId('settings').waitFor();
  }

  async function me(): Promise<MeJson['user']> {
    return ((await (await page.request.get('/api/me')).json()) as MeJson).user;
  }

  test('working days and hours, e-mail on, a refused webhook; kept after a reload; the brief page says when and how', async () => {
    await openSettings();
    // Monday to Sunday, the defaults (Mon–Fri) on.
    const days = await page.locator('[data-testid^="settings-workday-"]').evaluateAll((boxes) =>
      boxes.map((b) => [b.getAttribute('data-testid'), (b as HTMLInputElement).checked, b.getAttribute('aria-label')]),
    );
    expect(days.map(([id]) => id)).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => `settings-workday-${d}`));
    expect(days.map(([, on]) => on)).toEqual([true, true, true, true, true, false, false]);
    expect(days[0]?.[2]).toBe('Monday');

    // Mon–Thu and Saturday, 08:00–16:00, the brief written at 07:00.
    await workday(5).uncheck();
    await workday(6).check();
    await page.getByTestId('settings-work-start').fill('08:00');
    await page.getByTestId('settings-work-end').fill('16:00');
    await page.getByTestId('settings-brief-hour').selectOption('7');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    expect(await me()).toMatchObject({ workDays: [1, 2, 3, 4, 6], workStart: '08:00', workEnd: '16:00' });

    // An end before the start is caught in the page: nothing is sent.
    await page.getByTestId('settings-work-end').fill('07:00');
    await page.getByTestId('settings-save').click();
    expect(await page.getByTestId('settings-work-end-error').textContent()).toBe('The working day must end after it starts.');
    expect((await me()).workEnd).toBe('16:00');
    await page.getByTestId('settings-work-end').fill('16:00');

    // E-mail on, at once (the box follows the server's answer, so it is clicked, not `check()`ed).
    await page.getByTestId('settings-email').click();
    await page.getByTestId('settings-email-saved').waitFor();
    expect((await me()).delivery.email).toBe(true);

    // A webhook on a loopback address: the server refuses it and says why, beside the field.
    const url = page.getByTestId('settings-webhook-url');
    await url.fill('http://127.0.0.1:9/x');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me' && r.request().method() === 'PATCH'),
      page.getByTestId('settings-webhook-save').click(),
    ]);
    expect(answer.status()).toBe(422);
    const refusal = ((await answer.json()) as { error: { code: string; message: string } }).error;
    expect(refusal.code).toBe('webhook_url_refused');
    const shown = page.getByTestId('settings-webhook-error');
    await shown.waitFor();
    expect(await shown.textContent()).toBe(refusal.message);
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect((await me()).delivery.webhookUrl).toBeNull();
    await page.screenshot({ path: artifactPath('settings-refused-webhook.png'), fullPage: true });

    // After a reload: everything kept, the refused URL not.
    await page.reload();
    await page.getByTestId('settings').waitFor();
    await expect.poll(() => workday(6).isChecked()).toBe(true);
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map((d) => workday(d).isChecked()))).toEqual([true, true, true, true, false, true, false]);
    expect(await page.getByTestId('settings-work-start').inputValue()).toBe('08:00');
    expect(await page.getByTestId('settings-work-end').inputValue()).toBe('16:00');
    expect(await page.getByTestId('settings-brief-hour').inputValue()).toBe('7');
    expect(await page.getByTestId('settings-email').isChecked()).toBe(true);
    expect(await url.inputValue()).toBe('');

    // The Catch up page: when (the server's next delivery, in her zone) and how (e-mail).
    const delivery = (await (await page.request.get('/api/me/delivery')).json()) as DeliveryJson;
    expect(delivery.next).not.toBeNull();
    expect(delivery.next?.channels).toEqual(['app', 'email']);
    const [, time = ''] = delivery.next?.local.split('T') ?? [];
    expect(time >= '08:00' && time < '16:00', `next delivery ${delivery.next?.local} inside 08:00–16:00`).toBe(true);
    await page.getByTestId('catch-up-link').click();
    await page.waitForURL((u) => u.pathname === '/catch-up');
    const line = page.getByTestId('next-brief-text');
    await line.waitFor();
    expect(await line.textContent()).toMatch(
      new RegExp(`^Next brief: (Today|Tomorrow|Monday|Tuesday|Wednesday|Thursday|Saturday) ${time} Europe/Berlin, by e-mail$`),
    );
    expect(await page.getByTestId('next-brief').count()).toBe(1);

    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  test('away until a day: the brief page says the briefs are paused; clearing it brings the next brief back', async () => {
    await openSettings();
    const back = await page.evaluate(() => {
      // Ten days from now, as the date input writes it.
      const d = new Date(Date.now() + 10 * 86_400_000);
      return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(d);
    });
    await page.getByTestId('settings-away-until').fill(back);
    await page.getByTestId('settings-away-save').click();
    await page.getByTestId('settings-away-saved').waitFor();
    const away = (await me()).awayUntil;
    expect(away).not.toBeNull();
    // The day back begins at midnight in Berlin.
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(new Date(away!))).toBe(
      `${back}, 00:00`,
    );
    await page.getByTestId('settings-away-state').waitFor();

    await page.getByTestId('catch-up-link').click();
    await page.waitForURL((u) => u.pathname === '/catch-up');
    const line = page.getByTestId('next-brief-text');
    await line.waitFor();
    expect(await line.textContent()).toMatch(/^Paused while you're away until /);

    await openSettings();
    await page.getByTestId('settings-away-clear').click();
    await page.getByTestId('settings-away-saved').waitFor();
    expect((await me()).awayUntil).toBeNull();
    await page.getByTestId('catch-up-link').click();
    await expect.poll(() => line.textContent()).toMatch(/^Next brief: /);

    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  test('at phone width the settings page fits the screen and every section is reachable', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto('/settings');
    await page.getByTestId('settings').waitFor();
    for (const id of ['settings-working-hours', 'settings-away', 'settings-delivery']) {
      const section = page.getByTestId(id);
      await section.scrollIntoViewIfNeeded();
      expect(await section.isVisible()).toBe(true);
    }
    await page.getByTestId('delivery-log').locator('summary').click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifactPath('settings-phone.png'), fullPage: true });
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });
});
