import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { simpleParser } from 'mailparser';
import { createTestApp, loadConfig, ManualClock } from '@handoff/api/testing';
import { startSmtpCapture, startWebhookReceiver } from '@handoff/api/delivery-testing';
import { eq, memberships, spaces, users } from '@handoff/db';
import { fmt, percentile } from './lib.ts';

/**
 * Delivery (issue 11): 10,000 readers spread evenly over 24 time zones, each with e-mail and a chat
 * webhook on, brief at 08:00 local; one simulated day (00:01 → 24:00 UTC, so that every zone's
 * 08:00 comes exactly once) driven minute by minute with a ManualClock, running the brief scheduler
 * and the delivery job at every minute as the server's timers would. E-mails go to the real SMTP
 * capture server (its own process, writing each message to disk), webhooks to the real signed
 * webhook receiver (in this process).
 *
 * Working hours are the defaults (Mon–Fri, until 17:00) except that they start at the brief hour
 * (08:00): a brief is then due for delivery at the very minute it is built, and the delay measured
 * covers building it and sending it. (With the default 09:00 start, delivery waits by design until
 * 09:00; the work is the same, split over two minutes.)
 *
 * Delay: the clock is manual, so the delay is measured in real time: for each minute step, from the
 * step's start (before the scheduler runs) to the moment each of that minute's deliveries reached
 * the SMTP server (the message file's mtime) or the receiver (its receipt time). Goal (issue 11):
 * p95 ≤ 60 s at 10,000 readers.
 *
 * Floor, measured in the same run: the same number of e-mails (the same message, parsed from one we
 * delivered) through a bare nodemailer transport to the same SMTP server, and the same number of
 * signed POSTs (the same body) to the same receiver, 8 at a time as the delivery job sends.
 *
 * Content: 10 open spaces, every reader a member of one or two; 200 documents written over the two
 * days before (one in 20 a decision), and a document edited every 30 simulated minutes of the day.
 *
 * Yesterday: every reader is set "away until" the end of her Tuesday working day, which the
 * scheduler reads as "no brief owed for Tuesday"; without it, the first run would build Tuesday's
 * brief late in the evening for the zones west of UTC (a catch-up), and that one would take
 * Wednesday's delivery slot. Zones already past 08:00 on Wednesday at 00:00 UTC get theirs in a
 * warm-up run at 00:00 (not measured).
 *
 * Minutes: the clock moves minute by minute and the delivery job runs at every minute. The
 * scheduler runs at every minute at which one of the 24 zones reaches 08:00 (:00 and :30 UTC: no
 * brief can become due at any other minute, since every reader's brief hour is 08:00 local, none is
 * away and none is owed one) and, to measure what an idle minute costs at this size, at minute :07
 * of every hour. HANDOFF_BENCH_DELIVERY_EVERY_MINUTE=1 runs it at every minute (slower: its idle
 * run reads every person). HANDOFF_BENCH_DELIVERY_USERS changes the number of readers.
 */

const READERS = Number(process.env.HANDOFF_BENCH_DELIVERY_USERS ?? 10_000);
const SPACES = 10;
const DOCS = 200;
const CONCURRENCY = 8; // the delivery job's default
const MINUTE = 60_000;
const DAY_START = Date.parse('2026-03-11T00:00:00Z'); // a Wednesday: every zone's 08:00 falls on a weekday
const SECRET = 'bench-webhook-secret';
const EVERY_MINUTE = process.env.HANDOFF_BENCH_DELIVERY_EVERY_MINUTE === '1';

