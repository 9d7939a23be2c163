// Issue 11: delivery is a new way for the server to reach out (webhooks it POSTs to every morning)
// and a new public endpoint (one-click unsubscribe). Webhook URLs aimed at the server's own network
// or the cloud metadata service are refused, oversized input is a 400, junk unsubscribe ids are a
// 404 in the contract's shape (never a 500), and a webhook receiver that never answers holds up
// neither the other deliveries nor the event loop.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, eq, users } from '@handoff/db';
import { startWebhookReceiver, type WebhookReceiver } from '@handoff/api/delivery-testing';
import { ApiClient, type Call, type Person } from '../api/client.ts';
import { FakeClock } from '../briefs/helpers.ts';

const expectError = (label: string, res: Call, status: number) => {
  expect(res.status, `${label}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(status);
  expect(res.headers.get('content-type') ?? '', label).toContain('application/json');
  expect(typeof res.body.error?.code, label).toBe('string');
  expect(typeof res.body.error?.message, label).toBe('string');
};

describe('webhook URLs', () => {
  let api: ApiClient;
  let eve: Person;
  beforeAll(async () => {
    api = await ApiClient.start();
    eve = await api.signup('eve');
  });
  afterAll(() => api.close());

  it('refuses metadata, private, loopback and link-local targets however they are spelled', async () => {
    const urls = [
      'https://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://169.254.169.254/',
      'https://[fd00:ec2::254]/',
      'https://100.100.100.200/',
      'https://metadata.google.internal/',
      'https://METADATA.GOOGLE.INTERNAL./',
      'https://2852039166/', // 169.254.169.254 as one number
      'https://0xa9.0xfe.0xa9.0xfe/',
      'https://0177.0.0.1/',
      'https://127.1/',
      'https://0.0.0.0/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::1]:443/',
      'https://172.16.0.1/',
      'https://[fe80::1]/',
      'https://user:pass@10.0.0.1/',
      'http://example.com/', // plain http without the admin's permission
      'javascript:alert(1)',
      'file:///etc/passwd',
      'gopher://127.0.0.1:25/',
    ];
    for (const url of urls) {
      const res = await api.patch('/api/me', { delivery: { webhookUrl: url } }, eve.token);
      expectError(url, res, 422);
      expect(res.body.error.code, url).toBe('webhook_url_refused');
    }
    expect((await api.get('/api/me', eve.token)).body.user.delivery.webhookUrl).toBeNull();
  });

  it('answers a 10 kB URL with a 400, and other junk with a 4xx, never a 500', async () => {
    const long = `https://example.com/${'a'.repeat(10_000)}`;
    const res = await api.patch('/api/me', { delivery: { webhookUrl: long } }, eve.token);
    expectError('10 kB URL', res, 400);
    expect(res.body.error.code).toBe('validation_failed');
    for (const value of [123, true, { url: 'x' }, ['https://example.com'], '\u0000', 'https://\u0000example.com/', 'https://exa mple.com/', 'https://%00/']) {
      const answer = await api.patch('/api/me', { delivery: { webhookUrl: value } }, eve.token);
      expect(answer.status, JSON.stringify(value)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(value)).toBeLessThan(500);
      expect(typeof answer.body.error?.code).toBe('string');
    }
  });
});

