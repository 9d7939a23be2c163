import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrief, createSharedWindow } from '@handoff/api/testing';
import { docLinks, eq, users } from '@handoff/db';
import { ApiClient, type Person } from '../api/client.ts';
import { BriefApi, FakeClock, MINUTE } from './helpers.ts';

/*
 * Relevance that follows engagement, not only membership (issue 11), through HTTP. Lena works in
 * Berlin (Europe/Berlin). Marcus and Sam work in San Francisco (America/Los_Angeles), Priya in
 * Bangalore (Asia/Kolkata). Each of Lena's briefs is built at 08:00 Berlin time (07:00 UTC in
 * March, before Europe's DST), then acknowledged, so the next covers the following day.
 *
 * Monday 9 March 2026: the hidden story. Lena opens a decision record in Platform, an open space
 * she is not a member of. Overnight, Marcus accepts it and Sam supersedes it, each with a reason.
 * Tuesday night: documents linked with hers change. Wednesday: handoff notes.
 */

interface Item {
  docId: string;
  title: string;
  reasons: string[];
  fromRevision: number;
  toRevision: number;
  authors: string[];
  summary: string;
  linkedVia?: { docId: string; title: string; direction: 'links-to' | 'linked-from' };
  handoff?: { from: string; timezone: string; sections: Array<{ heading: string; items: string[]; more: number }> };
  asks?: Array<{ section: 'blocked' | 'decision'; text: string; askedBy: string; askedAt: string }>;
}
interface Brief {
  id: string;
  since: string;
  until: string;
  markdown: string;
  items: Item[];
}

const clock = new FakeClock(Date.parse('2026-03-09T06:00:00Z'));
let api: ApiClient;
let b: BriefApi;
let lena: Person;
let marcus: Person;
let sam: Person;
let priya: Person;
const space = {} as Record<'bangalore' | 'bangaloreLeads' | 'berlin' | 'mobile' | 'platform' | 'secret' | 'sf', string>;
const doc = {} as Record<'adr' | 'adrLinked' | 'adrUnopened' | 'lunch' | 'offline' | 'onboarding' | 'plan' | 'privateNote' | 'priyaNote' | 'push' | 'secretSpec' | 'spec' | 'toBerlin' | 'toSam' | 'toSf', string>;

const md = (...paragraphs: string[]) => paragraphs.join('\n\n');
const itemOf = (brief: Brief, docId: string) => brief.items.find((i) => i.docId === docId);
const briefs: Brief[] = [];

/** Lena's brief at 08:00 Berlin time on `day` (a date in March 2026), acknowledged. */
async function lenaAt8(day: string): Promise<Brief> {
  clock.set(`${day}T07:00:00Z`);
  const brief = (await b.build(lena)) as unknown as Brief;
  expect(brief.until).toBe(`${day}T07:00:00.000Z`);
  await b.ack(lena, brief.id);
  clock.advance(MINUTE);
  briefs.push(brief);
  return brief;
}

beforeAll(async () => {
  api = await ApiClient.start({ clock });
  b = new BriefApi(api);
  await api.signup('ops', { name: 'Workspace Admin', timezone: 'UTC' }); // the first person administers the workspace
  lena = await api.signup('lena', { name: 'Lena Fischer', timezone: 'Europe/Berlin' });
  marcus = await api.signup('marcus', { name: 'Marcus Chen', timezone: 'America/Los_Angeles' });
  sam = await api.signup('sam', { name: 'Sam Okafor', timezone: 'America/Los_Angeles' });
  priya = await api.signup('priya', { name: 'Priya Raman', timezone: 'Asia/Kolkata' });

  space.platform = await api.space(marcus, 'Platform'); // open; Lena is not a member
  await b.member(marcus, space.platform, sam);
  space.sf = await api.space(sam, 'San Francisco'); // open; Lena is not a member
  await b.member(sam, space.sf, marcus);
  space.secret = await api.space(marcus, 'Leadership', true); // private; Lena is not in it
  space.mobile = await api.space(lena, 'Mobile'); // Lena's own
  space.berlin = await api.space(lena, 'Berlin team'); // Lena is a member
  space.bangalore = await api.space(priya, 'Bangalore'); // open; Lena is not a member
  space.bangaloreLeads = await api.space(priya, 'Bangalore leads', true); // private; Lena is not in it

  // Monday 06:00-07:00 UTC: the documents.
  const decision = (owner: Person) => ({ kind: 'decision', decision: { status: 'proposed', owners: [owner.id] } });
  doc.adr = (await api.doc(marcus, space.platform, 'ADR 12: Release 4.2 ships with the new sync engine', md('## Decision', 'Release 4.2 ships with the new sync engine.'), decision(marcus))).id;
  doc.adrUnopened = (await api.doc(marcus, space.platform, 'ADR 13: Tombstones live 30 days', md('## Decision', 'Tombstones live 30 days.'), decision(marcus))).id;
  doc.adrLinked = (await api.doc(marcus, space.platform, 'ADR 14: Offline cache size', md('## Decision', 'The offline cache holds 200 MB.'), decision(marcus))).id;
  doc.spec = (await api.doc(marcus, space.platform, 'Sync API', md('## Endpoint', 'GET /sync returns the changed documents since a timestamp.'))).id;
  doc.secretSpec = (await api.doc(marcus, space.secret, 'Sync pricing', md('Sync is free for teams under ten people.'))).id;
  clock.advance(10 * MINUTE);
  doc.offline = (await api.doc(lena, space.mobile, 'Offline cache notes', md('The cache keeps the last 50 documents.'))).id;
  doc.plan = (
    await api.doc(
      lena,
      space.mobile,
      'Mobile client plan',
      md(
        `The client talks to the [Sync API](/docs/${doc.spec}) and follows [ADR 14](https://handoff.example.com/docs/${doc.adrLinked}#decision).`,
        `Pricing: see [pricing](/docs/${doc.secretSpec}).`,
      ),
    )
  ).id;
  clock.advance(10 * MINUTE);
  doc.push = (await api.doc(marcus, space.platform, 'Push notifications spec', md('Pushes wake the client, which then reads its [offline cache](/docs/' + doc.offline + ').'))).id;
});