/** The instant at which the wall clock of `zone` shows `local` ("YYYY-MM-DDTHH:MM"). */
function instantOf(zone: string, local: string): number {
  const wanted = Date.parse(`${local}:00Z`);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(guess)
        .map((x) => [x.type, x.value]),
    );
    const shown = Date.parse(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:00Z`);
    guess += wanted - shown;
  }
  return guess;
}

const ZONES = [
  'Pacific/Honolulu', 'America/Anchorage', 'America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York',
  'America/Halifax', 'America/Sao_Paulo', 'Atlantic/South_Georgia', 'Atlantic/Azores', 'Europe/London', 'Europe/Berlin',
  'Europe/Athens', 'Europe/Moscow', 'Asia/Dubai', 'Asia/Karachi', 'Asia/Kolkata', 'Asia/Dhaka',
  'Asia/Bangkok', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Noumea', 'Pacific/Auckland',
];

const WORDS = 'release sync engine cursor shard client offline server latency budget review security rollout region migration database index query cache replica failover deploy pipeline owner team roadmap customer storage backup restore schema snapshot merge conflict editor decision'.split(' ');

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `work` over `items` with at most `limit` at once. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function signedPost(url: string, body: string): Promise<void> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-handoff-timestamp': timestamp, 'x-handoff-signature': signature, 'idempotency-key': `floor-${Math.random()}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`receiver answered ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runDeliveryBench() {
  const random = rng(11);
  const mailDir = mkdtempSync(join(tmpdir(), 'handoff-bench-mail-'));
  const smtp = await startSmtpCapture(mailDir);
  const receiver = await startWebhookReceiver({ secret: SECRET });
  const clock = new ManualClock(DAY_START - 2 * 24 * 60 * MINUTE);
  const t = await createTestApp({
    clock,
    startIndexer: false,
    config: {
      signup: 'open',
      publicUrl: 'https://handoff.example',
      delivery: { ...loadConfig({}).delivery, smtpUrl: smtp.url, mailFrom: 'Handoff <briefs@handoff.example>', webhookAllowPrivate: true },
    },
  });
  try {
    const { db, docs } = t.deps;
    const setupStart = performance.now();
    const signup = async (handle: string) => {
      const res = await t.app.request('/api/auth/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${handle}@bench.example`, name: handle, handle, password: 'bench password 1', timezone: 'UTC' }),
      });
      return ((await res.json()) as { user: { id: string } }).user.id;
    };
    const admin = await signup('admin');
    const writerIds = [await signup('writer1'), await signup('writer2'), await signup('writer3')];
    const writers = await Promise.all(writerIds.map(async (id) => (await db.select().from(users).where(eq(users.id, id)).get())!));
    const now = () => clock.now();

    const spaceIds: string[] = [];
    for (let s = 0; s < SPACES; s++) {
      const id = `bench-space-${s}`;
      await db.insert(spaces).values({ id, name: `Team ${s}`, private: false, createdBy: admin, createdAt: now(), updatedAt: now() });
      spaceIds.push(id);
    }
    const tuesdayEnd = new Map(ZONES.map((zone) => [zone, instantOf(zone, '2026-03-10T17:00')]));
    // The readers, straight into the table: evenly over the zones, both channels on, one receiver secret.
    for (let from = 0; from < READERS; from += 1_000) {
      const batch: Array<typeof users.$inferInsert> = [];
      const member: Array<typeof memberships.$inferInsert> = [];
      for (let r = from; r < Math.min(READERS, from + 1_000); r++) {
        const id = `bench-reader-${r}`;
        batch.push({
          id,
          email: `r${r}@bench.example`,
          name: `Reader ${r}`,
          handle: `r${r}`,
          passwordHash: 'x',
          timezone: ZONES[r % ZONES.length]!,
          briefHour: 8,
          workStart: '08:00',
          deliveryEmail: true,
          webhookUrl: receiver.url,
          webhookSecret: SECRET,
          awayUntil: tuesdayEnd.get(ZONES[r % ZONES.length]!)!,
          createdAt: now(),
          updatedAt: now(),
        });
        const first = r % SPACES;
        member.push({ spaceId: spaceIds[first]!, userId: id, role: 'editor', createdAt: now() });
        if (random() < 0.5) member.push({ spaceId: spaceIds[(first + 1 + Math.floor(random() * (SPACES - 1))) % SPACES]!, userId: id, role: 'editor', createdAt: now() });
      }
      await db.insert(users).values(batch);
      await db.insert(memberships).values(member);
    }
    // The writers are not readers of this benchmark: their briefs come at 23:00 UTC, with no channel.
    for (const id of [admin, ...writerIds]) await db.update(users).set({ briefHour: 23 }).where(eq(users.id, id));

    const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' ');
    const created: string[] = [];
    for (let i = 0; i < DOCS; i++) {
      await clock.advance(14 * MINUTE);
      const decision = i % 20 === 0;
      const doc = await docs.create(writers[i % 3]!, {
        spaceId: spaceIds[i % SPACES]!,
        title: `${decision ? 'ADR' : 'Note'} ${i}: ${sentence(4)}`,
        markdown: `## Context\n\n${sentence(40)}.\n\n## Plan\n\n${sentence(60)}.`,
        ...(decision ? { kind: 'decision' as const, decision: { status: 'proposed' as const } } : {}),
      });
      created.push(doc.id);
    }
    await clock.set(DAY_START);
    // Zones already past 08:00 at 00:00 UTC get today's brief now (not measured): from here on,
    // every zone's 08:00 comes exactly once in the simulated day.
    const warmBuilt = await t.deps.briefScheduler.runDue();
    const warmSent = await t.deps.briefDelivery.runDue();
    const setupSeconds = (performance.now() - setupStart) / 1000;
    const receivedBefore = receiver.deliveries().length;
    const mailsBefore = new Set(readdirSync(mailDir).filter((n) => n.endsWith('.eml')));

    // The day, minute by minute.
    const steps: Array<{ start: number; end: number }> = [];
    let built = 0;
    let sent = 0;
    let buildMs = 0;
    let sendMs = 0;
    let busySteps = 0;
    const idleStepMs: number[] = [];
    const dayStart = performance.now();
    for (let minute = 1; minute <= 24 * 60; minute++) {
      await clock.advance(MINUTE);
      if (minute % 30 === 0) {
        const i = minute / 30;
        await docs.patch(writers[i % 3]!, created[(i * 37) % DOCS]!, { markdown: `## Context\n\n${sentence(40)}.\n\n## Plan\n\n${sentence(60)}.`, message: `Update ${i}` });
      }
      const wallStart = Date.now();
      const t0 = performance.now();
      const schedulerRuns = EVERY_MINUTE || minute % 30 === 0 || minute % 60 === 7;
      const b = schedulerRuns ? await t.deps.briefScheduler.runDue() : 0;
      const t1 = performance.now();
      const s = await t.deps.briefDelivery.runDue();
      const t2 = performance.now();
      steps.push({ start: wallStart, end: Date.now() });
      built += b;
      sent += s.sent;
      if (b || s.sent || s.retried || s.failed) {
        busySteps++;
        buildMs += t1 - t0;
        sendMs += t2 - t1;
      } else if (schedulerRuns) idleStepMs.push(t2 - t0);
    }
    const dayMs = performance.now() - dayStart;

    // Arrivals in real time: the receiver's receipt times, the message files' mtimes.
    const arrivals: number[] = receiver
      .deliveries()
      .slice(receivedBefore)
      .map((d) => d.receivedAt.getTime());
    const newMails = readdirSync(mailDir).filter((n) => n.endsWith('.eml') && !mailsBefore.has(n));
    for (const name of newMails) arrivals.push(statSync(join(mailDir, name)).mtimeMs);
    const delays: number[] = [];
    let stepIndex = 0;
    for (const at of arrivals.sort((a, b) => a - b)) {
      while (stepIndex + 1 < steps.length && steps[stepIndex + 1]!.start <= at) stepIndex++;
      delays.push(at - steps[stepIndex]!.start);
    }
    delays.sort((a, b) => a - b);
    const webhooks = receiver.deliveries().length - receivedBefore;
    const duplicates = receiver.deliveries().filter((d) => d.duplicate || !d.signatureValid).length;

    // The floor: the same messages, bare, 8 at a time.
    const sample = await simpleParser(readFileSync(join(mailDir, newMails[0]!)));
    const hookBody = JSON.stringify(receiver.deliveries().at(-1)!.body);
    const transport = nodemailer.createTransport({ url: smtp.url });
    const jobs: Array<() => Promise<void>> = [];
    for (let i = 0; i < Math.max(newMails.length, webhooks); i++) {
      if (i < newMails.length) {
        jobs.push(async () => {
          await transport.sendMail({ from: 'Handoff <briefs@handoff.example>', to: `r${i}@bench.example`, subject: sample.subject, text: sample.text, html: String(sample.html), messageId: `<floor-${i}@handoff>` });
        });
      }
      if (i < webhooks) jobs.push(() => signedPost(receiver.url, hookBody));
    }
    const floorStart = performance.now();
    await inPool(jobs, CONCURRENCY, (job) => job());
    const floorMs = performance.now() - floorStart;
    transport.close();

    const p95 = percentile(delays, 95);
    const max = delays.at(-1) ?? 0;
    const idle = [...idleStepMs].sort((a, b) => a - b);
    const result = {
      readers: READERS,
      zones: ZONES.length,
      setupSeconds,
      warmUp: { built: warmBuilt, sent: warmSent.sent },
      built,
      deliveries: { sent, emails: newMails.length, webhooks, duplicatesOrBadSignatures: duplicates },
      busySteps,
      schedulerEveryMinute: EVERY_MINUTE,
      dayMs,
      buildMs,
      sendMs,
      briefsPerSecond: built / (buildMs / 1000),
      deliveriesPerSecond: sent / (sendMs / 1000),
      delayMs: { p50: percentile(delays, 50), p95, max },
      idleStepMs: { p50: percentile(idle, 50), p95: percentile(idle, 95) },
      floor: { ms: floorMs, messages: jobs.length, perSecond: jobs.length / (floorMs / 1000) },
      ratio: sendMs / floorMs,
      goalMet: p95 <= 60_000,
    };

    console.log(`\n## Delivery (${READERS.toLocaleString('en-US')} readers in ${ZONES.length} zones, both channels, one simulated day minute by minute; ${fmt(setupSeconds, 0)} s to set up)`);
    console.log(`Warm-up at 00:00 UTC (zones already past 08:00; not measured): ${warmBuilt} briefs, ${warmSent.sent} deliveries.`);
    console.log('| the day | value |');
    console.log('| --- | ---: |');
    console.log(`| briefs built | ${built.toLocaleString('en-US')} in ${busySteps} busy minutes, ${fmt(result.briefsPerSecond)} briefs/s |`);
    console.log(`| deliveries sent (${newMails.length} e-mails, ${webhooks} webhooks) | ${sent.toLocaleString('en-US')}, ${fmt(result.deliveriesPerSecond)} deliveries/s |`);
    console.log(`| delay from the brief's minute to arrival, p50 / p95 / max | ${fmt(result.delayMs.p50 / 1000, 2)} s / ${fmt(p95 / 1000, 2)} s / ${fmt(max / 1000, 2)} s |`);
    console.log(`| an idle minute (both jobs, nothing due; ${idle.length} measured), p50 / p95 | ${fmt(result.idleStepMs.p50)} ms / ${fmt(result.idleStepMs.p95)} ms |`);
    console.log(`| the whole simulated day | ${fmt(dayMs / 1000)} s |`);
    console.log(`\nSending: ours ${fmt(sendMs / 1000, 2)} s for ${sent} deliveries (incl. claiming, rendering, recording) vs the floor ${fmt(floorMs / 1000, 2)} s for ${jobs.length} bare sends at ${CONCURRENCY} at once → ${fmt(result.ratio, 2)}×.`);
    console.log(`Duplicates or bad signatures at the receiver: ${duplicates}. p95 delay ${fmt(p95 / 1000, 2)} s (goal ≤ 60 s: ${result.goalMet ? 'met' : 'NOT met'}).`);
    return result;
  } finally {
    await t.close();
    await receiver.stop();
    await smtp.stop();
    rmSync(mailDir, { recursive: true, force: true });
  }
}
