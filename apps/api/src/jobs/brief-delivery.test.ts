import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliveries, deliveryNotices, eq, users } from '@handoff/db';
import { renderBriefHtml } from '../adapters/brief/brief-html.ts';
import { createSmtpMailer, type SmtpMailer } from '../adapters/delivery/email-sender.ts';
import { startSmtpCapture, startWebhookReceiver, type SmtpCapture, type WebhookReceiver } from '../adapters/delivery/testing.ts';
import { createWebhookSender } from '../adapters/delivery/webhook-sender.ts';
import { chatPayload } from '../adapters/delivery/chat-payload.ts';
import { createBrief } from '../commands/create-brief.ts';
import { createSpace } from '../commands/create-space.ts';
import { putMember } from '../commands/put-member.ts';
import { commandTestApp, type CommandTestApp } from '../commands/testing/command-test-app.ts';
import { ManualClock } from '../domain/clock.ts';
import { backoffMs, claimDue, planDeliveries, SENDING_LEASE_MS } from '../domain/deliveries.ts';
import type { UserRow } from '../domain/model.ts';
import { userById } from '../domain/users.ts';
import { createBriefDelivery, type BriefDelivery } from './brief-delivery.ts';

const SECRET = 'test-webhook-secret';
const BASE = 'https://handoff.example.com';
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

let dir: string;
let capture: SmtpCapture;
let mailer: SmtpMailer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handoff-delivery-'));
  capture = await startSmtpCapture(dir);
  mailer = createSmtpMailer({ smtpUrl: capture.url, from: 'Handoff <brief@handoff.test>' });
  receiver = await startWebhookReceiver({ secret: SECRET });
}, 30_000);