afterAll(() => api?.close());

describe('the doc-link graph', () => {
  it('holds the links of every body, in both directions, to documents that exist', async () => {
    const { db } = api.t.deps;
    const targets = async (id: string) => (await db.select().from(docLinks).where(eq(docLinks.docId, id)).all()).map((l) => l.targetId).sort();
    expect(await targets(doc.plan)).toEqual([doc.spec, doc.adrLinked, doc.secretSpec].sort());
    expect(await targets(doc.push)).toEqual([doc.offline]);
  });
});

describe('Monday night: a decision she opened, in a space she is not a member of', () => {
  let brief: Brief;
  beforeAll(async () => {
    clock.set('2026-03-09T10:00:00Z'); // 11:00 in Berlin
    await b.read(lena, doc.adr);
    clock.set('2026-03-09T12:00:00Z');
    await b.caughtUp(lena);

    // Overnight for Berlin: San Francisco works on both decisions; new documents in two spaces.
    clock.set('2026-03-09T17:00:00Z'); // 10:00 in San Francisco
    await b.edit(marcus, doc.adr, { decision: { status: 'accepted' }, message: 'Load test passed at 3x peak traffic' });
    await b.edit(marcus, doc.adrUnopened, { decision: { status: 'accepted' }, message: 'Storage is cheap enough' });
    clock.set('2026-03-09T17:30:00Z');
    doc.onboarding = (await api.doc(marcus, space.platform, 'Platform onboarding', md('Every new engineer pairs with the on-call engineer for a week.'))).id;
    doc.lunch = (await api.doc(sam, space.sf, 'SF lunch list', md('Tacos on Tuesdays, ramen on Thursdays.'))).id;
    clock.set('2026-03-09T22:00:00Z'); // 15:00 in San Francisco
    await b.edit(sam, doc.adr, {
      decision: { status: 'superseded' },
      markdown: md('## Decision', 'Release 4.2 ships with the old engine; the new sync engine moves to 4.3.'),
      message: 'Security review found a replay bug; the new engine moves to 4.3',
    });
    await b.edit(sam, doc.adrUnopened, { decision: { status: 'superseded' }, message: 'Replaced by ADR 15' });

    brief = await lenaAt8('2026-03-10');
  });

  it('puts that decision first, with both status changes and both reasons', () => {
    const first = brief.items[0]!;
    expect(first.docId).toBe(doc.adr);
    expect(first.reasons).toContain('decision');
    expect([first.fromRevision, first.toRevision]).toEqual([1, 3]);
    expect(first.authors.sort()).toEqual([marcus.id, sam.id].sort());
    expect(brief.markdown).toContain('Status: proposed → accepted → **superseded**');
    expect(brief.markdown).toContain('“Load test passed at 3x peak traffic” (Marcus Chen)');
    expect(brief.markdown).toContain('“Security review found a replay bug; the new engine moves to 4.3” (Sam Okafor)');
    expect(first.summary).toContain('Status proposed → accepted → superseded.');
  });

  it('has nothing of a decision she never opened, is not a member of the space of, and has no link with', () => {
    expect(itemOf(brief, doc.adrUnopened)).toBeUndefined();
    expect(brief.markdown).not.toContain('Replaced by ADR 15');
  });

  it('tells of a new document in a space she was active in (she opened a document there), not in one she never worked in', () => {
    expect(itemOf(brief, doc.onboarding)?.reasons).toEqual(['new']);
    expect(itemOf(brief, doc.lunch)).toBeUndefined();
    expect(brief.items.map((i) => i.docId)).toEqual([doc.adr, doc.onboarding]);
  });
});

