import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { briefs, eq } from '@handoff/db';
import { dueBrief, ManualClock } from '@handoff/api/testing';
import { ApiClient, type Person } from '../api/client.ts';
import { BriefApi, FakeClock, HOUR, MINUTE } from './helpers.ts';

describe('dueBrief', () => {
  const berlin = { timezone: 'Europe/Berlin', briefHour: 8 };
  it('is due from the brief hour of the local day on', () => {
    expect(dueBrief(berlin, Date.parse('2026-03-10T06:59:59Z'))).toBeNull(); // 07:59:59 CET
    expect(dueBrief(berlin, Date.parse('2026-03-10T07:00:00Z'))).toEqual({ date: '2026-03-10', dueAt: Date.parse('2026-03-10T07:00:00Z') });
    expect(dueBrief(berlin, Date.parse('2026-03-10T22:59:00Z'))?.date).toBe('2026-03-10'); // 23:59 CET
    expect(dueBrief(berlin, Date.parse('2026-03-10T23:00:00Z'))).toBeNull(); // 00:00 CET the next day
  });
  it('follows daylight-saving time: 08:00 CET is 07:00 UTC, 08:00 CEST is 06:00 UTC', () => {
    expect(dueBrief(berlin, Date.parse('2026-03-29T05:59:00Z'))).toBeNull();
    expect(dueBrief(berlin, Date.parse('2026-03-29T06:00:00Z'))?.dueAt).toBe(Date.parse('2026-03-29T06:00:00Z'));
    expect(dueBrief(berlin, Date.parse('2026-10-25T06:59:00Z'))).toBeNull(); // 07:59 CET, the day clocks go back
    expect(dueBrief(berlin, Date.parse('2026-10-25T07:00:00Z'))?.date).toBe('2026-10-25');
  });
  it('moves a brief hour that a spring-forward skips to the first local time after it', () => {
    const twoAm = { timezone: 'Europe/Berlin', briefHour: 2 };
    expect(dueBrief(twoAm, Date.parse('2026-03-29T00:59:00Z'))).toBeNull(); // 01:59 CET
    expect(dueBrief(twoAm, Date.parse('2026-03-29T01:00:00Z'))?.date).toBe('2026-03-29'); // 03:00 CEST
  });
  it('reads other zones and ignores unknown ones', () => {
    expect(dueBrief({ timezone: 'Asia/Kolkata', briefHour: 8 }, Date.parse('2026-03-10T02:30:00Z'))?.date).toBe('2026-03-10');
    expect(dueBrief({ timezone: 'America/Los_Angeles', briefHour: 8 }, Date.parse('2026-03-10T14:59:00Z'))).toBeNull();
    expect(dueBrief({ timezone: 'Mars/Olympus_Mons', briefHour: 8 }, Date.now())).toBeNull();
  });
});

