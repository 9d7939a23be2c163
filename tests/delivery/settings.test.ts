import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, deliveryNotices, eq, users } from '@handoff/db';
import { ApiClient, type Person } from '../api/client.ts';
import { FakeClock } from '../briefs/helpers.ts';

/*
 * Working hours, leave and delivery channels through HTTP (issue 11): PATCH /api/me, the SSRF
 * guard on webhook URLs, GET /api/me/delivery (when and how the next brief arrives, notices, the
 * log), the webhook secret, and one-click unsubscribe.
 */

describe('delivery settings', () => {
  // Monday 9 March 2026, 07:00 in Berlin.
  const clock = new FakeClock(Date.parse('2026-03-09T06:00:00Z'));
  let api: ApiClient;
  let lena: Person;
  let kai: Person;

  beforeAll(async () => {
    api = await ApiClient.start({ clock });
    await api.signup('owner', { timezone: 'UTC' });
    lena = await api.signup('lena', { name: 'Lena', timezone: 'Europe/Berlin' });
    kai = await api.signup('kai', { name: 'Kai', timezone: 'Asia/Kolkata' });
  });
  afterAll(() => api.close());

  const me = async (who: Person) => (await api.get('/api/me', who.token)).body.user;
  const status = async (who: Person) => {
    const res = await api.get('/api/me/delivery', who.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('has sensible defaults: 09–17 Monday to Friday, no leave, no channel', async () => {
    expect(await me(lena)).toMatchObject({ workDays: [1, 2, 3, 4, 5], workStart: '09:00', workEnd: '17:00', awayUntil: null, delivery: { email: false, webhookUrl: null } });
  });

  it('saves working days and hours, leave and e-mail delivery', async () => {
    const res = await api.patch('/api/me', { workDays: [5, 1, 3, 1], workStart: '08:30', workEnd: '24:00', awayUntil: '2026-03-20T18:00:00+01:00', delivery: { email: true } }, kai.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ workDays: [1, 3, 5], workStart: '08:30', workEnd: '24:00', awayUntil: '2026-03-20T17:00:00.000Z', delivery: { email: true, webhookUrl: null } });
    expect(await me(kai)).toMatchObject({ workDays: [1, 3, 5], awayUntil: '2026-03-20T17:00:00.000Z', delivery: { email: true } });
    // Only what is given changes; null ends the leave.
    const back = await api.patch('/api/me', { awayUntil: null }, kai.token);
    expect(back.body.user).toMatchObject({ workDays: [1, 3, 5], workStart: '08:30', awayUntil: null, delivery: { email: true } });
  });

  it('refuses working hours that do not start before they end, also against the stored other end', async () => {
    const both = await api.patch('/api/me', { workStart: '18:00', workEnd: '09:00' }, lena.token);
    expect(both.status).toBe(400);
    expect(both.body.error.code).toBe('validation_failed');
    const againstStored = await api.patch('/api/me', { workStart: '17:00' }, lena.token); // stored end: 17:00
    expect(againstStored.status).toBe(400);
    expect(againstStored.body.error.details.fields[0].path).toBe('workEnd');
    for (const bad of [{ workStart: '25:00' }, { workEnd: '9:00' }, { workDays: [] }, { workDays: [0] }, { workDays: [8] }, { awayUntil: 'next week' }]) {
      const res = await api.patch('/api/me', bad, lena.token);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await me(lena)).toMatchObject({ workStart: '09:00', workEnd: '17:00' });
  });

  it('refuses webhook URLs to loopback, private, link-local and metadata addresses (422 webhook_url_refused with the reason)', async () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://[::1]/hook',
      'https://metadata.google.internal/computeMetadata/v1/',
      'ftp://example.com/hook',
      'not a url',
    ]) {
      const res = await api.patch('/api/me', { delivery: { webhookUrl: url } }, lena.token);
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(422);
      expect(res.body.error.code).toBe('webhook_url_refused');
      expect(res.body.error.details.reason.length).toBeGreaterThan(0);
    }
    expect((await me(lena)).delivery.webhookUrl).toBeNull();
    expect((await status(lena)).webhookSecret).toBeNull();
  });

  it('tells when and how the next brief arrives: 08:00 brief, delivered at 09:00 when work starts', async () => {
    const s = await status(lena);
    expect(s.next).toEqual({ at: '2026-03-09T08:00:00.000Z', timezone: 'Europe/Berlin', local: '2026-03-09T09:00', channels: ['app'] });
    expect(s.notices).toEqual([]);
    expect(s.log).toEqual([]);
    // E-mail on, but this server has no SMTP_URL: the setting is saved, the channel is not promised.
    expect((await api.patch('/api/me', { delivery: { email: true } }, lena.token)).status).toBe(200);
    expect((await status(lena)).next.channels).toEqual(['app']);
    // Kai works Monday, Wednesday, Friday from 08:30 IST; today's 08:00 IST (02:30 UTC) brief is built, so Wednesday's comes next.
    clock.set('2026-03-09T06:01:00Z');
    await api.t.deps.briefScheduler.runDue();
    expect((await status(kai)).next).toEqual({ at: '2026-03-11T03:00:00.000Z', timezone: 'Asia/Kolkata', local: '2026-03-11T08:30', channels: ['app'] });
  });

  it('lists notices until dismissed (someone else’s is a 404), and the delivery log', async () => {
    const db = api.t.deps.db;
    await db.insert(deliveryNotices).values({ id: 'notice-lena-1', userId: lena.id, channel: 'email', message: 'E-mail delivery was turned off.', createdAt: clock.now(), dismissedAt: null });
    expect((await status(lena)).notices).toEqual([{ id: 'notice-lena-1', channel: 'email', message: 'E-mail delivery was turned off.', createdAt: new Date(clock.now()).toISOString() }]);
    expect((await api.post('/api/me/delivery/notices/notice-lena-1/dismiss', {}, kai.token)).status).toBe(404);
    expect((await api.post('/api/me/delivery/notices/notice-lena-1/dismiss', {}, lena.token)).status).toBe(204);
    expect((await api.post('/api/me/delivery/notices/notice-lena-1/dismiss', {}, lena.token)).status).toBe(204);
    expect((await status(lena)).notices).toEqual([]);
    expect((await api.post('/api/me/delivery/notices/nope/dismiss', {}, lena.token)).status).toBe(404);
  });

  describe('with private webhooks allowed (HANDOFF_WEBHOOK_ALLOW_PRIVATE=1) and SMTP configured', () => {
    const clock2 = new FakeClock(Date.parse('2026-03-09T06:00:00Z'));
    let api2: ApiClient;
    let mia: Person;
    beforeAll(async () => {
      const config = api.t.deps.config;
      api2 = await ApiClient.start({ clock: clock2, config: { delivery: { ...config.delivery, webhookAllowPrivate: true, smtpUrl: 'smtp://127.0.0.1:1' } } });
      mia = await api2.signup('mia', { name: 'Mia', timezone: 'Europe/Berlin' });
    });
    afterAll(() => api2.close());

    const status2 = async () => (await api2.get('/api/me/delivery', mia.token)).body;

    it('accepts a loopback webhook, gives it a secret, keeps it for the same URL, changes it for a new one, rotates it, and turns it off', async () => {
      const set = await api2.patch('/api/me', { delivery: { webhookUrl: 'http://127.0.0.1:9/hook', email: true } }, mia.token);
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body.user.delivery).toEqual({ email: true, webhookUrl: 'http://127.0.0.1:9/hook' });
      const first = (await status2()).webhookSecret;
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url
      expect((await status2()).next.channels).toEqual(['app', 'email', 'webhook']);
      await api2.patch('/api/me', { delivery: { webhookUrl: 'http://127.0.0.1:9/hook' } }, mia.token);
      expect((await status2()).webhookSecret).toBe(first);
      await api2.patch('/api/me', { delivery: { webhookUrl: 'http://127.0.0.1:10/hook' } }, mia.token);
      const second = (await status2()).webhookSecret;
      expect(second).not.toBe(first);
      const rotated = await api2.post('/api/me/delivery/webhook-secret', {}, mia.token);
      expect(rotated.status).toBe(200);
      expect(rotated.body.webhookSecret).not.toBe(second);
      expect((await status2()).webhookSecret).toBe(rotated.body.webhookSecret);
      // Metadata addresses stay refused even so.
      expect((await api2.patch('/api/me', { delivery: { webhookUrl: 'http://169.254.169.254/' } }, mia.token)).status).toBe(422);
      const off = await api2.patch('/api/me', { delivery: { webhookUrl: null } }, mia.token);
      expect(off.body.user.delivery.webhookUrl).toBeNull();
      expect((await status2()).webhookSecret).toBeNull();
      expect((await api2.post('/api/me/delivery/webhook-secret', {}, mia.token)).status).toBe(409);
    });

    it('plans the deliveries of her 08:00 brief for 09:00, shows them as next and in the log', async () => {
      await api2.patch('/api/me', { delivery: { webhookUrl: 'http://127.0.0.1:9/hook', email: true } }, mia.token);
      clock2.set('2026-03-09T07:00:00Z');
      await api2.t.deps.briefScheduler.runDue();
      const s = await status2();
      expect(s.next).toEqual({ at: '2026-03-09T08:00:00.000Z', timezone: 'Europe/Berlin', local: '2026-03-09T09:00', channels: ['app', 'email', 'webhook'] });
      expect(s.log.map((d: { channel: string; status: string; localDate: string; dueAt: string }) => [d.channel, d.status, d.localDate, d.dueAt]).sort()).toEqual([
        ['email', 'pending', '2026-03-09', '2026-03-09T08:00:00.000Z'],
        ['webhook', 'pending', '2026-03-09', '2026-03-09T08:00:00.000Z'],
      ]);
    });

    it('unsubscribes in one click by POST (also with a session cookie and no CSRF token), never by GET', async () => {
      const [email] = await api2.t.deps.db.select().from(deliveries).where(eq(deliveries.channel, 'email')).all();
      const page = await api2.get(`/api/unsubscribe/${email!.id}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.body).toContain('<form method="post"');
      expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
      expect((await api2.t.deps.db.select().from(users).where(eq(users.id, mia.id)).get())!.deliveryEmail).toBe(true);

      const wrong = await api2.call('POST', `/api/unsubscribe/${email!.id}`, { body: 'List-Unsubscribe=Maybe', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(wrong.status).toBe(400);
      const res = await api2.call('POST', `/api/unsubscribe/${email!.id}`, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `handoff_session=${mia.token}` },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toContain('unsubscribed');
      expect((await api2.get('/api/me', mia.token)).body.user.delivery.email).toBe(false);
      expect((await status2()).next.channels).toEqual(['app', 'webhook']);
      // A webhook delivery's id is no unsubscribe link.
      const [hook] = await api2.t.deps.db.select().from(deliveries).where(eq(deliveries.channel, 'webhook')).all();
      expect((await api2.call('POST', `/api/unsubscribe/${hook!.id}`, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(404);
    });
  });
});
