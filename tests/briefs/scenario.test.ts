import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrief, createSharedWindow } from '@handoff/api/testing';
import { eq, users } from '@handoff/db';
import { ApiClient, type Person } from '../api/client.ts';
import { BriefApi, FakeClock, MINUTE, itemOf, type Brief } from './helpers.ts';

/*
 * The scenario: a team in Berlin (Lena), San Francisco (Marcus, Sam) and Bangalore (Priya).
 * While Berlin sleeps, San Francisco edits three documents, moves a decision twice with its
 * reasons, mentions Lena, and edits a document in a private space Lena is not in. Each reader's
 * brief is built by the scheduler at 08:00 in their own time zone.
 *
 * 2026-03-09/10 (UTC times): Berlin is UTC+1, San Francisco UTC-7 (DST began March 8), Bangalore UTC+5:30.
 */

const clock = new FakeClock(Date.parse('2026-03-09T01:00:00Z'));
let api: ApiClient;
let b: BriefApi;
let lena: Person;
let marcus: Person;
let sam: Person;
let priya: Person;
const doc = {} as Record<'adr' | 'design' | 'glossary' | 'hiring' | 'launch' | 'offsite' | 'runbook', string>;
let lenaBrief: Brief;
let marcusBrief: Brief;
let priyaBrief: Brief;

const markdownOf = (paragraphs: string[]) => paragraphs.join('\n\n');

const syncDesign = (goal: string, endpoint: string) =>
  markdownOf(['## Goal', goal, '## Endpoint', endpoint, '## Open questions', '- How long do we keep tombstones?']);

const launchPlan = (extra: string[] = []) =>
  markdownOf(['## Timeline', 'Code freeze on Thursday; release on Monday at 16:00 UTC.', '## Rollout', 'We roll out region by region, starting with the US.', ...extra]);