afterAll(async () => {
  mailer?.close();
  await receiver?.stop();
  await capture?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('brief delivery', () => {
  let app: CommandTestApp;
  let clock: ManualClock;
  let job: BriefDelivery;
  let lena: UserRow;
  let n = 0;

  beforeEach(async () => {
    // Monday 9 March 2026, 07:00 in Berlin (CET): her brief is built at 08:00, work starts at 09:00.
    clock = new ManualClock(at('2026-03-09T06:00:00Z'));
    app = await commandTestApp({ clock });
    await capture.setMode({});
    const ada = await app.person('ada');
    const handle = `lena${++n}`;
    const person = await app.person(handle);
    await app.deps.db
      .update(users)
      .set({ timezone: 'Europe/Berlin', deliveryEmail: true, webhookUrl: receiver.url, webhookSecret: SECRET })
      .where(eq(users.id, person.id));
    lena = (await userById(app.deps.db, person.id))!;
    const space = await createSpace(app.deps, ada, { name: 'Platform' });
    await putMember(app.deps, space.id, lena.id, 'viewer');
    await app.deps.docs.create(ada, { spaceId: space.id, title: 'Sync API', markdown: 'The cursor is opaque.' });
    job = createBriefDelivery({
      log: app.deps.log,
      concurrency: 4,
      ctx: {
        db: app.deps.db,
        clock,
        events: app.deps.events,
        extractiveBriefWriter: app.deps.extractiveBriefWriter,
        renderBriefPage: renderBriefHtml,
        publicBase: BASE,
        transports: { email: mailer, webhook: createWebhookSender({ allowPrivate: true, timeoutMs: 2_000 }), chatPayload },
      },
    });
  });
  afterEach(async () => {
    await job.stop();
    await app.close();
  });

  /** The scheduler's build: a scheduled brief of `date`, with e-mail available. */
  async function scheduledBrief(date: string) {
    const reader = (await userById(app.deps.db, lena.id))!;
    const ctx = { ...app.deps, config: { ...app.deps.config, delivery: { ...app.deps.config.delivery, smtpUrl: capture.url } } };
    return createBrief(ctx, reader, { scheduledFor: date });
  }
  const rows = () => app.deps.db.select().from(deliveries).where(eq(deliveries.userId, lena.id)).all();
  const mailsTo = async (address: string) => (await capture.messages()).filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);
  const hooksFor = (ids: string[]) => receiver.deliveries().filter((d) => d.idempotencyKey !== undefined && ids.includes(d.idempotencyKey));

  it('plans one delivery per opted-in channel in the brief’s transaction, due at the start of work; none for a brief asked for', async () => {
    await clock.set('2026-03-09T07:00:00Z'); // 08:00 CET
    const brief = (await scheduledBrief('2026-03-09'))!;
    const planned = await rows();
    expect(planned.map((d) => [d.channel, d.target, d.localDate, d.status, d.dueAt, d.briefId]).sort()).toEqual([
      ['email', lena.email, '2026-03-09', 'pending', at('2026-03-09T08:00:00Z'), brief.id],
      ['webhook', receiver.url, '2026-03-09', 'pending', at('2026-03-09T08:00:00Z'), brief.id],
    ]);
    // Asked for by hand: stored, never delivered.
    await createBrief(app.deps, lena);
    expect(await rows()).toHaveLength(2);
    // Without SMTP configured, e-mail is not planned (the setting is kept).
    await app.deps.db.delete(deliveries);
    await clock.set('2026-03-10T07:00:00Z');
    await createBrief(app.deps, (await userById(app.deps.db, lena.id))!, { scheduledFor: '2026-03-10' });
    expect((await rows()).map((d) => d.channel)).toEqual(['webhook']);
  });

  it('keeps one delivery per channel and local day: a weekend’s briefs both fall on Monday, the newer one goes (same delivery ids)', async () => {
    await clock.set('2026-03-14T07:00:00Z'); // Saturday 08:00
    await scheduledBrief('2026-03-14');
    const first = await rows();
    await clock.set('2026-03-15T07:00:00Z'); // Sunday 08:00
    const sunday = (await scheduledBrief('2026-03-15'))!;
    const planned = await rows();
    expect(planned).toHaveLength(2);
    expect(new Set(planned.map((d) => d.briefId))).toEqual(new Set([sunday.id]));
    expect(new Set(planned.map((d) => d.id))).toEqual(new Set(first.map((d) => d.id)));
    expect(new Set(planned.map((d) => d.localDate))).toEqual(new Set(['2026-03-16']));
    expect(planned.every((d) => d.dueAt === at('2026-03-16T08:00:00Z'))).toBe(true); // Monday 09:00 CET
  });

  it('delivers the morning brief, not an evening catch-up built after work (the server started at 18:00)', async () => {
    await clock.set('2026-03-09T17:00:00Z'); // Monday 18:00: Monday's brief, caught up after work
    await scheduledBrief('2026-03-09');
    await clock.set('2026-03-10T07:00:00Z'); // Tuesday 08:00
    const tuesday = (await scheduledBrief('2026-03-10'))!;
    const planned = await rows();
    expect(planned).toHaveLength(2);
    expect(planned.every((d) => d.briefId === tuesday.id && d.localDate === '2026-03-10')).toBe(true);
    await clock.set('2026-03-10T08:00:00Z'); // 09:00: work starts
    expect(await job.runDue()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect((await rows()).every((d) => d.status === 'sent' && d.briefId === tuesday.id)).toBe(true);
  });

  it('a delivery being sent or sent keeps its brief: a newer brief of that day plans nothing more', async () => {
    await clock.set('2026-03-09T07:00:00Z');
    const monday = (await scheduledBrief('2026-03-09'))!;
    await clock.set('2026-03-09T08:00:00Z');
    expect((await job.runDue()).sent).toBe(2);
    await clock.set('2026-03-09T09:00:00Z');
    const later = (await createBrief(app.deps, lena))!; // stored; plan its deliveries as if scheduled
    expect(await app.deps.db.transaction((tx) => planDeliveries(tx, later, { emailAvailable: true }))).toEqual([]);
    const planned = await rows();
    expect(planned).toHaveLength(2);
    expect(planned.every((d) => d.briefId === monday.id && d.status === 'sent')).toBe(true);
  });

  it('sends nothing before work starts, then the e-mail (multipart, Message-ID, one-click unsubscribe) and the signed webhook once', async () => {
    await clock.set('2026-03-09T07:00:00Z');
    await scheduledBrief('2026-03-09');
    expect(await job.runDue(at('2026-03-09T07:59:59Z'))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await job.runDue(at('2026-03-09T08:00:00Z'))).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(await job.runDue(at('2026-03-09T08:05:00Z'))).toEqual({ sent: 0, retried: 0, failed: 0 });
    const [email, webhook] = ['email', 'webhook'].map((c) => (async () => (await rows()).find((d) => d.channel === c)!)());
    const e = (await email)!;
    const w = (await webhook)!;
    expect([e.status, e.attempts, e.sentAt, w.status, w.attempts]).toEqual(['sent', 1, at('2026-03-09T08:00:00Z'), 'sent', 1]);

    const mails = await mailsTo(lena.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.messageId).toBe(`<${e.id}@handoff>`);
    expect(mail.subject).toBe('Your Handoff brief — 1 change');
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    const rawHeaders = Object.fromEntries(mail.headerLines.map(({ key, line }) => [key, line]));
    expect(rawHeaders['list-unsubscribe-post']).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.headers.get('list')).toMatchObject({ unsubscribe: { url: `${BASE}/api/unsubscribe/${e.id}` } });
    expect(mail.text).toContain('Sync API');
    expect(mail.text).toContain(`${BASE}/api/unsubscribe/${e.id}`);
    expect(mail.html).toContain(`href="${BASE}/docs/`); // links absolute on the public URL
    expect(mail.html).toContain(`${BASE}/api/unsubscribe/${e.id}`);
    expect(mail.html).not.toMatch(/<script|<img|<link /i);

    const hooks = hooksFor([w.id]);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ signatureValid: true, duplicate: false });
    expect(JSON.stringify(hooks[0]!.body)).toContain(`${BASE}/docs/`);
  });

  it('never sends outside working hours: a delivery whose hours moved waits for them, one whose day ended is given up', async () => {
    await clock.set('2026-03-09T07:00:00Z');
    await scheduledBrief('2026-03-09');
    // She starts at 10:00 from today on: at 09:00 nothing goes, at 10:00 everything does.
    await app.deps.db.update(users).set({ workStart: '10:00' }).where(eq(users.id, lena.id));
    expect(await job.runDue(at('2026-03-09T08:00:00Z'))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(new Set((await rows()).map((d) => d.nextAttemptAt))).toEqual(new Set([at('2026-03-09T09:00:00Z')]));
    expect((await job.runDue(at('2026-03-09T09:00:00Z'))).sent).toBe(2);

    // Tuesday: the server was down all day; at 17:00 her day is over: Tuesday's deliveries wait for her Wednesday start (10:00).
    await clock.set('2026-03-10T07:00:00Z');
    await scheduledBrief('2026-03-10');
    expect(await job.runDue(at('2026-03-10T16:00:00Z'))).toEqual({ sent: 0, retried: 0, failed: 0 });
    const tuesday = async () => (await rows()).filter((d) => d.localDate === '2026-03-10');
    expect((await tuesday()).map((d) => [d.status, d.attempts, d.nextAttemptAt])).toEqual([
      ['pending', 0, at('2026-03-11T09:00:00Z')],
      ['pending', 0, at('2026-03-11T09:00:00Z')],
    ]);
    // Wednesday's brief (08:00) supersedes them: at 10:00 (her start) only Wednesday's go, one per channel.
    await clock.set('2026-03-11T07:00:00Z');
    await scheduledBrief('2026-03-11');
    expect((await tuesday()).map((d) => [d.status, d.lastError])).toEqual([
      ['failed', 'superseded by a newer brief'],
      ['failed', 'superseded by a newer brief'],
    ]);
    expect(await job.runDue(at('2026-03-11T09:00:00Z'))).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect((await rows()).filter((d) => d.status === 'sent').map((d) => d.localDate).sort()).toEqual(['2026-03-09', '2026-03-09', '2026-03-11', '2026-03-11']);
  });

  it('sends a late delivery on the next working day when no newer brief came, and then no other that day', async () => {
    await app.deps.db.update(users).set({ deliveryEmail: false }).where(eq(users.id, lena.id));
    await clock.set('2026-03-13T07:00:00Z'); // Friday 08:00
    await scheduledBrief('2026-03-13');
    // Down until Monday 10:00 (her Monday brief is not built either).
    expect(await job.runDue(at('2026-03-16T09:00:00Z'))).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [friday] = await rows();
    expect([friday!.localDate, friday!.sentAt]).toEqual(['2026-03-13', at('2026-03-16T09:00:00Z')]);
    // Monday's brief, built late, has no webhook delivery: one went today already.
    await clock.set('2026-03-16T09:01:00Z');
    await scheduledBrief('2026-03-16');
    expect(await rows()).toHaveLength(1);
  });

  it('retries a temporary SMTP failure with exponential backoff, then sends', async () => {
    await app.deps.db.update(users).set({ webhookUrl: null, webhookSecret: null }).where(eq(users.id, lena.id));
    await capture.setMode({ rcpt: { [lena.email]: 451 } });
    await clock.set('2026-03-09T07:00:00Z');
    await scheduledBrief('2026-03-09');
    let now = at('2026-03-09T08:00:00Z');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await job.runDue(now)).toEqual({ sent: 0, retried: 1, failed: 0 });
      const [d] = await rows();
      expect([d!.status, d!.attempts]).toEqual(['pending', attempt]);
      expect(d!.lastError).toContain('451');
      expect(d!.nextAttemptAt - now).toBe(backoffMs(d!.id, attempt));
      waits.push(d!.nextAttemptAt - now);
      expect(await job.runDue(d!.nextAttemptAt - 1)).toEqual({ sent: 0, retried: 0, failed: 0 }); // not before its time
      now = d!.nextAttemptAt;
    }
    // 1, 2, 4 minutes, each within ±20%.
    waits.forEach((w, i) => expect(Math.abs(w - MINUTE * 2 ** i)).toBeLessThanOrEqual(0.2 * MINUTE * 2 ** i));
    await capture.setMode({});
    expect(await job.runDue(now)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 4, lastError: null });
    expect(await mailsTo(lena.email)).toHaveLength(1);
  });

  it('turns e-mail off with a notice after a permanent failure (5xx), and a webhook that refuses the brief (401)', async () => {
    await app.deps.db.update(users).set({ webhookSecret: 'not-the-receiver-secret' }).where(eq(users.id, lena.id));
    await capture.setMode({ rcpt: { [lena.email]: 550 } });
    await clock.set('2026-03-09T07:00:00Z');
    await scheduledBrief('2026-03-09');
    expect(await job.runDue(at('2026-03-09T08:00:00Z'))).toEqual({ sent: 0, retried: 0, failed: 2 });
    expect((await rows()).map((d) => [d.channel, d.status, d.attempts]).sort()).toEqual([
      ['email', 'failed', 1],
      ['webhook', 'failed', 1],
    ]);
    expect(await userById(app.deps.db, lena.id)).toMatchObject({ deliveryEmail: false, webhookUrl: null, webhookSecret: null });
    const notices = await app.deps.db.select().from(deliveryNotices).where(eq(deliveryNotices.userId, lena.id)).all();
    expect(notices.map((x) => x.channel).sort()).toEqual(['email', 'webhook']);
    expect(notices.find((x) => x.channel === 'email')!.message).toContain('550');
    expect(notices.find((x) => x.channel === 'webhook')!.message).toContain('401');
    expect(app.published.filter((e) => e.topic === 'user.access')).toHaveLength(2);
  });

  it('turns a webhook off after 5 failed attempts in a row', async () => {
    await app.deps.db.update(users).set({ deliveryEmail: false }).where(eq(users.id, lena.id));
    await receiver.failNext('500', 5);
    await clock.set('2026-03-09T07:00:00Z');
    await scheduledBrief('2026-03-09');
    let now = at('2026-03-09T08:00:00Z');
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await job.runDue(now)).toEqual({ sent: 0, retried: 1, failed: 0 });
      now = (await rows())[0]!.nextAttemptAt;
    }
    expect(await job.runDue(now)).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect((await rows())[0]).toMatchObject({ status: 'failed', attempts: 5 });
    expect((await userById(app.deps.db, lena.id))!.webhookUrl).toBeNull();
    const [notice] = await app.deps.db.select().from(deliveryNotices).where(eq(deliveryNotices.userId, lena.id)).all();
    expect(notice!.message).toContain('5 failed attempts');
  });

  it('takes over a delivery a crashed run left "sending" once its lease ends; the receiver sees the same idempotency key', async () => {
    await app.deps.db.update(users).set({ deliveryEmail: false }).where(eq(users.id, lena.id));
    await clock.set('2026-03-09T07:00:00Z');
    await scheduledBrief('2026-03-09');
    const now = at('2026-03-09T08:00:00Z');
    // A run claims it, posts it, and dies before recording "sent".
    const { claimed } = await claimDue(app.deps.db, now, 10);
    expect(claimed).toHaveLength(1);
    const d = claimed[0]!.delivery;
    const sender = createWebhookSender({ allowPrivate: true });
    expect(await sender.send({ url: receiver.url, secret: SECRET, body: { text: 'first attempt' }, idempotencyKey: d.id, timestamp: Math.floor(Date.now() / 1000) })).toEqual({ ok: true });
    // Another run within the lease leaves it alone; after it, sends it again (attempt 2).
    expect(await job.runDue(now + SENDING_LEASE_MS - 1)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await job.runDue(now + SENDING_LEASE_MS)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect((await rows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(hooksFor([d.id]).map((h) => h.duplicate)).toEqual([false, true]);
  });

  it('does not hold the other deliveries behind a receiver that never answers (a few sends at once, each with a deadline)', async () => {
    // 12 readers with webhooks; the first request never gets an answer (the sender's deadline ends it).
    const job2 = createBriefDelivery({
      log: app.deps.log,
      concurrency: 3,
      batchSize: 4,
      ctx: {
        db: app.deps.db,
        clock,
        events: app.deps.events,
        extractiveBriefWriter: app.deps.extractiveBriefWriter,
        renderBriefPage: renderBriefHtml,
        publicBase: BASE,
        transports: { email: null, webhook: createWebhookSender({ allowPrivate: true, timeoutMs: 500 }), chatPayload },
      },
    });
    await clock.set('2026-03-09T07:00:00Z');
    const people: UserRow[] = [];
    for (let i = 0; i < 12; i++) {
      const p = await app.person(`reader${n}x${i}`);
      await app.deps.db.update(users).set({ timezone: 'Europe/Berlin', webhookUrl: receiver.url, webhookSecret: SECRET }).where(eq(users.id, p.id));
      people.push((await userById(app.deps.db, p.id))!);
      await createBrief(app.deps, people[i]!, { scheduledFor: '2026-03-09' });
    }
    await receiver.failNext('timeout', 1);
    const started = performance.now();
    const summary = await job2.runDue(at('2026-03-09T08:00:00Z'));
    const elapsed = performance.now() - started;
    expect(summary).toEqual({ sent: 11, retried: 1, failed: 0 });
    expect(elapsed).toBeLessThan(5_000);
  });
});