describe('one-click unsubscribe', () => {
  let api: ApiClient;
  let ada: Person;
  beforeAll(async () => {
    api = await ApiClient.start();
    ada = await api.signup('ada');
  });
  afterAll(() => api.close());

  it('answers junk ids with a 404 in the error shape, on GET and POST, with or without a body', async () => {
    const ids = [
      'doesnotexist',
      'x'.repeat(65),
      'x'.repeat(5000),
      '%00',
      'abc%00def',
      '..%2F..%2Fetc%2Fpasswd',
      encodeURIComponent("' OR 1=1 --"),
      encodeURIComponent('<script>alert(1)</script>'),
      '%F0%9F%98%80',
      '%ff%fe',
      'a%20b',
    ];
    for (const id of ids) {
      const path = `/api/unsubscribe/${id}`;
      expectError(`GET ${id}`, await api.get(path), 404);
      expectError(`POST ${id}`, await api.call('POST', path, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 404);
      expectError(`POST ${id} without a body`, await api.call('POST', path), 404);
      expectError(`POST ${id} with JSON`, await api.call('POST', path, { json: { 'List-Unsubscribe': 'One-Click' } }), 404);
    }
    expectError('no id', await api.call('POST', '/api/unsubscribe/'), 401);
  });

  it('needs the one-click field for a real id (400 otherwise), whatever the body', async () => {
    await api.patch('/api/me', { delivery: { email: true } }, ada.token);
    const brief = (await api.post('/api/briefs', {}, ada.token)).body.brief;
    const now = Date.now();
    await api.t.deps.db.insert(deliveries).values({
      id: 'real-email-delivery',
      briefId: brief.id,
      userId: ada.id,
      channel: 'email',
      target: ada.email,
      localDate: '2026-03-09',
      dueAt: now,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const path = '/api/unsubscribe/real-email-delivery';
    for (const [body, type] of [
      ['', 'application/x-www-form-urlencoded'],
      ['List-Unsubscribe=Yes', 'application/x-www-form-urlencoded'],
      ['{"List-Unsubscribe":"One-Click"}', 'application/json'],
      ['List-Unsubscribe=One-Click', 'text/plain'],
      ['%%%=%%%', 'application/x-www-form-urlencoded'],
      ['--x\r\nbroken multipart', 'multipart/form-data; boundary=x'],
    ] as const) {
      expectError(`${type}: ${body}`, await api.call('POST', path, { body, headers: { 'content-type': type } }), 400);
    }
    expect((await api.t.deps.db.select().from(users).where(eq(users.id, ada.id)).get())!.deliveryEmail).toBe(true);
    expect((await api.get(path)).status).toBe(200); // a scanner's GET changes nothing
    expect((await api.t.deps.db.select().from(users).where(eq(users.id, ada.id)).get())!.deliveryEmail).toBe(true);
  });
});

describe('a webhook receiver that never answers', () => {
  let api: ApiClient;
  let receiver: WebhookReceiver;
  const clock = new FakeClock(Date.parse('2026-03-09T06:00:00Z')); // Monday, 07:00 in Berlin
  beforeAll(async () => {
    api = await ApiClient.start({ clock });
    receiver = await startWebhookReceiver({ secret: 'abuse-secret' });
    // The deadline of one attempt is the server's (HANDOFF_WEBHOOK_TIMEOUT_MS); short here.
    const config = api.t.deps.config;
    await api.close();
    api = await ApiClient.start({ clock, config: { delivery: { ...config.delivery, webhookAllowPrivate: true, webhookTimeoutMs: 1_000 } } });
  });
  afterAll(async () => {
    await receiver.stop();
    await api.close();
  });

  it('holds up neither the other deliveries nor the event loop', async () => {
    await api.signup('owner', { timezone: 'UTC' });
    const readers: Person[] = [];
    for (let i = 0; i < 10; i++) {
      const p = await api.signup(`reader${i}`, { timezone: 'Europe/Berlin' });
      expect((await api.patch('/api/me', { delivery: { webhookUrl: receiver.url } }, p.token)).status).toBe(200);
      readers.push(p);
    }
    // The receiver checks signatures with one secret: give every reader that one.
    await api.t.deps.db.update(users).set({ webhookSecret: 'abuse-secret' }).where(eq(users.timezone, 'Europe/Berlin'));
    clock.set('2026-03-09T07:00:00Z'); // 08:00: briefs built, deliveries due at 09:00
    await api.t.deps.briefScheduler.runDue();
    expect(await api.t.deps.db.select().from(deliveries).all()).toHaveLength(10);

    await receiver.failNext('timeout', 3);
    clock.set('2026-03-09T08:00:00Z');
    // Measure the event loop while the job runs.
    let worstGap = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const t = performance.now();
      worstGap = Math.max(worstGap, t - last);
      last = t;
    }, 20);
    const started = performance.now();
    const summary = await api.t.deps.briefDelivery.runDue();
    const elapsed = performance.now() - started;
    clearInterval(probe);
    expect(summary).toEqual({ sent: 7, retried: 3, failed: 0 });
    expect(elapsed).toBeLessThan(8_000); // three 1-second deadlines in parallel, not 10 × 10 s
    expect(worstGap).toBeLessThan(1_000);
    const rows = await api.t.deps.db.select().from(deliveries).all();
    expect(rows.filter((d) => d.status === 'pending').every((d) => d.lastError?.includes('no answer within 1000 ms'))).toBe(true);
    expect(receiver.deliveries().filter((d) => d.signatureValid && !d.duplicate)).toHaveLength(7);
  });
});
