import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../api/client.ts';
import type { Brief } from '../briefs/helpers.ts';
import { DeliveryWorld, HOUR, localTime, type PersonalReceiver } from './harness.ts';

/*
 * Quiet hours (issue 11), simulated minute by minute for one week — Thursday 26 March 2026 00:00
 * UTC to Thursday 2 April 00:00 UTC, 10,080 one-minute steps, each running the brief scheduler and
 * the delivery job as the server's timers would — for three readers with both channels on:
 *
 * - Berlin, 09:00–17:00 Mon–Fri, brief at 08:00: Europe/Berlin moves from UTC+1 to UTC+2 on Sunday
 *   29 March, between her Friday and Monday briefs;
 * - Bangalore, Asia/Kolkata (UTC+5:30), 09:30–18:00, brief at 09:00: a half-hour zone;
 * - Los Angeles, 09:00–17:00, brief at 08:00, who goes on leave on Thursday evening until Tuesday
 *   00:00, so Friday and Monday are skipped.
 *
 * Someone else changes a shared document every three hours, so every brief has news. Every e-mail
 * (the SMTP capture process) and every webhook (a receiver per reader) is timed by the clock minute
 * at which it arrived. The test asserts: every delivery inside that reader's working hours in her
 * zone, exactly one per channel per working day, none at weekends or on leave, and the first brief
 * after the leave reaches back to before it began. Every reader acknowledges each brief when it
 * arrives (as she would by reading it), so each window starts where the last one ended.
 */

interface Reader {
  key: string;
  zone: string;
  workStart: string;
  workEnd: string;
  briefHour: number;
  person?: Person;
  receiver?: PersonalReceiver;
  mails: number[];
  hooks: number[];
  /** The local dates on which one delivery per channel is expected. */
  expectedDates: string[];
  /** The local time of day of every expected delivery. */
  expectedAt: string;
}

const START = Date.parse('2026-03-26T00:00:00Z');
const END = Date.parse('2026-04-02T00:00:00Z');
const LEAVE_SET_AT = Date.parse('2026-03-27T00:30:00Z'); // Thursday 17:30 in Los Angeles (PDT)
const AWAY_UNTIL = '2026-03-31T00:00:00-07:00'; // Tuesday 00:00 in Los Angeles

const WEEKEND_DOC_AT = Date.parse('2026-03-28T12:00:00Z'); // Saturday, while Los Angeles is away
let weekendDocId = '';

const readers: Reader[] = [
  { key: 'berlin', zone: 'Europe/Berlin', workStart: '09:00', workEnd: '17:00', briefHour: 8, mails: [], hooks: [], expectedDates: ['2026-03-26', '2026-03-27', '2026-03-30', '2026-03-31', '2026-04-01'], expectedAt: '09:00' },
  { key: 'bangalore', zone: 'Asia/Kolkata', workStart: '09:30', workEnd: '18:00', briefHour: 9, mails: [], hooks: [], expectedDates: ['2026-03-26', '2026-03-27', '2026-03-30', '2026-03-31', '2026-04-01'], expectedAt: '09:30' },
  { key: 'la', zone: 'America/Los_Angeles', workStart: '09:00', workEnd: '17:00', briefHour: 8, mails: [], hooks: [], expectedDates: ['2026-03-26', '2026-03-31', '2026-04-01'], expectedAt: '09:00' },
];
const la = readers[2]!;

let w: DeliveryWorld;
let writer: Person;
let firstAfterLeave: Brief | undefined;
let simulatedMs = 0;
let steps = 0;
const mailTo: string[] = [];
const mailAt: number[] = [];

