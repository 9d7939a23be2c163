import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import type { Person } from '../api/client.ts';
import type { Brief } from '../briefs/helpers.ts';
import { DeliveryWorld, localTime, MAIL_FROM, signedWith, type PersonalReceiver } from './harness.ts';

/*
 * Issue 11's hidden story, end to end: Lena in Berlin (08:00–17:00 Mon–Fri, brief at 08:00, e-mail
 * and a chat webhook on) opens a decision on Monday in an open space she is not a member of.
 * Overnight two people in San Francisco move it proposed → accepted → superseded, each with a
 * reason, and change the Sync API spec that Lena's own Mobile client plan links to. The clock is
 * driven minute by minute from Monday 07:30 to Wednesday 09:00 Berlin time, running the brief
 * scheduler and the delivery job at every minute, as the server's timers do. Her brief reaches the
 * real SMTP capture server and her real webhook receiver once a working day, at 08:00 local and at
 * no other minute; Tuesday's leads with the decision, both changes and both reasons, and has the
 * spec under `linked`.
 */

const ZONE = 'Europe/Berlin';
let w: DeliveryWorld;
let lena: Person;
let marcus: Person;
let sam: Person;
let receiver: PersonalReceiver;
let decisionId: string;
let specId: string;
let planId: string;
const mailArrivals: number[] = [];
const hookArrivals: number[] = [];
let tuesday: Brief;
let mails: ParsedMail[];
let tuesdayMail: ParsedMail;

const DECISION_WHY_1 = 'Load test passed at 3x peak traffic';
const DECISION_WHY_2 = 'Security review found a replay bug; the new engine moves to 4.3';

