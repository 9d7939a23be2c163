import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Person } from '../api/client.ts';
import { BriefApi, FakeClock, HOUR, itemOf } from './helpers.ts';

/** Briefs are built from what each reader may read, and rechecked when they are shown. */

const clock = new FakeClock(Date.parse('2026-05-04T08:00:00Z'));
let api: ApiClient;
let b: BriefApi;
let admin: Person;
let ada: Person;
let bob: Person;
let open: string;
let platform: string;

beforeAll(async () => {
  api = await ApiClient.start({ clock });
  b = new BriefApi(api);
  admin = await api.signup('admin', { name: 'Admin' });
  ada = await api.signup('ada', { name: 'Ada' });
  bob = await api.signup('bob', { name: 'Bob' });
  open = await api.space(admin, 'Everyone');
  platform = await api.space(admin, 'Platform', true);
  await b.member(admin, open, ada);
  await b.member(admin, open, bob);
  await b.member(admin, platform, ada);
  for (const who of [ada, bob]) {
    expect((await api.put(`/api/spaces/${open}/watch`, {}, who.token)).status).toBe(204);
    await b.caughtUp(who);
  }
  expect((await api.put(`/api/spaces/${platform}/watch`, {}, ada.token)).status).toBe(204);
  // Bob tries to watch the private space: he may not even see it.
  expect((await api.put(`/api/spaces/${platform}/watch`, {}, bob.token)).status).toBe(404);
});
afterAll(() => api.close());

describe('two readers with different access', () => {
  it('get briefs built only from what each may read', async () => {
    clock.advance(HOUR);
    const lunch = await api.doc(admin, open, 'Lunch rota', 'Tuesdays: the platform team orders for everyone.');
    const secret = await api.doc(admin, platform, 'Incident 4411 postmortem', 'The signing key leaked through a debug endpoint; rotate it before Friday.');
    clock.advance(HOUR);
    const adaBrief = await b.build(ada);
    const bobBrief = await b.build(bob);
    expect(adaBrief.items.map((i) => i.docId).sort()).toEqual([lunch.id, secret.id].sort());
    expect(bobBrief.items.map((i) => i.docId)).toEqual([lunch.id]);
    for (const text of ['Incident 4411', 'signing key', 'Platform']) expect(bobBrief.markdown).not.toContain(text);
    expect(adaBrief.markdown).toContain('signing key leaked');
    await b.ack(ada, adaBrief.id);
    await b.ack(bob, bobBrief.id);
  });
});

describe('a reader removed from a space before her brief is shown', () => {
  it('no longer sees its items, and the Markdown is rewritten without them', async () => {
    clock.advance(HOUR);
    const roadmap = await api.doc(admin, platform, 'Platform roadmap', 'We deprecate the v1 sync endpoint in June.');
    const menu = await api.doc(admin, open, 'Cafeteria menu', 'Soup of the week: pumpkin with ginger.');
    clock.advance(HOUR);
    const built = await b.build(ada);
    expect(built.items.map((i) => i.docId).sort()).toEqual([roadmap.id, menu.id].sort());
    expect(built.markdown).toContain('Platform roadmap');

    await b.removeMember(admin, platform, ada);

    const shown = await b.latest(ada);
    expect(shown.id).toBe(built.id);
    expect(shown.items.map((i) => i.docId)).toEqual([menu.id]);
    expect(shown.markdown).not.toContain('Platform roadmap');
    expect(shown.markdown).not.toContain('deprecate the v1 sync endpoint');
    expect(shown.markdown).toContain('Cafeteria menu');
    expect(shown.markdown).toContain('1 change for you');
    expect(shown.writer).toBe('extractive');
    const byId = await api.get(`/api/briefs/${built.id}`, ada.token);
    expect(byId.body.brief.items.map((i: { docId: string }) => i.docId)).toEqual([menu.id]);
    const html = await api.get(`/api/briefs/${built.id}.html`, ada.token);
    expect(html.status).toBe(200);
    expect(html.body).not.toContain('Platform roadmap');
    expect(html.body).not.toContain('v1 sync endpoint');
    expect(html.body).toContain('Cafeteria menu');

    // Back in the space: the item is back (nothing was thrown away).
    await b.member(admin, platform, ada);
    expect((await b.latest(ada)).items).toHaveLength(2);
    await b.removeMember(admin, platform, ada);
    await b.ack(ada, built.id);
  });

  it('does not see a document that went to the trash', async () => {
    clock.advance(HOUR);
    const draft = await api.doc(admin, open, 'Draft offsite agenda', 'Day one: a walk by the lake and the roadmap review.');
    const kept = await api.doc(admin, open, 'Parking rules', 'Visitors park on level two from now on.');
    clock.advance(HOUR);
    const built = await b.build(bob);
    expect(itemOf(built, draft.id)).toBeDefined();
    expect((await api.del(`/api/docs/${draft.id}`, admin.token)).status).toBe(204);
    const shown = await b.latest(bob);
    expect(shown.items.map((i) => i.docId)).not.toContain(draft.id);
    expect(shown.items.map((i) => i.docId)).toContain(kept.id);
    expect(shown.items).toHaveLength(built.items.length - 1);
    expect(shown.markdown).not.toContain('offsite agenda');
    await b.ack(bob, built.id);
  });

  it('never gets a brief with changes from a space she has left', async () => {
    clock.advance(HOUR);
    await api.doc(admin, platform, 'Platform on-call', 'Ada is no longer on the rota.');
    clock.advance(HOUR);
    const brief = await b.build(ada);
    expect(brief.markdown).not.toContain('Platform on-call');
    expect(brief.items.filter((i) => i.spaceId === platform)).toEqual([]);
  });
});