beforeAll(async () => {
  w = await DeliveryWorld.start(new Date(START - HOUR).toISOString());
  await w.person('ops', { timezone: 'UTC', name: 'Workspace Admin', briefHour: 23 });
  writer = await w.person('writer', { timezone: 'UTC', name: 'Night Writer', briefHour: 23 });
  const space = await w.api.space(writer, 'Platform');
  const docs: string[] = [];
  for (let i = 0; i < 4; i++) docs.push((await w.api.doc(writer, space, `Runbook ${i + 1}`, `Step one of runbook ${i + 1}.`)).id);
  for (const r of readers) {
    r.person = await w.person(r.key, { timezone: r.zone, workDays: [1, 2, 3, 4, 5], workStart: r.workStart, workEnd: r.workEnd, briefHour: r.briefHour });
    expect((await w.api.put(`/api/spaces/${space}/members/${r.person.id}`, { role: 'editor' }, writer.token)).status).toBe(200);
    expect((await w.api.put(`/api/spaces/${space}/watch`, {}, r.person.token)).status).toBe(204);
    r.receiver = await w.bothChannels(r.person);
  }
  await w.clock.set(START);

  let change = 0;
  const started = performance.now();
  while (w.clock.now() < END) {
    await w.minute();
    steps++;
    const now = w.clock.now();
    if (now % (3 * HOUR) === 0) {
      change++;
      const res = await w.api.patch(`/api/docs/${docs[change % docs.length]}`, { markdown: `Step one.\n\nChange ${change}: the night shift updated this.`, message: `Change ${change}` }, writer.token);
      expect(res.status).toBe(200);
    }
    if (now === LEAVE_SET_AT) await w.patchMe(la.person!, { awayUntil: AWAY_UNTIL });
    if (now === WEEKEND_DOC_AT) weekendDocId = (await w.api.doc(writer, space, 'Weekend incident report', 'The sync queue stalled on Saturday.')).id;

    const mails = w.mailCount();
    if (mails > mailAt.length) {
      const parsed = await w.smtp.messages();
      for (let i = mailAt.length; i < mails; i++) {
        mailAt.push(now);
        const to = parsed[i]!.to;
        mailTo.push((Array.isArray(to) ? to[0] : to)!.value[0]!.address!);
        const r = readers.find((x) => `${x.key}@example.com` === mailTo[i])!;
        r.mails.push(now);
      }
    }
    for (const r of readers) {
      const hooks = r.receiver!.deliveries().length;
      if (hooks === r.hooks.length) continue;
      while (r.hooks.length < hooks) r.hooks.push(now);
      // She reads it: the brief is acknowledged, so her next window starts at its end.
      const latest = await w.api.get('/api/briefs/latest', r.person!.token);
      expect(latest.status).toBe(200);
      if (r === la && now > LEAVE_SET_AT && !firstAfterLeave) firstAfterLeave = latest.body.brief;
      expect((await w.api.post(`/api/briefs/${latest.body.brief.id}/ack`, {}, r.person!.token)).status).toBe(204);
    }
  }
  simulatedMs = performance.now() - started;
  console.log(`quiet hours: ${steps} one-minute steps (scheduler + delivery each) in ${(simulatedMs / 1000).toFixed(1)} s`);
}, 600_000);

afterAll(async () => {
  for (const r of readers) await r.receiver?.stop();
  await w?.close();
});

const inWorkingHours = (r: Reader, at: number) => {
  const t = localTime(r.zone, at);
  const [sh, sm] = r.workStart.split(':').map(Number) as [number, number];
  const [eh, em] = r.workEnd.split(':').map(Number) as [number, number];
  return t.weekday <= 5 && t.minutes >= sh * 60 + sm && t.minutes < eh * 60 + em;
};

describe('a week of quiet hours, minute by minute', () => {
  it('walked every minute of the week', () => {
    expect(steps).toBe(10_080);
  });

  it.each(readers.map((r) => [r.key, r] as const))('%s: every delivery inside her working hours in her zone', (_key, r) => {
    for (const at of [...r.mails, ...r.hooks]) expect(inWorkingHours(r, at), `${new Date(at).toISOString()} = ${localTime(r.zone, at).hm} ${r.zone}`).toBe(true);
  });

  it.each(readers.map((r) => [r.key, r] as const))('%s: exactly one per channel per working day, at the start of her working day, none at weekends or on leave', (_key, r) => {
    const days = (list: number[]) => list.map((at) => localTime(r.zone, at).date);
    expect(days(r.mails)).toEqual(r.expectedDates);
    expect(days(r.hooks)).toEqual(r.expectedDates);
    for (const at of [...r.mails, ...r.hooks]) expect(localTime(r.zone, at).hm).toBe(r.expectedAt);
  });

  it('Berlin gets 09:00 local on both sides of the change to summer time (08:00 UTC, then 07:00 UTC)', () => {
    const berlin = readers[0]!;
    expect(berlin.mails.map((at) => new Date(at).toISOString().slice(11, 16))).toEqual(['08:00', '08:00', '07:00', '07:00', '07:00']);
  });

  it('Bangalore gets 09:30 IST, which is 04:00 UTC', () => {
    expect(readers[1]!.hooks.map((at) => new Date(at).toISOString().slice(11, 16))).toEqual(['04:00', '04:00', '04:00', '04:00', '04:00']);
  });

  it('the first brief after the leave covers the whole absence', () => {
    expect(firstAfterLeave).toBeDefined();
    const brief = firstAfterLeave!;
    expect(localTime(la.zone, Date.parse(brief.until))).toMatchObject({ date: '2026-03-31', hm: '08:00' });
    expect(Date.parse(brief.since)).toBeLessThanOrEqual(LEAVE_SET_AT);
    expect(brief.items.length).toBeGreaterThan(0);
    expect(brief.items.every((i) => i.authors.includes(writer.id))).toBe(true);
    expect(brief.items.map((i) => i.docId)).toContain(weekendDocId);
  });

  it('every delivery was sent at the first attempt; nothing failed', async () => {
    for (const r of readers) {
      const log = (await w.api.get('/api/me/delivery', r.person!.token)).body.log as Array<{ status: string; attempts: number }>;
      expect(log).toHaveLength(r.expectedDates.length * 2);
      expect(log.every((d) => d.status === 'sent' && d.attempts === 1), JSON.stringify(log)).toBe(true);
    }
    expect(mailTo).toHaveLength(readers.reduce((n, r) => n + r.expectedDates.length, 0));
  });

  it('runs fast enough to simulate every minute (< 60 s for the week)', () => {
    expect(simulatedMs).toBeLessThan(60_000);
  });
});