describe('the brief scheduler', () => {
  const clock = new FakeClock(Date.parse('2026-03-26T12:00:00Z'));
  let api: ApiClient;
  let b: BriefApi;
  let lena: Person;
  let jonas: Person;
  let kai: Person;

  beforeAll(async () => {
    api = await ApiClient.start({ clock });
    b = new BriefApi(api);
    await api.signup('ops', { timezone: 'Pacific/Kiritimati' });
    lena = await api.signup('lena', { name: 'Lena', timezone: 'Europe/Berlin' });
    jonas = await api.signup('jonas', { name: 'Jonas', timezone: 'Europe/Berlin' });
    kai = await api.signup('kai', { name: 'Kai', timezone: 'Europe/Berlin' });
    // Every day a working day, so that the weekend of the switch to summer time has briefs too.
    const everyDay = { workDays: [1, 2, 3, 4, 5, 6, 7] };
    expect((await api.patch('/api/me', { briefHour: 2, ...everyDay }, kai.token)).status).toBe(200);
    for (const who of [lena, jonas]) expect((await api.patch('/api/me', everyDay, who.token)).status).toBe(200);
    const space = await api.space(jonas, 'Engineering');
    await b.member(jonas, space, lena);
    expect((await api.put(`/api/spaces/${space}/watch`, {}, lena.token)).status).toBe(204);
    const notes = await api.doc(jonas, space, 'Release notes', 'Nothing yet.');
    // Something changes every six hours, so that each brief has news.
    let n = 0;
    const editEverySixHours = async () => {
      if (clock.now() % (6 * HOUR) === 0) await b.edit(jonas, notes.id, { markdown: `Change number ${++n}: the release train moved again.` });
    };
    // Minute by minute across the switch to summer time (Sunday 29 March 2026, 02:00 → 03:00 in Berlin).
    clock.set('2026-03-27T00:00:00Z');
    while (clock.now() < Date.parse('2026-03-31T00:00:00Z')) {
      await editEverySixHours();
      await api.t.deps.briefScheduler.runDue();
      clock.advance(MINUTE);
    }
  }, 300_000);
  afterAll(() => api.close());

  const scheduled = async (who: Person) =>
    (await api.t.deps.db.select().from(briefs).where(eq(briefs.userId, who.id)).all())
      .sort((x, y) => x.createdAt - y.createdAt)
      .map((r) => [r.scheduledFor, new Date(r.createdAt).toISOString()]);

  it('builds exactly one brief per local day at 08:00 Berlin time, before and after the switch', async () => {
    expect(await scheduled(lena)).toEqual([
      ['2026-03-27', '2026-03-27T07:00:00.000Z'], // 08:00 CET
      ['2026-03-28', '2026-03-28T07:00:00.000Z'],
      ['2026-03-29', '2026-03-29T06:00:00.000Z'], // 08:00 CEST, the day of the switch
      ['2026-03-30', '2026-03-30T06:00:00.000Z'],
    ]);
    expect(await scheduled(jonas)).toHaveLength(4);
  });

  it('builds a brief for 02:00 at 03:00 on the night 02:00 does not exist', async () => {
    expect((await scheduled(kai)).map((s) => s[1])).toEqual([
      '2026-03-27T01:00:00.000Z', // 02:00 CET
      '2026-03-28T01:00:00.000Z',
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:00 was skipped
      '2026-03-30T00:00:00.000Z', // 02:00 CEST
    ]);
  });

  it('starts each scheduled brief where the acknowledged one ended', async () => {
    const first = await b.latest(lena);
    expect(first.until).toBe('2026-03-30T06:00:00.000Z');
    expect(first.items.length).toBe(1);
    await b.ack(lena, first.id);
    clock.set('2026-03-31T06:00:00Z'); // 08:00 CEST
    expect(await api.t.deps.briefScheduler.runDue()).toBeGreaterThanOrEqual(1);
    const next = await b.latest(lena);
    expect(next.since).toBe(first.until);
    expect(next.until).toBe('2026-03-31T06:00:00.000Z');
  });

  it('builds once in autumn, when the brief hour happens twice', async () => {
    clock.set('2026-10-24T12:00:00Z');
    const before = (await scheduled(kai)).length;
    // Sunday 25 October 2026: 03:00 CEST → 02:00 CET, so 02:00-02:59 happens twice.
    clock.set('2026-10-24T23:30:00Z');
    while (clock.now() < Date.parse('2026-10-25T03:00:00Z')) {
      await api.t.deps.briefScheduler.runDue();
      clock.advance(MINUTE);
    }
    const after = await scheduled(kai);
    expect(after.length - before).toBe(1);
    expect(after[after.length - 1]).toEqual(['2026-10-25', '2026-10-25T00:00:00.000Z']); // the first 02:00 (CEST)
  });

  it('counts a brief the reader built herself after the brief hour, not one from the night before', async () => {
    clock.set('2026-10-25T23:30:00Z'); // 00:30 CET on Monday 26 October
    const login = await api.post('/api/auth/login', { email: lena.email, password: 'correct horse battery' });
    expect(login.status).toBe(200);
    lena = { ...lena, token: login.body.token }; // months later: a new session
    await b.build(lena);
    clock.set('2026-10-26T07:00:00Z'); // 08:00 CET
    await api.t.deps.briefScheduler.runDue();
    expect((await scheduled(lena)).filter((s) => s[0] === '2026-10-26')).toHaveLength(1);
    clock.set('2026-10-27T07:30:00Z'); // 08:30 CET on Tuesday: she built one herself first
    await b.build(lena);
    clock.set('2026-10-27T07:31:00Z');
    await api.t.deps.briefScheduler.runDue();
    expect((await scheduled(lena)).filter((s) => s[0] === '2026-10-27')).toHaveLength(0);
  });

});

