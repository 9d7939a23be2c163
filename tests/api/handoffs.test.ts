import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDOFF_TEMPLATE_MARKDOWN } from '@handoff/shared/handoff-template';
import { FakeClock } from '../briefs/helpers.ts';
import { ApiClient, type Person } from './client.ts';

/*
 * Handoff notes over HTTP (contract v2 § Handoff notes): recipients, the template, asks from
 * "Blocked on" / "Decisions needed" in "Waiting on you", the log by day and the end-of-day draft.
 * Monday 2026-03-09: Berlin is UTC+1, Kolkata UTC+5:30.
 */

const clock = new FakeClock(Date.parse('2026-03-09T06:00:00Z'));
let api: ApiClient;

let priya: Person; // Bangalore
let lena: Person; // Berlin
let bo: Person;
let open: string;
let hidden: string; // private to Bo: Priya and Lena cannot read it
let own: string; // private to Priya

interface WaitingAsk {
  docId: string;
  title: string;
  section: 'blocked' | 'decision';
  text: string;
  askedBy: string;
  askedAt: string;
}

async function handoff(who: Person, spaceId: string, body: Record<string, unknown>) {
  const res = await api.post('/api/docs', { spaceId, title: 'Handoff', kind: 'handoff', ...body }, who.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.doc as { id: string; revision: number; markdown: string; handoff: { to: string[] } };
}
async function asksOf(who: Person): Promise<WaitingAsk[]> {
  const res = await api.get('/api/me/waiting', who.token);
  expect(res.status).toBe(200);
  return res.body.handoffAsks;
}

beforeAll(async () => {
  api = await ApiClient.start({ clock });
  await api.signup('ops', { timezone: 'UTC' }); // the workspace admin (the first person)
  priya = await api.signup('priya', { name: 'Priya Raman', timezone: 'Asia/Kolkata' });
  lena = await api.signup('lena', { name: 'Lena Fischer', timezone: 'Europe/Berlin' });
  bo = await api.signup('bo', { name: 'Bo', timezone: 'Europe/Berlin' });
  open = await api.space(priya, 'Sync');
  hidden = await api.space(bo, 'Bo private', true);
  own = await api.space(priya, 'Priya private', true);
});
afterAll(() => api.close());

describe('handoff notes', () => {
  it('are created with the template and their recipients, which every doc response shows', async () => {
    const doc = await handoff(priya, open, { handoff: { to: [lena.id, `space:${open}`, lena.id] } });
    expect(doc.markdown).toBe(HANDOFF_TEMPLATE_MARKDOWN);
    expect(doc.markdown).toContain('## Done\n\n-\n\n## In progress / next\n\n-\n\n## Blocked on\n\n-\n\n## Decisions needed\n\n-\n\n## Handing over to\n\n-\n');
    expect(doc.handoff).toEqual({ to: [lena.id, `space:${open}`].sort() });
    expect((await api.get(`/api/docs/${doc.id}`, lena.token)).body.doc.handoff).toEqual(doc.handoff);
    const listed = await api.get(`/api/docs?spaceId=${open}&kind=handoff`, lena.token);
    expect(listed.body.docs.find((d: { id: string }) => d.id === doc.id).handoff).toEqual(doc.handoff);
    const page = await api.doc(priya, open, 'A page');
    expect((await api.get(`/api/docs/${page.id}`, priya.token)).body.doc.handoff).toBeUndefined();
    // A note with its own body keeps it.
    expect((await handoff(priya, open, { markdown: '## Done\n\n- shipped\n' })).markdown).toBe('## Done\n\n- shipped\n');
  });

  it('refuses unknown recipients with 422; a private space the author cannot read is as unknown as a missing one', async () => {
    const missing = await api.post('/api/docs', { spaceId: open, title: 'H', kind: 'handoff', handoff: { to: ['space:nosuchspace'] } }, priya.token);
    const secret = await api.post('/api/docs', { spaceId: open, title: 'H', kind: 'handoff', handoff: { to: [`space:${hidden}`] } }, priya.token);
    expect(missing.status).toBe(422);
    expect(secret.status).toBe(422);
    expect(secret.body).toEqual(JSON.parse(JSON.stringify(missing.body).replace('space:nosuchspace', `space:${hidden}`)));
    expect(secret.body.error.details).toEqual({ field: 'handoff.to', unknown: [`space:${hidden}`] });
    // Her own private space is fine; a person who does not exist is not.
    expect((await api.post('/api/docs', { spaceId: open, title: 'H', kind: 'handoff', handoff: { to: [`space:${own}`] } }, priya.token)).status).toBe(201);
    const nobody = await api.post('/api/docs', { spaceId: open, title: 'H', kind: 'handoff', handoff: { to: [lena.id, 'nosuchuser'] } }, priya.token);
    expect(nobody.status).toBe(422);
    expect(nobody.body.error.details.unknown).toEqual(['nosuchuser']);
    // Recipients on another kind: 400 on create (the schema says so), 422 on patch.
    expect((await api.post('/api/docs', { spaceId: open, title: 'P', handoff: { to: [] } }, priya.token)).status).toBe(400);
    const page = await api.doc(priya, open, 'Page');
    expect((await api.patch(`/api/docs/${page.id}`, { handoff: { to: [lena.id] } }, priya.token)).status).toBe(422);
  });

  it('replaces the recipients on PATCH as one revision, seen at once by readers', async () => {
    const doc = await handoff(priya, open, { handoff: { to: [lena.id] } });
    expect((await api.get(`/api/docs/${doc.id}`, lena.token)).body.doc.handoff.to).toEqual([lena.id]);
    const res = await api.patch(`/api/docs/${doc.id}`, { handoff: { to: [bo.id, `space:${open}`] } }, priya.token);
    expect(res.status).toBe(200);
    expect(res.body.doc).toMatchObject({ revision: 2, handoff: { to: [bo.id, `space:${open}`].sort() } });
    expect((await api.get(`/api/docs/${doc.id}`, lena.token)).body.doc.handoff.to).toEqual([bo.id, `space:${open}`].sort());
    expect((await api.patch(`/api/docs/${doc.id}`, { handoff: { to: [`space:${hidden}`] } }, priya.token)).status).toBe(422);
    expect((await api.patch(`/api/docs/${doc.id}`, { handoff: { to: [] } }, priya.token)).body.doc).toMatchObject({ revision: 3, handoff: { to: [] } });
  });
});

describe('asks in "Waiting on you"', () => {
  it('"Blocked on @lena" waits on Lena until she replies on the note; Done answers one item; a deleted item stops asking', async () => {
    const markdown = '## Blocked on\n\n- the schema review by @lena\n- staging access from @bo\n\n## Decisions needed\n\n- @lena: ship on Friday or Monday?\n';
    const doc = await handoff(priya, open, { title: 'Priya → Berlin', markdown, handoff: { to: [lena.id] } });
    const mine = async (who: Person) => (await asksOf(who)).filter((a) => a.docId === doc.id);
    expect((await mine(lena)).sort((a, b) => a.section.localeCompare(b.section))).toEqual([
      { docId: doc.id, title: 'Priya → Berlin', section: 'blocked', text: 'the schema review by @lena', askedBy: priya.id, askedAt: new Date(clock.now()).toISOString() },
      { docId: doc.id, title: 'Priya → Berlin', section: 'decision', text: '@lena: ship on Friday or Monday?', askedBy: priya.id, askedAt: new Date(clock.now()).toISOString() },
    ]);
    expect((await mine(priya))).toEqual([]);

    // Bo may read the note but was not asked this: 404. Lena marks the decision done: 204.
    const done = (who: Person, body: unknown) => api.post(`/api/docs/${doc.id}/handoff-asks/done`, body, who.token);
    expect((await done(bo, { section: 'decision', text: '@lena: ship on Friday or Monday?' })).status).toBe(404);
    expect((await done(lena, { section: 'decision', text: '@lena: ship on Friday or Monday?' })).status).toBe(204);
    expect((await mine(lena)).map((a) => a.section)).toEqual(['blocked']);

    // Bo's item is taken out of the note: it no longer waits on him.
    expect((await mine(bo)).length).toBe(1);
    const trimmed = '## Blocked on\n\n- the schema review by @lena\n\n## Decisions needed\n\n- @lena: ship on Friday or Monday?\n';
    expect((await api.patch(`/api/docs/${doc.id}`, { markdown: trimmed }, priya.token)).status).toBe(200);
    expect(await mine(bo)).toEqual([]);

    // Lena replies in a thread on the note: everything it asked her is answered.
    const thread = await api.post(`/api/docs/${doc.id}/threads`, { markdown: 'Review done, see the comments in the spec.' }, lena.token);
    expect(thread.status).toBe(201);
    expect(await mine(lena)).toEqual([]);
  });

  it('a revision written by the asked person answers her', async () => {
    const doc = await handoff(priya, open, { markdown: '## Blocked on\n\n- @lena the API keys\n' });
    expect((await asksOf(lena)).some((a) => a.docId === doc.id)).toBe(true);
    expect((await api.patch(`/api/docs/${doc.id}`, { markdown: '## Blocked on\n\n- @lena the API keys\n\n## Done\n\n- keys sent (Lena)\n' }, lena.token)).status).toBe(200);
    expect((await asksOf(lena)).some((a) => a.docId === doc.id)).toBe(false);
  });

  it('never shows a note the asked person cannot read; done on it is 404', async () => {
    const doc = await handoff(priya, own, { markdown: '## Blocked on\n\n- @lena secret things\n' });
    expect((await asksOf(lena)).some((a) => a.docId === doc.id)).toBe(false);
    expect((await api.post(`/api/docs/${doc.id}/handoff-asks/done`, { section: 'blocked', text: '@lena secret things' }, lena.token)).status).toBe(404);
    // Once she may read the space, the ask is hers to see; trashed, it is gone again.
    expect((await api.put(`/api/spaces/${own}/members/${lena.id}`, { role: 'viewer' }, priya.token)).status).toBe(200);
    expect((await asksOf(lena)).some((a) => a.docId === doc.id)).toBe(true);
    expect((await api.del(`/api/docs/${doc.id}`, priya.token)).status).toBe(204);
    expect((await asksOf(lena)).some((a) => a.docId === doc.id)).toBe(false);
    expect((await api.del(`/api/spaces/${own}/members/${lena.id}`, priya.token)).status).toBe(204);
  });
});

describe('the handoff log and the end-of-day draft', () => {
  let log: { api: ApiClient; priya: Person; lena: Person; bo: Person; space: string; secret: string; clock: FakeClock };
  beforeAll(async () => {
    const c = new FakeClock(Date.parse('2026-03-09T06:00:00Z'));
    const a = await ApiClient.start({ clock: c });
    await a.signup('admin', { timezone: 'UTC' });
    const p = await a.signup('priya', { name: 'Priya Raman', timezone: 'Asia/Kolkata' });
    const l = await a.signup('lena', { name: 'Lena Fischer', timezone: 'Europe/Berlin' });
    const b = await a.signup('bo', { timezone: 'America/Los_Angeles' });
    log = { api: a, priya: p, lena: l, bo: b, space: await a.space(p, 'Sync'), secret: await a.space(p, 'Secret', true), clock: c };
  });
  afterAll(() => log.api.close());

  it("lists notes the caller can read by day in the caller's time zone, newest first", async () => {
    const { api: a, priya: p, lena: l, bo: b, space, secret, clock: c } = log;
    const write = async (at: string, title: string, spaceId = space) => {
      c.set(at);
      const res = await a.post('/api/docs', { spaceId, title, kind: 'handoff', markdown: '## Done\n\n- a\n- b\n\n## Blocked on\n\n- @lena c\n', handoff: { to: [l.id] } }, p.token);
      expect(res.status).toBe(201);
      return res.body.doc.id as string;
    };
    const monday = await write('2026-03-09T12:30:00Z', 'Monday 18:00 IST'); // 13:30 Berlin, 05:30 LA (Monday)
    const late = await write('2026-03-09T23:30:00Z', 'Tuesday 05:00 IST'); // 00:30 Tuesday Berlin, 16:30 Monday LA
    await write('2026-03-09T23:40:00Z', 'Secret', secret);

    const days = async (who: Person, query = '') => {
      const res = await a.get(`/api/handoffs${query}`, who.token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.days as Array<{ date: string; handoffs: Array<{ doc: { id: string } }> }>).map((d) => [d.date, d.handoffs.map((h) => h.doc.id)]);
    };
    expect(await days(l)).toEqual([
      ['2026-03-10', [late]],
      ['2026-03-09', [monday]],
    ]);
    expect(await days(b)).toEqual([['2026-03-09', [late, monday]]]);
    expect(await days(l, '?from=2026-03-10&to=2026-03-10')).toEqual([['2026-03-10', [late]]]);
    expect((await days(p)).flatMap(([, ids]) => ids)).toHaveLength(3);

    const entry = (await a.get(`/api/handoffs?spaceId=${space}&limit=1`, l.token)).body;
    expect(entry.days[0].handoffs[0]).toMatchObject({
      doc: { id: late, kind: 'handoff', title: 'Tuesday 05:00 IST', handoff: { to: [l.id] } },
      author: { id: p.id, name: 'Priya Raman' },
      to: [l.id],
      counts: { done: 2, next: 0, blocked: 1, decisions: 0 },
    });
    expect(entry.nextCursor).toEqual(expect.any(String));
    expect((await a.get(`/api/handoffs?spaceId=${space}&limit=1&cursor=${entry.nextCursor}`, l.token)).body.days[0].handoffs[0].doc.id).toBe(monday);
    // A space the caller cannot read: 404, as for any unknown space.
    expect((await a.get(`/api/handoffs?spaceId=${secret}`, l.token)).status).toBe(404);
  });

  it('offers the draft in the last hour of the working day, prefilled with what she changed today, until she writes one', async () => {
    const { api: a, lena: l, priya: p, space, clock: c } = log;
    c.set('2026-03-10T08:00:00Z'); // Tuesday, 09:00 in Berlin
    const spec = await a.doc(p, space, 'Sync API spec', 'v1');
    const mine = await a.doc(l, space, 'Berlin rollout', 'Step one.');
    c.set('2026-03-10T10:00:00Z');
    expect((await a.patch(`/api/docs/${spec.id}`, { markdown: 'v2 by Lena' }, l.token)).status).toBe(200);
    const draft = async () => {
      const res = await a.get('/api/me/handoff-draft', l.token);
      expect(res.status).toBe(200);
      return res.body as { offer: boolean; date: string; workEnd: string; draft: { title: string; markdown: string; to: string[] } };
    };
    expect((await draft()).offer).toBe(false); // 11:00 in Berlin
    c.set('2026-03-10T15:10:00Z'); // 16:10
    const offered = await draft();
    expect(offered).toMatchObject({ offer: true, date: '2026-03-10', workEnd: '17:00' });
    expect(offered.draft.markdown).toContain(`## Done\n\n- [Sync API spec](/docs/${spec.id})\n- [Berlin rollout](/docs/${mine.id})\n`);
    expect(offered.draft.to).toEqual([]);

    const created = await a.post('/api/docs', { spaceId: space, kind: 'handoff', title: offered.draft.title, markdown: offered.draft.markdown, handoff: { to: [p.id] } }, l.token);
    expect(created.status).toBe(201);
    const after = await draft();
    expect(after.offer).toBe(false);
    expect(after.draft.to).toEqual([p.id]);
    expect(after.draft.markdown).toContain('## Handing over to\n\n- @priya\n');
  });
});