describe('Tuesday night: documents linked with hers', () => {
  let brief: Brief;
  beforeAll(async () => {
    clock.set('2026-03-10T17:00:00Z');
    await b.edit(sam, doc.spec, {
      markdown: md('## Endpoint', 'GET /sync?cursor=<opaque> returns the changed documents after the cursor, so that we can shard the log later.'),
      message: 'Cursor must be opaque for sharding',
    });
    clock.set('2026-03-10T17:10:00Z');
    await b.edit(marcus, doc.push, { markdown: md('Pushes wake the client, which then reads its [offline cache](/docs/' + doc.offline + ') and syncs the rest over Wi-Fi only.') });
    clock.set('2026-03-10T17:20:00Z');
    await b.edit(marcus, doc.adrLinked, { decision: { status: 'accepted' }, message: 'Measured on the oldest supported phones' });
    clock.set('2026-03-10T17:30:00Z');
    await b.edit(marcus, doc.secretSpec, { markdown: md('Sync is free for teams under twenty people.'), message: 'Cheaper for small teams' });
    brief = await lenaAt8('2026-03-11');
  });

  it('tells of a spec her document links to, naming her document', () => {
    const item = itemOf(brief, doc.spec)!;
    expect(item.reasons).toEqual(['linked']);
    expect(item.linkedVia).toEqual({ docId: doc.plan, title: 'Mobile client plan', direction: 'links-to' });
    expect(brief.markdown).toContain('Changed: *Sync API*, which your *Mobile client plan* links to.');
    expect(item.summary).toContain('Changed: Sync API, which your Mobile client plan links to.');
  });

  it('and of one that links to her document', () => {
    const item = itemOf(brief, doc.push)!;
    expect(item.reasons).toEqual(['linked']);
    expect(item.linkedVia).toEqual({ docId: doc.offline, title: 'Offline cache notes', direction: 'linked-from' });
    expect(brief.markdown).toContain('Changed: *Push notifications spec*, which links to your *Offline cache notes*.');
  });

  it('counts a decision her recent document links to as a decision, first', () => {
    const item = brief.items[0]!;
    expect(item.docId).toBe(doc.adrLinked);
    expect(item.reasons).toEqual(['decision', 'linked']);
    expect(item.linkedVia?.docId).toBe(doc.plan);
    expect(brief.markdown).toContain('Status: proposed → **accepted**');
  });

  it('no longer names her document once she cannot read it (in the trash), and again once restored', async () => {
    expect((await api.del(`/api/docs/${doc.plan}`, lena.token)).status).toBe(204);
    const shown = (await api.get(`/api/briefs/${brief.id}`, lena.token)).body.brief as Brief;
    expect(itemOf(shown, doc.spec)?.reasons).toEqual(['linked']);
    expect(itemOf(shown, doc.spec)?.linkedVia).toBeUndefined();
    expect(shown.markdown).not.toContain('Mobile client plan');
    expect((await api.post(`/api/docs/${doc.plan}/restore`, {}, lena.token)).status).toBe(200);
    const again = (await api.get(`/api/briefs/${brief.id}`, lena.token)).body.brief as Brief;
    expect(itemOf(again, doc.spec)?.linkedVia?.title).toBe('Mobile client plan');
  });

  it('never tells of a linked document in a private space she cannot read', () => {
    expect(itemOf(brief, doc.secretSpec)).toBeUndefined();
    expect(brief.markdown).not.toContain('Sync pricing');
    expect(brief.markdown).not.toContain('Cheaper for small teams');
    expect(brief.items.map((i) => i.docId).sort()).toEqual([doc.adrLinked, doc.spec, doc.push].sort());
  });
});