beforeAll(async () => {
  api = await ApiClient.start({ clock });
  b = new BriefApi(api);
  await api.signup('ops', { name: 'Workspace Admin', timezone: 'UTC' }); // the first person administers the workspace
  lena = await api.signup('lena', { name: 'Lena Fischer', timezone: 'Europe/Berlin' });
  marcus = await api.signup('marcus', { name: 'Marcus Chen', timezone: 'America/Los_Angeles' });
  sam = await api.signup('sam', { name: 'Sam Okafor', timezone: 'America/Los_Angeles' });
  priya = await api.signup('priya', { name: 'Priya Raman', timezone: 'Asia/Kolkata' });

  const engineering = await api.space(marcus, 'Engineering');
  await b.member(marcus, engineering, lena);
  await b.member(marcus, engineering, priya);
  const leadership = await api.space(marcus, 'Leadership', true);
  await b.member(marcus, leadership, sam);
  expect((await api.put(`/api/spaces/${engineering}/watch`, {}, lena.token)).status).toBe(204);

  // The day before, 01:00-02:00 UTC: the documents.
  doc.design = (await api.doc(lena, engineering, 'Sync API design', syncDesign('Clients catch up after hours offline without downloading whole documents.', 'GET /sync returns the changed documents since a timestamp, oldest first.'))).id;
  clock.advance(5 * MINUTE);
  doc.adr = (
    await api.doc(marcus, engineering, 'ADR 12: Release 4.2 ships with the new sync engine', markdownOf(['## Context', 'The new sync engine halves reconnect times.', '## Decision', 'Release 4.2 ships with the new sync engine enabled for everyone.']), {
      kind: 'decision',
      decision: { status: 'proposed', owners: [marcus.id] },
    })
  ).id;
  clock.advance(5 * MINUTE);
  doc.launch = (await api.doc(marcus, engineering, 'Launch plan 4.2', launchPlan())).id;
  clock.advance(5 * MINUTE);
  doc.hiring = (await api.doc(marcus, leadership, 'Q3 hiring plan', markdownOf(['## Budget', 'We hire two backend engineers in Berlin this quarter.']))).id;
  clock.advance(5 * MINUTE);
  doc.runbook = (await api.doc(priya, engineering, 'Runbook: sync outage', markdownOf(['## Detect', 'Page the on-call engineer when reconnects fail for five minutes.']))).id;
  clock.advance(5 * MINUTE);
  doc.glossary = (await api.doc(priya, engineering, 'Glossary', markdownOf(['A tombstone marks a deleted document until every client has synced.']))).id;
  expect((await api.put(`/api/docs/${doc.runbook}/watch`, {}, marcus.token)).status).toBe(204);

  // Everyone is caught up at the end of their own day.
  clock.set('2026-03-09T03:00:00Z');
  await b.caughtUp(priya); // 08:30 in Bangalore (her brief of the day)
  clock.set('2026-03-09T15:00:00Z');
  await b.caughtUp(marcus); // 08:00 in San Francisco
  await b.caughtUp(sam);
  clock.set('2026-03-09T16:00:00Z');
  await b.caughtUp(lena); // 17:00 in Berlin

  // Lena's evening: her own edit of her design doc and a new document (never in her brief).
  clock.set('2026-03-09T16:30:00Z');
  await b.edit(lena, doc.design, {
    markdown: syncDesign('Clients catch up after a whole weekend offline, on mobile networks too.', 'GET /sync returns the changed documents since a timestamp, oldest first.'),
    message: 'Widened the goal to mobile',
  });
  clock.set('2026-03-09T16:40:00Z');
  doc.offsite = (await api.doc(lena, engineering, 'Berlin offsite notes', markdownOf(['We agreed to write every decision down before the release.']))).id;

  // Overnight for Berlin: San Francisco works.
  clock.set('2026-03-09T18:00:00Z');
  await b.edit(marcus, doc.design, {
    markdown: syncDesign(
      'Clients catch up after a whole weekend offline, on mobile networks too.',
      'GET /sync?cursor=<opaque> returns the changed documents after the cursor. The cursor is opaque so that we can shard the log later.',
    ),
    message: 'Cursor must be opaque for sharding',
  });
  clock.set('2026-03-09T19:00:00Z');
  await b.edit(marcus, doc.adr, { decision: { status: 'accepted' }, message: 'Load test passed at 3x peak traffic' });
  clock.set('2026-03-09T20:00:00Z');
  await b.edit(sam, doc.launch, { markdown: launchPlan(['## Berlin', '@lena please confirm the rollout window for the EU region before Friday.']), message: 'EU rollout needs an owner' });
  clock.set('2026-03-09T21:00:00Z');
  await b.edit(marcus, doc.hiring, { markdown: markdownOf(['## Budget', 'We hire two backend engineers in Berlin this quarter and a designer in Bangalore.']), message: 'Design hire approved' });
  clock.set('2026-03-09T22:00:00Z');
  await b.edit(marcus, doc.glossary, { markdown: markdownOf(['A tombstone marks a deleted document until every client has synced!']) }); // a one-character fix
  clock.set('2026-03-09T23:30:00Z');
  await b.edit(marcus, doc.adr, {
    decision: { status: 'superseded' },
    markdown: markdownOf(['## Context', 'The new sync engine halves reconnect times.', '## Decision', 'Release 4.2 ships with the old engine; the new sync engine moves to 4.3 after the security review.']),
    message: 'Security review found a replay bug; the new engine moves to 4.3',
  });

  // Bangalore's morning: Priya's brief at 08:00 IST (02:30 UTC), then her edit of the runbook.
  clock.set('2026-03-10T02:29:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBe(0); // 07:59 in Bangalore: nobody is due
  clock.set('2026-03-10T02:30:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBe(1);
  priyaBrief = await b.latest(priya);
  clock.set('2026-03-10T04:00:00Z');
  await b.edit(priya, doc.runbook, {
    markdown: markdownOf(['## Detect', 'Page the on-call engineer when reconnects fail for five minutes.', '## Mitigate', 'Switch clients back to the old sync engine with the kill switch.']),
    message: 'Added the kill switch',
  });

  // Berlin's morning: Lena reads the runbook at 07:45, and her brief comes at 08:00.
  clock.set('2026-03-10T06:45:00Z');
  await b.read(lena, doc.runbook);
  clock.set('2026-03-10T06:59:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBe(0);
  clock.set('2026-03-10T07:00:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBe(1);
  lenaBrief = await b.latest(lena);
  expect(await api.t.deps.briefScheduler.runDue()).toBe(0); // once a day

  // Lena answers in the launch plan; San Francisco's morning brief comes at 08:00 PDT (15:00 UTC).
  clock.set('2026-03-10T07:30:00Z');
  await b.edit(lena, doc.launch, {
    markdown: launchPlan(['## Berlin', 'The EU rollout window is Tuesday 14:00 CET; Lena owns it.']),
    message: 'Berlin rollout window confirmed',
  });
  clock.set('2026-03-10T15:00:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBe(3); // Marcus, Sam, and the admin (UTC, 15:00 is past her 08:00)
  marcusBrief = await b.latest(marcus);
});
afterAll(() => api.close());

describe('Lena in Berlin, 08:00', () => {
  it('is built at 08:00 Berlin time over everything since she was last caught up', () => {
    expect(lenaBrief.until).toBe('2026-03-10T07:00:00.000Z');
    expect(lenaBrief.since).toBe('2026-03-09T16:00:00.000Z');
    expect(lenaBrief.writer).toBe('extractive');
    expect(lenaBrief.markdown).toContain('since Mon 9 Mar, 17:00 (Europe/Berlin)');
  });

  it('puts the decision first with its final status and both reasons', () => {
    const first = lenaBrief.items[0]!;
    expect(first.docId).toBe(doc.adr);
    expect(first.reasons).toEqual(['decision', 'watch']);
    expect(first.authors).toEqual([marcus.id]);
    expect(first.fromRevision).toBe(1);
    expect(first.toRevision).toBe(3);
    expect(first.diffUrl).toBe(`/docs/${doc.adr}?diff=1..3`);
    const md = lenaBrief.markdown;
    expect(md).toContain('proposed → accepted → **superseded**');
    expect(md).toContain('Load test passed at 3x peak traffic');
    expect(md).toContain('Security review found a replay bug; the new engine moves to 4.3');
    expect(md.indexOf('Load test passed')).toBeLessThan(md.indexOf('Security review found'));
    expect(md).toContain('Release 4.2 ships with the old engine; the new sync engine moves to 4.3 after the security review.');
    expect(md.indexOf('ADR 12')).toBeLessThan(md.indexOf('Launch plan 4.2'));
    expect(first.summary).toContain('superseded');
  });

  it('has the mention, then the change to her own document', () => {
    expect(lenaBrief.items.map((i) => i.docId)).toEqual([doc.adr, doc.launch, doc.design]);
    const launch = itemOf(lenaBrief, doc.launch)!;
    expect(launch.reasons).toEqual(['mention', 'watch']);
    expect(launch.authors).toEqual([sam.id]);
    expect(lenaBrief.markdown).toContain('please confirm the rollout window for the EU region');
    expect(lenaBrief.markdown).toContain('EU rollout needs an owner');
    const design = itemOf(lenaBrief, doc.design)!;
    expect(design.reasons).toEqual(['owner', 'watch']);
    expect(design.authors).toEqual([marcus.id]);
    expect(lenaBrief.markdown).toContain('Cursor must be opaque for sharding');
    expect(lenaBrief.markdown).toContain('Sections: Endpoint');
  });

  it('contains nothing from the private space, nothing she already saw, none of her own edits, no trivial fix', () => {
    const md = lenaBrief.markdown;
    const ids = lenaBrief.items.map((i) => i.docId);
    expect(ids).not.toContain(doc.hiring); // private space she is not in
    expect(md).not.toMatch(/hiring|designer in Bangalore|Design hire/i);
    expect(ids).not.toContain(doc.runbook); // read at 07:45
    expect(md).not.toContain('kill switch');
    expect(ids).not.toContain(doc.offsite); // her own new document
    expect(md).not.toContain('Widened the goal'); // her own edit, before Marcus's
    expect(md).not.toContain('mobile networks');
    expect(itemOf(lenaBrief, doc.design)!.fromRevision).toBe(2); // Marcus's change since hers
    expect(ids).not.toContain(doc.glossary); // a one-character fix
    expect(lenaBrief.omitted).toBe(0);
  });

  it('is readable in under three minutes', () => {
    expect(lenaBrief.readingSeconds).toBeGreaterThan(0);
    expect(lenaBrief.readingSeconds).toBeLessThanOrEqual(180);
  });
});

describe('Priya in Bangalore, 08:00 IST', () => {
  it('has the decision and the new document in her space, not the trivial fix of her own glossary', () => {
    expect(priyaBrief.until).toBe('2026-03-10T02:30:00.000Z');
    expect(priyaBrief.items.map((i) => [i.docId, i.reasons])).toEqual([
      [doc.adr, ['decision']],
      [doc.offsite, ['new']],
    ]);
    expect(itemOf(priyaBrief, doc.adr)!.fromRevision).toBe(1);
    expect(itemOf(priyaBrief, doc.offsite)!.fromRevision).toBe(0);
    expect(priyaBrief.markdown).toContain('proposed → accepted → **superseded**');
    expect(priyaBrief.markdown).toContain('since Mon 9 Mar, 08:30 (Asia/Kolkata)');
  });

  it('leaves out what is not hers to read or not about her', () => {
    const ids = priyaBrief.items.map((i) => i.docId);
    expect(ids).not.toContain(doc.hiring);
    expect(ids).not.toContain(doc.glossary);
    expect(ids).not.toContain(doc.launch); // no reason: not hers, not watched, not a mention of her
    expect(ids).not.toContain(doc.design);
    expect(priyaBrief.markdown).not.toMatch(/hiring|Design hire/i);
  });
});

describe('Marcus in San Francisco, 08:00 PDT', () => {
  it('has the changes to his launch plan folded into one item, the runbook he watches and the new document', () => {
    expect(marcusBrief.until).toBe('2026-03-10T15:00:00.000Z');
    expect(marcusBrief.items.map((i) => [i.docId, i.reasons])).toEqual([
      [doc.launch, ['owner']],
      [doc.runbook, ['watch']],
      [doc.offsite, ['new']],
    ]);
    const launch = itemOf(marcusBrief, doc.launch)!;
    expect(launch.authors).toEqual([sam.id, lena.id]);
    expect([launch.fromRevision, launch.toRevision]).toEqual([1, 3]);
    expect(marcusBrief.markdown).toContain('EU rollout needs an owner');
    expect(marcusBrief.markdown).toContain('Berlin rollout window confirmed');
    expect(marcusBrief.markdown).toContain('The EU rollout window is Tuesday 14:00 CET; Lena owns it.');
    expect(marcusBrief.markdown).toContain('kill switch');
  });

  it('leaves out his own changes and what he saw by writing after it', () => {
    const ids = marcusBrief.items.map((i) => i.docId);
    expect(ids).not.toContain(doc.adr); // both status changes were his
    expect(ids).not.toContain(doc.hiring); // his own edit
    expect(ids).not.toContain(doc.design); // Lena's edit came before his own revision
    expect(marcusBrief.markdown).not.toContain('Widened the goal');
  });

  it('Sam, the other San Francisco reader, sees the private edit Lena may not read', async () => {
    const samBrief = await b.latest(sam);
    expect(samBrief.until).toBe('2026-03-10T15:00:00.000Z');
    // Lena's answer in the launch plan Sam edited; her new offsite notes in Engineering, a space
    // he is not a member of but worked in (he edited the launch plan there); nothing from
    // Leadership, where Marcus's edit concerns him in no way (he does not watch it, wrote none of
    // it, is not mentioned).
    expect(samBrief.items.map((i) => [i.docId, i.reasons])).toEqual([
      [doc.launch, ['owner']],
      [doc.offsite, ['new']],
    ]);
    expect(itemOf(samBrief, doc.launch)!.authors).toEqual([lena.id]);
    expect(samBrief.markdown).not.toContain('Design hire approved');
    expect((await api.put(`/api/docs/${doc.hiring}/watch`, {}, sam.token)).status).toBe(204);
    const again = await b.build(sam, '2026-03-09T15:00:00Z');
    expect(again.items.map((i) => [i.docId, i.reasons])).toEqual([
      [doc.launch, ['owner']],
      [doc.hiring, ['watch']],
      [doc.offsite, ['new']],
    ]);
    expect(again.markdown).toContain('Design hire approved');
  });
});

describe('one reader at a time, or many sharing one read of the window', () => {
  it('give the same briefs', async () => {
    const { db } = api.t.deps;
    const shared = createSharedWindow(db);
    for (const [who, brief] of [
      [lena, lenaBrief],
      [priya, priyaBrief],
      [marcus, marcusBrief],
    ] as const) {
      const reader = (await db.select().from(users).where(eq(users.id, who.id)).get())!;
      const window = { since: Date.parse(brief.since), until: Date.parse(brief.until) };
      const alone = await buildBrief(db, reader, window);
      const together = await buildBrief(db, reader, { ...window, window: shared });
      expect(together).toEqual(alone);
      expect(alone.draft.items.map((i) => i.docId).length).toBeGreaterThan(0);
    }
  });
});
