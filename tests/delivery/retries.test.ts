import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../api/client.ts';
import { DeliveryWorld, localTime, type PersonalReceiver } from './harness.ts';

/*
 * Retries and turning a channel off (issue 11), over the real SMTP capture process and real
 * webhook receivers, minute by minute from 07:58 to 09:30 in Berlin on Tuesday 10 March 2026.
 * Seven readers in Berlin (08:00–17:00, brief at 08:00), each with one channel on:
 *
 * - flaky: her receiver answers 500 once → delivered at the second attempt, processed once;
 * - refused: her receiver refuses connections for two attempts → retried, delivered at the third;
 * - slow: her receiver never answers the first attempt (the 1 s deadline of this server fires) →
 *   delivered at the second;
 * - down: her receiver refuses every connection → after five failed attempts in a row the webhook
 *   is turned off, with a notice;
 * - gone / missing: the endpoint answers 410 / 404 → the webhook is turned off at once, with a
 *   notice in GET /api/me/delivery;
 * - bounce: the mail server refuses her address with 550 → e-mail is turned off, with a notice;
 * - busy: the mail server answers 451 for her address → tried again later, delivered once.
 */

interface Log {
  channel: string;
  status: string;
  attempts: number;
  sentAt: string | null;
  lastError: string | null;
}

let w: DeliveryWorld;
let endpoint: Server;
let endpointUrl: string;
const endpointHits: string[] = [];
const people: Record<string, Person> = {};
const receivers: Record<string, PersonalReceiver> = {};
const arrivals: Record<string, string[]> = {};
let refusedResumedAfter = -1;
let busyClearedAfter = -1;

const ZONE = 'Europe/Berlin';

async function logOf(handle: string): Promise<Log[]> {
  const res = await w.api.get('/api/me/delivery', people[handle]!.token);
  expect(res.status).toBe(200);
  return res.body.log;
}

