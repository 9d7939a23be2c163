import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from '../api/client.ts';
import { BriefApi, FakeClock, type Brief } from './helpers.ts';

/*
 * Issue 11's handoff scenario, over HTTP with the brief scheduler driven by hand. Priya in
 * Bangalore (Asia/Kolkata, UTC+5:30) writes her handoff note at 18:00 IST, addressed to Lena in
 * Berlin (UTC+1 in March), blocked on Lena for one item. Overnight a decision in a space Lena is a
 * member of also changes. At 08:00 in Berlin the handoff note leads Lena's brief (reason
 * `handoff`), and "blocked on @lena" is in her "Waiting on you".
 */

const clock = new FakeClock(Date.parse('2026-03-10T06:00:00Z'));
let api: ApiClient;
let b: BriefApi;
let priya: Person;
let lena: Person;
let sam: Person;
let space: string;
let noteId: string;
let decisionId: string;
let writtenAt: string;
let brief: Brief;
let waiting: Array<{ docId: string; section: string; text: string; askedBy: string }>;

const hourIn = (zone: string, ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

beforeAll(async () => {
  api = await ApiClient.start({ clock });
  b = new BriefApi(api);
  await api.signup('ops', { name: 'Workspace Admin', timezone: 'Pacific/Kiritimati' });
  priya = await api.signup('priya', { name: 'Priya Raman', timezone: 'Asia/Kolkata' });
  lena = await api.signup('lena', { name: 'Lena Fischer', timezone: 'Europe/Berlin' });
  sam = await api.signup('sam', { name: 'Sam Okafor', timezone: 'America/Los_Angeles' });
  space = await api.space(priya, 'Sync');
  await b.member(priya, space, lena);
  await b.member(priya, space, sam);
  decisionId = (await api.doc(sam, space, 'Use CRDTs for offline sync', 'We use Yjs.', { kind: 'decision' })).id;

  clock.set('2026-03-10T09:00:00Z');
  for (const who of [priya, lena, sam]) await b.caughtUp(who);

  // 18:00 in Bangalore: Priya's handoff to Berlin.
  clock.set('2026-03-10T12:30:00Z');
  writtenAt = hourIn('Asia/Kolkata', clock.now());
  const res = await api.post(
    '/api/docs',
    {
      spaceId: space,
      kind: 'handoff',
      title: 'Bangalore → Berlin, Tuesday',
      markdown: '## Done\n\n- Sync API pagination merged\n\n## In progress / next\n\n- Retry budget for the mobile client\n\n## Blocked on\n\n- the schema review by @lena\n\n## Decisions needed\n\n-\n\n## Handing over to\n\n- @lena\n',
      handoff: { to: [lena.id] },
    },
    priya.token,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  noteId = res.body.doc.id;

  // Later that night, in San Francisco: the decision is accepted.
  clock.set('2026-03-10T18:00:00Z');
  await b.edit(sam, decisionId, { decision: { status: 'accepted' }, message: 'Benchmarks are in.' });

  // 08:00 in Berlin.
  clock.set('2026-03-11T07:00:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBeGreaterThanOrEqual(1);
  brief = await b.latest(lena);
  const w = await api.get('/api/me/waiting', lena.token);
  expect(w.status).toBe(200);
  waiting = w.body.handoffAsks;
}, 120_000);
afterAll(() => api.close());

describe('Bangalore hands over to Berlin', () => {
  it("is written at 18:00 IST and leads Lena's 08:00 brief under `handoff`", () => {
    expect(writtenAt).toBe('18:00');
    expect(hourIn('Europe/Berlin', Date.parse(brief.until))).toBe('08:00');
    expect(brief.items.map((i) => i.docId)).toContain(decisionId);
    expect(brief.items[0]).toMatchObject({ docId: noteId, title: 'Bangalore → Berlin, Tuesday' });
    expect(brief.items[0]!.reasons[0]).toBe('handoff');
  });

  it('puts "blocked on @lena" in her Waiting on you', () => {
    expect(waiting).toEqual([
      expect.objectContaining({ docId: noteId, section: 'blocked', text: 'the schema review by @lena', askedBy: priya.id, askedAt: '2026-03-10T12:30:00.000Z' }),
    ]);
  });
});