beforeAll(async () => {
  // Monday 9 March 2026, 07:00 in Berlin (UTC+1); San Francisco is on PDT (UTC-7) since 8 March.
  w = await DeliveryWorld.start('2026-03-09T06:00:00Z');
  const { api } = w;
  await w.person('ops', { timezone: 'Pacific/Kiritimati', name: 'Workspace Admin' });
  marcus = await w.person('marcus', { timezone: 'America/Los_Angeles', name: 'Marcus Lee' });
  sam = await w.person('sam', { timezone: 'America/Los_Angeles', name: 'Sam Okafor' });
  lena = await w.person('lena', { name: 'Lena Fischer', workDays: [1, 2, 3, 4, 5], workStart: '08:00', workEnd: '17:00', briefHour: 8 });
  receiver = await w.bothChannels(lena);

  // San Francisco's open space (Lena is not a member), with a proposed decision and the API spec.
  const sync = await api.space(marcus, 'Sync');
  decisionId = (await api.doc(marcus, sync, 'ADR 7: Offline sync engine', 'We adopt the new sync engine for release 4.2.', { kind: 'decision', decision: { status: 'proposed' } })).id;
  specId = (await api.doc(marcus, sync, 'Sync API spec', '## Endpoint\n\nGET /sync returns a page of changes.')).id;
  // Lena's own plan links to the spec.
  const mobile = await api.space(lena, 'Mobile');
  planId = (await api.doc(lena, mobile, 'Mobile client plan', `The client pages through the [Sync API spec](/docs/${specId}).`)).id;

  const edit = async (who: Person, id: string, body: Record<string, unknown>) => {
    const res = await api.patch(`/api/docs/${id}`, body, who.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  await w.clock.set('2026-03-09T06:30:00Z');
  const end = Date.parse('2026-03-10T08:00:00Z') + 24 * 3_600_000; // Wednesday 09:00 Berlin
  const events = new Map<number, () => Promise<void>>([
    // Monday 14:00 Berlin: Lena reads the decision (she never joins its space).
    [Date.parse('2026-03-09T13:00:00Z'), async () => expect((await api.get(`/api/docs/${decisionId}`, lena.token)).status).toBe(200)],
    // Monday 17:30 PDT (Tuesday 01:30 Berlin): accepted, with a reason.
    [Date.parse('2026-03-10T00:30:00Z'), () => edit(marcus, decisionId, { decision: { status: 'accepted' }, message: DECISION_WHY_1 })],
    // Monday 18:00 PDT: the spec changes.
    [Date.parse('2026-03-10T01:00:00Z'), () => edit(marcus, specId, { markdown: '## Endpoint\n\nGET /sync returns a page of changes and an opaque cursor for the next page.', message: 'Opaque cursors' })],
    // Monday 20:00 PDT (Tuesday 04:00 Berlin): superseded, with another reason.
    [Date.parse('2026-03-10T03:00:00Z'), () => edit(sam, decisionId, { decision: { status: 'superseded' }, message: DECISION_WHY_2 })],
  ]);
  while (w.clock.now() < end) {
    await w.minute();
    await events.get(w.clock.now())?.();
    const mailsNow = w.mailCount();
    while (mailArrivals.length < mailsNow) mailArrivals.push(w.clock.now());
    const hooksNow = receiver.deliveries().length;
    while (hookArrivals.length < hooksNow) hookArrivals.push(w.clock.now());
  }

  mails = await w.smtp.messages();
  const log = (await api.get('/api/me/delivery', lena.token)).body.log as Array<{ briefId: string; localDate: string; channel: string; sentAt: string | null; status: string }>;
  const tuesdayEntry = log.find((d) => d.localDate === '2026-03-10' && d.channel === 'email')!;
  const res = await api.get(`/api/briefs/${tuesdayEntry.briefId}`, lena.token);
  expect(res.status).toBe(200);
  tuesday = res.body.brief;
  tuesdayMail = mails[mailArrivals.findIndex((at) => localTime(ZONE, at).date === '2026-03-10')]!;
}, 300_000);

afterAll(async () => {
  await receiver?.stop();
  await w?.close();
});

const berlin = (ms: number) => {
  const t = localTime(ZONE, ms);
  return `${t.date} ${t.hm}`;
};

describe('Lena in Berlin gets her brief at 08:00, by e-mail and by webhook, once a working day', () => {
  it('arrives at 08:00 local on each working day, at no other minute', () => {
    const expected = ['2026-03-09 08:00', '2026-03-10 08:00', '2026-03-11 08:00'];
    expect(mailArrivals.map(berlin)).toEqual(expected);
    expect(hookArrivals.map(berlin)).toEqual(expected);
  });

  it('between Monday 17:00 and Wednesday 08:00, exactly one e-mail and one webhook: at Tuesday 08:00', () => {
    const from = Date.parse('2026-03-09T16:00:00Z');
    const to = Date.parse('2026-03-11T07:00:00Z');
    const inside = (list: number[]) => list.filter((at) => at >= from && at < to).map(berlin);
    expect(inside(mailArrivals)).toEqual(['2026-03-10 08:00']);
    expect(inside(hookArrivals)).toEqual(['2026-03-10 08:00']);
  });

  it('records the sends in the delivery log at the minute they arrived', async () => {
    const log = (await w.api.get('/api/me/delivery', lena.token)).body.log as Array<{ channel: string; localDate: string; status: string; sentAt: string; attempts: number }>;
    const sent = log.filter((d) => d.status === 'sent').map((d) => `${d.channel} ${d.localDate} ${berlin(Date.parse(d.sentAt))} ${d.attempts}`);
    expect(sent.sort()).toEqual([
      'email 2026-03-09 2026-03-09 08:00 1',
      'email 2026-03-10 2026-03-10 08:00 1',
      'email 2026-03-11 2026-03-11 08:00 1',
      'webhook 2026-03-09 2026-03-09 08:00 1',
      'webhook 2026-03-10 2026-03-10 08:00 1',
      'webhook 2026-03-11 2026-03-11 08:00 1',
    ]);
    expect(log.every((d) => d.status === 'sent')).toBe(true);
  });
});

describe("Tuesday's brief", () => {
  it('leads with the decision she opened (not a member of its space): both status changes, both reasons', () => {
    expect(berlin(Date.parse(tuesday.until))).toBe('2026-03-10 08:00');
    const first = tuesday.items[0]!;
    expect(first.docId).toBe(decisionId);
    expect(first.reasons[0]).toBe('decision');
    expect(first.authors.sort()).toEqual([marcus.id, sam.id].sort());
    expect(first.fromRevision).toBe(1);
    expect(first.toRevision).toBe(3);
    const md = tuesday.markdown;
    expect(md).toContain('proposed → accepted → **superseded**');
    expect(md).toContain(DECISION_WHY_1);
    expect(md).toContain(DECISION_WHY_2);
    expect(md.indexOf(DECISION_WHY_1)).toBeLessThan(md.indexOf(DECISION_WHY_2));
  });

  it('has the spec her plan links to, under `linked`', () => {
    const spec = tuesday.items.find((i) => i.docId === specId);
    expect(spec, JSON.stringify(tuesday.items.map((i) => [i.title, i.reasons]))).toBeDefined();
    expect(spec!.reasons).toContain('linked');
    expect((spec as unknown as { linkedVia?: { docId: string; direction: string } }).linkedVia).toMatchObject({ docId: planId, direction: 'links-to' });
    expect(tuesday.items.findIndex((i) => i.docId === specId)).toBeGreaterThan(0);
  });
});

describe('the e-mail', () => {
  it('comes from HANDOFF_MAIL_FROM to her address, with a subject that counts the decision', () => {
    expect(mails).toHaveLength(3);
    expect(tuesdayMail.from?.value).toEqual([{ address: 'briefs@handoff.test', name: 'Handoff Briefs' }]);
    expect(MAIL_FROM).toContain('briefs@handoff.test');
    const to = Array.isArray(tuesdayMail.to) ? tuesdayMail.to : [tuesdayMail.to];
    expect(to.flatMap((a) => a?.value.map((v) => v.address))).toEqual(['lena@example.com']);
    expect(tuesdayMail.subject).toMatch(/^Your Handoff brief — \d+ changes?, 1 decision$/);
  });

  it('has a text part and an HTML part, without scripts or remote images, with absolute links to the decision', () => {
    const html = String(tuesdayMail.html);
    const text = tuesdayMail.text ?? '';
    expect(text).toContain(DECISION_WHY_2);
    expect(html).toContain('superseded');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img\b[^>]*\bsrc\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href.startsWith(`${w.base}/`), href).toBe(true);
    expect(hrefs.some((h) => h.startsWith(`${w.base}/docs/${decisionId}`))).toBe(true);
    expect(text).toContain(`${w.base}/docs/${decisionId}`);
  });

  it('has List-Unsubscribe and List-Unsubscribe-Post; GET of the link does not unsubscribe, the one-click POST does', async () => {
    const header = (key: string) => tuesdayMail.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, '');
    const listUnsubscribe = header('list-unsubscribe');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const url = /<(https?:[^>]+)>/.exec(listUnsubscribe ?? '')?.[1];
    expect(url, listUnsubscribe).toBeDefined();
    expect(url!.startsWith(`${w.base}/api/unsubscribe/`)).toBe(true);
    expect(tuesdayMail.text).toContain(url);

    const page = await w.api.call('GET', url!);
    expect(page.status).toBe(200);
    expect((await w.api.get('/api/me', lena.token)).body.user.delivery.email).toBe(true);

    const res = await w.api.call('POST', url!, { body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status, String(res.body)).toBe(200);
    const me = (await w.api.get('/api/me', lena.token)).body.user;
    expect(me.delivery.email).toBe(false);
    expect(me.delivery.webhookUrl).toBe(receiver.url); // only e-mail is turned off
  });
});

describe('the webhook', () => {
  it('is signed with her secret, carries an idempotency key and Slack-compatible text + blocks linking to the decision', async () => {
    const all = receiver.deliveries();
    expect(all).toHaveLength(3);
    expect(all.every((d) => d.signatureValid && !d.duplicate)).toBe(true);
    const keys = all.map((d) => d.idempotencyKey);
    expect(keys.every((k) => typeof k === 'string' && k.length > 0)).toBe(true);
    expect(new Set(keys).size).toBe(3);

    const hook = all[hookArrivals.findIndex((at) => localTime(ZONE, at).date === '2026-03-10')]!;
    const secret = await w.webhookSecret(lena);
    expect(secret).toBe(receiver.secret.value);
    // The signature is checked again here over the body as it was sent (JSON of the parsed body).
    expect(signedWith(secret, hook.headers, JSON.stringify(hook.body))).toBe(true);
    expect(signedWith('another secret', hook.headers, JSON.stringify(hook.body))).toBe(false);

    const body = hook.body as { text: string; blocks: Array<{ type: string; text?: { text: string } }> };
    expect(typeof body.text).toBe('string');
    expect(body.text).toContain('ADR 7: Offline sync engine');
    expect(Array.isArray(body.blocks) && body.blocks.length).toBeGreaterThan(1);
    const blocksJson = JSON.stringify(body.blocks);
    expect(blocksJson).toContain(`${w.base}/docs/${decisionId}`);
    // The decision is the first item block (after the header).
    const firstItem = body.blocks.find((b) => b.type === 'section' && b.text?.text.includes('/docs/'));
    expect(firstItem?.text?.text).toContain(`/docs/${decisionId}`);
  });
});