beforeAll(async () => {
  w = await DeliveryWorld.start('2026-03-10T06:00:00Z', { webhookTimeoutMs: 1_000 });
  endpoint = createServer((req, res) => {
    endpointHits.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(req.url === '/gone' ? 410 : 404, { 'content-type': 'text/plain' }).end('no such hook'));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;

  await w.person('ops', { timezone: 'UTC', briefHour: 23 });
  const hours = { workDays: [1, 2, 3, 4, 5], workStart: '08:00', workEnd: '17:00', briefHour: 8 };
  for (const handle of ['flaky', 'refused', 'slow', 'down']) {
    people[handle] = await w.person(handle, hours);
    receivers[handle] = (await w.bothChannels(people[handle])) as PersonalReceiver;
    await w.patchMe(people[handle], { delivery: { email: false } });
  }
  for (const handle of ['gone', 'missing']) {
    people[handle] = await w.person(handle, hours);
    await w.patchMe(people[handle], { delivery: { webhookUrl: `${endpointUrl}/${handle}` } });
  }
  for (const handle of ['bounce', 'busy']) {
    people[handle] = await w.person(handle, hours);
    await w.patchMe(people[handle], { delivery: { email: true } });
  }
  const space = await w.api.space(people.flaky!, 'Team');
  await w.api.doc(people.flaky!, space, 'Plan', 'News for everybody.');

  await receivers.flaky!.failNext('500');
  await receivers.refused!.failNext('refuse');
  await receivers.slow!.failNext('timeout');
  await receivers.down!.failNext('refuse');
  await w.smtp.setMode({ rcpt: { 'bounce@example.com': 550, 'busy@example.com': 451 } });

  await w.clock.set('2026-03-10T06:58:00Z');
  const end = Date.parse('2026-03-10T08:30:00Z');
  let mails = 0;
  while (w.clock.now() < end) {
    await w.minute();
    const at = localTime(ZONE, w.clock.now()).hm;
    for (const [handle, receiver] of Object.entries(receivers)) {
      const list = (arrivals[handle] ??= []);
      while (list.length < receiver.deliveries().length) list.push(at);
    }
    const parsed = w.mailCount() > mails ? await w.smtp.messages() : [];
    for (; mails < parsed.length; mails++) {
      const to = parsed[mails]!.to;
      (arrivals[(Array.isArray(to) ? to[0] : to)!.value[0]!.address!] ??= []).push(at);
    }
    if (refusedResumedAfter < 0) {
      const hook = (await logOf('refused')).find((d) => d.channel === 'webhook');
      if (hook && hook.attempts === 2 && hook.status === 'pending') {
        refusedResumedAfter = hook.attempts;
        await receivers.refused!.resume();
      }
    }
    if (busyClearedAfter < 0) {
      const mail = (await logOf('busy')).find((d) => d.channel === 'email');
      if (mail && mail.attempts === 1 && mail.status === 'pending') {
        busyClearedAfter = mail.attempts;
        await w.smtp.setMode({ rcpt: { 'bounce@example.com': 550 } });
      }
    }
  }
}, 180_000);

afterAll(async () => {
  for (const r of Object.values(receivers)) await r.stop();
  await new Promise<void>((resolve) => {
    endpoint?.close(() => resolve());
    endpoint?.closeAllConnections();
  });
  await w?.close();
});

describe('temporary failures are retried with backoff and delivered once', () => {
  it('a 500 from the receiver: delivered at the second attempt, processed once', async () => {
    const [hook] = (await logOf('flaky')).filter((d) => d.channel === 'webhook');
    expect(hook).toMatchObject({ status: 'sent', attempts: 2 });
    expect(receivers.flaky!.attempts()).toBe(2);
    expect(receivers.flaky!.deliveries().map((d) => [d.signatureValid, d.duplicate])).toEqual([[true, false]]);
    expect(['08:01', '08:02']).toContain(arrivals.flaky![0]);
  });

  it('a refused connection: retried, and delivered once the receiver listens again', async () => {
    expect(refusedResumedAfter).toBe(2);
    const [hook] = (await logOf('refused')).filter((d) => d.channel === 'webhook');
    expect(hook).toMatchObject({ status: 'sent', attempts: 3 });
    expect(receivers.refused!.deliveries()).toHaveLength(1);
    expect((await w.api.get('/api/me', people.refused!.token)).body.user.delivery.webhookUrl).toBe(receivers.refused!.url);
  });

  it('no answer before the deadline: retried, delivered at the second attempt', async () => {
    const [hook] = (await logOf('slow')).filter((d) => d.channel === 'webhook');
    expect(hook).toMatchObject({ status: 'sent', attempts: 2 });
    expect(receivers.slow!.deliveries()).toHaveLength(1);
    expect(receivers.slow!.attempts()).toBe(2);
  });

  it('an SMTP 451: tried again later, one e-mail', async () => {
    expect(busyClearedAfter).toBe(1);
    const [mail] = (await logOf('busy')).filter((d) => d.channel === 'email');
    expect(mail).toMatchObject({ status: 'sent', attempts: 2 });
    expect(arrivals['busy@example.com']).toHaveLength(1);
    expect(['08:01', '08:02']).toContain(arrivals['busy@example.com']![0]);
    expect((await w.api.get('/api/me', people.busy!.token)).body.user.delivery.email).toBe(true);
  });
});

describe('permanent failures turn the channel off, with a notice', () => {
  it.each(['gone', 'missing'])('%s: the webhook answers 410 / 404 → turned off at the first attempt', async (handle) => {
    expect(endpointHits.filter((p) => p === `/${handle}`)).toHaveLength(1);
    const [hook] = (await logOf(handle)).filter((d) => d.channel === 'webhook');
    expect(hook).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await w.api.get('/api/me', people[handle]!.token)).body.user.delivery.webhookUrl).toBeNull();
    const status = (await w.api.get('/api/me/delivery', people[handle]!.token)).body;
    expect(status.notices).toEqual([expect.objectContaining({ channel: 'webhook', message: expect.stringContaining(handle === 'gone' ? '410' : '404') })]);
    expect(status.webhookSecret).toBeNull();
  });

  it('a webhook that keeps refusing connections is turned off after five failed attempts in a row', async () => {
    const [hook] = (await logOf('down')).filter((d) => d.channel === 'webhook');
    expect(hook).toMatchObject({ status: 'failed', attempts: 5 });
    expect(receivers.down!.deliveries()).toHaveLength(0);
    expect((await w.api.get('/api/me', people.down!.token)).body.user.delivery.webhookUrl).toBeNull();
    const status = (await w.api.get('/api/me/delivery', people.down!.token)).body;
    expect(status.notices).toEqual([expect.objectContaining({ channel: 'webhook', message: expect.stringContaining('5 failed attempts') })]);
  });

  it('an SMTP 550 for her address → e-mail turned off, with a notice', async () => {
    const [mail] = (await logOf('bounce')).filter((d) => d.channel === 'email');
    expect(mail).toMatchObject({ status: 'failed', attempts: 1 });
    expect(mail!.lastError).toContain('550');
    expect(arrivals['bounce@example.com']).toBeUndefined();
    expect((await w.api.get('/api/me', people.bounce!.token)).body.user.delivery.email).toBe(false);
    const status = (await w.api.get('/api/me/delivery', people.bounce!.token)).body;
    expect(status.notices).toEqual([expect.objectContaining({ channel: 'email', message: expect.stringContaining('bounce@example.com') })]);
  });
});