describe('workspace admins', () => {
  it('read every space, private ones they are not in too', async () => {
    await b.caughtUp(admin);
    const bobs = await api.space(bob, 'Bob’s notes', true);
    const doc = await api.doc(bob, bobs, 'Key rotation checklist', 'Rotate the signing key every quarter.');
    expect((await api.put(`/api/docs/${doc.id}/watch`, {}, admin.token)).status).toBe(204);
    clock.advance(HOUR);
    await b.edit(bob, doc.id, { markdown: 'Rotate the signing key every month, and after every incident.', message: 'Monthly now' });
    clock.advance(HOUR);
    const brief = await b.build(admin);
    expect(itemOf(brief, doc.id)?.reasons).toEqual(['watch']);
    expect(brief.markdown).toContain('Monthly now');
    expect((await b.build(ada)).markdown).not.toContain('Key rotation');
  });
});

describe('someone else’s brief', () => {
  it('is not found, to read or to acknowledge', async () => {
    const adas = await b.latest(ada);
    expect((await api.get(`/api/briefs/${adas.id}`, bob.token)).status).toBe(404);
    expect((await api.get(`/api/briefs/${adas.id}.html`, bob.token)).status).toBe(404);
    expect((await api.post(`/api/briefs/${adas.id}/ack`, {}, bob.token)).status).toBe(404);
    expect((await api.get('/api/briefs/latest', null)).status).toBe(401);
    expect((await api.get(`/api/briefs/${adas.id}.html`, null)).status).toBe(401);
  });
});

describe('comment threads', () => {
  it('reach a reader only on documents she may read, and leave a shown brief once she may not', async () => {
    await b.member(admin, platform, ada);
    const faq = await api.doc(admin, open, 'Onboarding FAQ', 'Laptops are ordered on the first day.');
    const ops = await api.doc(admin, platform, 'Ops handbook', 'Rotate the signing key every quarter.');
    clock.advance(HOUR);
    for (const who of [ada, bob]) await b.caughtUp(who);
    clock.advance(HOUR);
    const ask = async (docId: string, quote: string, markdown: string) => {
      const res = await api.post(`/api/docs/${docId}/threads`, { markdown, anchor: { quote }, ask: [ada.id, bob.id] }, admin.token);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.thread.id as string;
    };
    const faqThread = await ask(faq.id, 'first day', 'Is the first day a Monday?');
    const opsThread = await ask(ops.id, 'signing key', 'Who holds the signing key backup?');
    clock.advance(HOUR);

    const adaBrief = await b.build(ada);
    const bobBrief = await b.build(bob);
    expect(adaBrief.items.map((i) => [i.docId, i.reasons]).sort()).toEqual([[faq.id, ['asked']], [ops.id, ['asked']]].sort());
    expect(bobBrief.items.map((i) => [i.docId, i.reasons])).toEqual([[faq.id, ['asked']]]);
    for (const text of ['Ops handbook', 'signing key', opsThread]) expect(bobBrief.markdown).not.toContain(text);
    expect((await api.get('/api/me/waiting', bob.token)).body.threads.map((t: { id: string }) => t.id)).toEqual([faqThread]);

    // Removed from the space: her brief, shown again, and her waiting list lose its thread at once.
    await b.removeMember(admin, platform, ada);
    const shown = await b.latest(ada);
    expect(shown.id).toBe(adaBrief.id);
    expect(shown.items.map((i) => i.docId)).toEqual([faq.id]);
    expect(shown.markdown).not.toContain('signing key');
    expect(shown.markdown).toContain('Is the first day a Monday?');
    expect((await api.get('/api/me/waiting', ada.token)).body.threads.map((t: { id: string }) => t.id)).toEqual([faqThread]);
  });
});