describe('the brief scheduler and working days', () => {
  it('builds only on working days and never while away; the brief after the weekend and the leave covers all of it', async () => {
    const clock = new FakeClock(Date.parse('2026-03-12T12:00:00Z')); // Thursday
    const api = await ApiClient.start({ clock });
    try {
      const b = new BriefApi(api);
      const owner = await api.signup('owner', { timezone: 'Pacific/Kiritimati' });
      const mia = await api.signup('mia', { name: 'Mia', timezone: 'Europe/Berlin' });
      const space = await api.space(owner, 'Engineering');
      await b.member(owner, space, mia);
      const notes = await api.doc(owner, space, 'Notes', 'Nothing yet.');
      const scheduledFor = async () =>
        (await api.t.deps.db.select().from(briefs).where(eq(briefs.userId, mia.id)).all()).map((r) => r.scheduledFor).sort();
      const runDays = async (from: string, to: string) => {
        clock.set(from);
        while (clock.now() < Date.parse(to)) {
          await api.t.deps.briefScheduler.runDue();
          clock.advance(15 * MINUTE);
        }
      };
      // Thursday 12 to Monday 16 March: Friday and Monday, not the weekend.
      await runDays('2026-03-13T00:00:00Z', '2026-03-17T00:00:00Z');
      expect(await scheduledFor()).toEqual(['2026-03-13', '2026-03-16']);
      const monday = await b.latest(mia);
      expect(monday.until).toBe('2026-03-16T07:00:00.000Z'); // 08:00 CET

      // Away from Tuesday until Thursday 12:00: nothing on Tuesday and Wednesday; Thursday's brief comes when she is back.
      const awayUntil = '2026-03-19T11:00:00.000Z';
      expect((await api.patch('/api/me', { awayUntil }, mia.token)).status).toBe(200);
      clock.set('2026-03-17T12:00:00Z');
      await b.edit(owner, notes.id, { markdown: 'Changed while Mia was away.' });
      await runDays('2026-03-17T12:15:00Z', '2026-03-19T10:59:00Z');
      expect(await scheduledFor()).toEqual(['2026-03-13', '2026-03-16']);
      clock.set('2026-03-19T11:00:00Z');
      expect(await api.t.deps.briefScheduler.runDue()).toBe(1);
      const back = await b.latest(mia);
      expect(back.until).toBe(awayUntil);
      // Monday's brief was never acknowledged: the window reaches back over the whole leave.
      expect(Date.parse(back.since)).toBeLessThanOrEqual(Date.parse(monday.until));
      expect(back.items.map((i) => i.docId)).toContain(notes.id);
    } finally {
      await api.close();
    }
  }, 120_000);
});

describe('the brief scheduler on its timer', () => {
  it('runs at every minute of its clock once started, building a brief that falls due; not while stopped', async () => {
    // 07:58:30 in Berlin: the timer runs at 07:59:00 (nothing due yet) and at 08:00:00 (her brief).
    const clock = new ManualClock(Date.parse('2026-03-10T06:58:30Z'));
    // (The search indexer polls on the same clock; a day's jump would run its poll 400,000 times.)
    const api = await ApiClient.start({ clock, startIndexer: false });
    try {
      const mia = await api.signup('mia', { name: 'Mia', timezone: 'Europe/Berlin' });
      const stored = async () => (await api.t.deps.db.select().from(briefs).where(eq(briefs.userId, mia.id)).all()).map((r) => r.scheduledFor);
      const scheduler = api.t.deps.briefScheduler;
      scheduler.start();
      await clock.advance(60_000); // the 07:59 run: nothing due yet
      expect(await stored()).toEqual([]);
      await clock.advance(60_000); // the 08:00 run builds her brief
      await scheduler.stop(); // waits for the run in progress
      expect(await stored()).toEqual(['2026-03-10']);

      // Stopped: a day on (her next brief would be due at 08:00), the timer has not run again.
      await clock.set('2026-03-11T07:30:00Z');
      await scheduler.stop();
      expect(await stored()).toEqual(['2026-03-10']);
      // Started again, it catches up at its next minute.
      scheduler.start();
      await clock.advance(60_000);
      await scheduler.stop();
      expect(await stored()).toEqual(['2026-03-10', '2026-03-11']);
    } finally {
      await api.close();
    }
  });
});