describe('Wednesday: handoff notes', () => {
  let brief: Brief;
  beforeAll(async () => {
    const note = (blocked: string[], decisions: string[] = []) =>
      md(
        '## Done',
        '- Shipped the opaque sync cursor',
        '## In progress / next',
        '- Load test of the new engine',
        '## Blocked on',
        blocked.length ? blocked.map((l) => `- ${l}`).join('\n') : '-',
        '## Decisions needed',
        decisions.length ? decisions.map((l) => `- ${l}`).join('\n') : '-',
        '## Handing over to',
        '- Berlin',
      );
    clock.set('2026-03-11T12:30:00Z'); // 18:00 in Bangalore
    doc.priyaNote = (
      await api.doc(priya, space.bangalore, 'Handoff: Bangalore, Wednesday', note(['@lena to confirm the EU rollout window']), { kind: 'handoff', handoff: { to: [lena.id] } })
    ).id;
    clock.set('2026-03-11T12:40:00Z');
    doc.privateNote = (await api.doc(priya, space.bangaloreLeads, 'Handoff: leads only', note(['Budget sign-off']), { kind: 'handoff', handoff: { to: [lena.id] } })).id;
    clock.set('2026-03-11T17:00:00Z'); // 10:00 in San Francisco
    doc.toSf = (await api.doc(sam, space.sf, 'Handoff: SF to SF', note(['Staging is down']), { kind: 'handoff', handoff: { to: [`space:${space.sf}`] } })).id;
    doc.toBerlin = (await api.doc(sam, space.sf, 'Handoff: SF to Berlin', note([]), { kind: 'handoff', handoff: { to: [`space:${space.berlin}`] } })).id;
    clock.set('2026-03-11T17:20:00Z');
    doc.toSam = (
      await api.doc(marcus, space.platform, 'Handoff: Marcus to Sam', note([], ['@lena ship 4.2 with the old engine?']), { kind: 'handoff', handoff: { to: [sam.id] } })
    ).id;
    brief = await lenaAt8('2026-03-12');
  });

  it('leads with the note addressed to her, its sections, who wrote it, and what blocks on her', () => {
    const first = brief.items[0]!;
    expect(first.docId).toBe(doc.priyaNote);
    expect(first.reasons.slice(0, 2)).toEqual(['handoff', 'asked']);
    expect(first.handoff).toEqual({
      from: priya.id,
      timezone: 'Asia/Kolkata',
      sections: [
        { heading: 'Done', items: ['Shipped the opaque sync cursor'], more: 0 },
        { heading: 'In progress / next', items: ['Load test of the new engine'], more: 0 },
        { heading: 'Blocked on', items: ['@lena to confirm the EU rollout window'], more: 0 },
        { heading: 'Handing over to', items: ['Berlin'], more: 0 },
      ],
    });
    expect(first.asks).toEqual([{ section: 'blocked', text: expect.stringContaining('to confirm the EU rollout window'), askedBy: priya.id, askedAt: '2026-03-11T12:30:00.000Z' }]);
    expect(brief.markdown).toContain('## Handoffs to you');
    expect(brief.markdown).toContain('**Handoff from Priya Raman** (Kolkata, Wed 18:00 their time)');
    expect(brief.markdown).toContain('- **Blocked on:** @lena to confirm the EU rollout window');
    expect(brief.markdown).toMatch(/\*\*Priya Raman is blocked on you:\*\* “[^”]*to confirm the EU rollout window”/);
  });

  it('reaches her through a space she is a member of, not through one she is not in', () => {
    expect(itemOf(brief, doc.toBerlin)?.reasons).toContain('handoff');
    expect(itemOf(brief, doc.toSf)).toBeUndefined();
  });

  it('counts "decision needed from @her" in a note addressed to someone else as asked', () => {
    const item = itemOf(brief, doc.toSam)!;
    expect(item.reasons).toContain('asked');
    expect(item.reasons).not.toContain('handoff');
    expect(item.asks?.map((a) => [a.section, a.askedBy])).toEqual([['decision', marcus.id]]);
    expect(brief.markdown).toContain('**Marcus Chen needs a decision from you:**');
  });

  it('never shows a note in a private space she cannot read, even addressed to her', () => {
    expect(itemOf(brief, doc.privateNote)).toBeUndefined();
    expect(brief.markdown).not.toContain('leads only');
    expect(brief.markdown).not.toContain('Budget sign-off');
  });

  it('the e-mail-ready HTML page says it in words too', async () => {
    const res = await api.get(`/api/briefs/${brief.id}.html`, lena.token);
    expect(res.status).toBe(200);
    const html = res.body as string;
    expect(html).toContain('<strong>Handoff from Priya Raman</strong> (Kolkata, Wed 18:00 their time)');
    expect(html).toContain('<strong>Blocked on:</strong> @lena to confirm the EU rollout window');
    expect(html).toContain('<strong>Priya Raman is blocked on you:</strong>');
  });
});

describe('one reader at a time, or many sharing one read of the window (the scheduler)', () => {
  it('select the same items for the same reasons', async () => {
    const { db } = api.t.deps;
    const shared = createSharedWindow(db);
    const reader = (await db.select().from(users).where(eq(users.id, lena.id)).get())!;
    expect(briefs).toHaveLength(3);
    for (const brief of briefs) {
      const window = { since: Date.parse(brief.since), until: Date.parse(brief.until) };
      const alone = await buildBrief(db, reader, window);
      const together = await buildBrief(db, reader, { ...window, window: shared });
      expect(together).toEqual(alone);
      expect(alone.draft.items.map((i) => [i.docId, i.reasons])).toEqual(brief.items.map((i) => [i.docId, i.reasons]));
    }
  });
});
