import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { briefs, eq } from '@handoff/db';
import { ApiClient, type Person } from '../api/client.ts';
import { BriefApi, FakeClock, itemOf, type Brief } from './helpers.ts';

/*
 * Issue 10's brief scenario, over HTTP with the scheduler driven by hand. Marcus in San Francisco
 * asks Lena in Berlin a question at 17:00 his time, anchored on a sentence of the launch plan; it
 * reaches her 08:00 brief under `asked`, linked to the thread. Her reply clears it from "waiting
 * on you" and is in Marcus's next 08:00 brief under `thread`. Meanwhile threads that ask her in a
 * private space she is not in, and in one she is removed from overnight, never reach her; a
 * comment deleted before her brief is built, or after it, is never quoted.
 *
 * 2026-03-10/11 (UTC): Berlin is UTC+1 (CET), San Francisco UTC-7 (PDT since March 8).
 */

interface BriefThread {
  threadId: string;
  reason: 'asked' | 'thread';
  askedBy?: string;
  quote: string | null;
  orphaned: boolean;
  replies: Array<{ commentId: string; authorId: string; text: string; createdAt: string }>;
  newComments: number;
  url: string;
}
type Item = Brief['items'][number] & { threads: BriefThread[] };

const clock = new FakeClock(Date.parse('2026-03-10T12:00:00Z'));
let api: ApiClient;
let b: BriefApi;
let ops: Person;
let lena: Person;
let marcus: Person;
let sam: Person;
let engineering: string;
let platform: string;
const doc = {} as Record<'hiring' | 'launch' | 'oncall', string>;
let question: { id: string; firstComment: string };
let askedAtLocal: string;
let slippedComment: string;
let pingComment: string;
let lenaBrief: Brief;
let lenaRebuilt: Brief;
let lenaShownLater: Brief;
let lenaWaitingBefore: Array<{ id: string; docId: string }>;
let lenaWaitingAfter: Array<{ id: string }>;
let marcusBrief: Brief;

const hourIn = (zone: string, ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

async function startThread(who: Person, docId: string, body: Record<string, unknown>) {
  const res = await api.post(`/api/docs/${docId}/threads`, body, who.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.thread as { id: string; comments: Array<{ id: string }> };
}
async function reply(who: Person, threadId: string, markdown: string): Promise<string> {
  const res = await api.post(`/api/threads/${threadId}/comments`, { markdown }, who.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.comment.id;
}
async function waiting(who: Person) {
  const res = await api.get('/api/me/waiting', who.token);
  expect(res.status).toBe(200);
  return res.body.threads as Array<{ id: string; docId: string }>;
}

beforeAll(async () => {
  api = await ApiClient.start({ clock });
  b = new BriefApi(api);
  ops = await api.signup('ops', { name: 'Workspace Admin', timezone: 'Pacific/Kiritimati' }); // the first person administers the workspace
  lena = await api.signup('lena', { name: 'Lena Fischer', timezone: 'Europe/Berlin' });
  marcus = await api.signup('marcus', { name: 'Marcus Chen', timezone: 'America/Los_Angeles' });
  sam = await api.signup('sam', { name: 'Sam Okafor', timezone: 'America/Los_Angeles' });

  engineering = await api.space(marcus, 'Engineering');
  await b.member(marcus, engineering, lena);
  await b.member(marcus, engineering, sam);
  const leadership = await api.space(sam, 'Leadership', true);
  await b.member(sam, leadership, marcus);
  platform = await api.space(marcus, 'Platform', true);
  await b.member(marcus, platform, lena);

  doc.launch = (await api.doc(marcus, engineering, 'Launch plan 4.2', 'Code freeze on Thursday; release on Monday at 16:00 UTC.\n\nWe roll out region by region, starting with the US.')).id;
  doc.hiring = (await api.doc(sam, leadership, 'Q3 hiring plan', 'We hire two backend engineers in Berlin this quarter.')).id;
  doc.oncall = (await api.doc(marcus, platform, 'Platform on-call', 'The rota changes every Monday.')).id;

  // Everyone is caught up on the afternoon of the 10th (UTC).
  clock.set('2026-03-10T16:00:00Z');
  for (const who of [ops, lena, marcus, sam]) await b.caughtUp(who);

  // 17:00 in San Francisco: Marcus asks Lena about one sentence of the launch plan.
  clock.set('2026-03-11T00:00:00Z');
  askedAtLocal = hourIn('America/Los_Angeles', clock.now());
  const thread = await startThread(marcus, doc.launch, {
    markdown: 'Can Berlin confirm the **EU rollout window** before Friday?',
    anchor: { quote: 'release on Monday at 16:00 UTC' },
    ask: [lena.id],
  });
  question = { id: thread.id, firstComment: thread.comments[0]!.id };

  // The same evening: Sam asks Lena in Leadership, where she is not a member; Marcus asks her in
  // Platform, from which she is removed before her morning.
  clock.set('2026-03-11T00:10:00Z');
  await startThread(sam, doc.hiring, { markdown: 'Lena, does the Berlin hiring budget hold?', anchor: { quote: 'two backend engineers' }, ask: [lena.id] });
  clock.set('2026-03-11T00:20:00Z');
  await startThread(marcus, doc.oncall, { markdown: '@lena can you take the rota handover on Monday?', anchor: { quote: 'every Monday' } });

  // A comment written and deleted at once; a follow-up that stays (for now).
  clock.set('2026-03-11T00:30:00Z');
  slippedComment = await reply(marcus, question.id, 'Internal: the Globex contract slips to Q4.');
  clock.set('2026-03-11T00:31:00Z');
  expect((await api.del(`/api/comments/${slippedComment}`, marcus.token)).status).toBe(204);
  clock.set('2026-03-11T01:00:00Z');
  pingComment = await reply(marcus, question.id, 'Also the APAC window, if you know it.');

  clock.set('2026-03-11T06:00:00Z');
  await b.removeMember(marcus, platform, lena);

  // 08:00 in Berlin: her scheduled brief.
  clock.set('2026-03-11T06:59:00Z');
  await api.t.deps.briefScheduler.runDue();
  expect((await api.get('/api/briefs/latest', lena.token)).body.brief.until).toBe('2026-03-10T16:00:00.000Z'); // not yet
  clock.set('2026-03-11T07:00:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBeGreaterThanOrEqual(1);
  lenaBrief = await b.latest(lena);
  lenaWaitingBefore = await waiting(lena);
  // Built again at once over the same stretch, on demand rather than by the scheduler.
  lenaRebuilt = await b.build(lena, '2026-03-10T16:00:00Z');

  // Marcus takes the follow-up back after her brief was built: shown again, it is not quoted.
  clock.set('2026-03-11T07:05:00Z');
  expect((await api.del(`/api/comments/${pingComment}`, marcus.token)).status).toBe(204);
  const shown = await api.get(`/api/briefs/${lenaBrief.id}`, lena.token);
  expect(shown.status).toBe(200);
  lenaShownLater = shown.body.brief;

  // 08:30 in Berlin: she answers in the thread, and is caught up.
  clock.set('2026-03-11T07:30:00Z');
  await reply(lena, question.id, 'Yes: **Tuesday 14:00 CET**, and I own it.');
  lenaWaitingAfter = await waiting(lena);
  await b.ack(lena, lenaBrief.id);

  // 08:00 in San Francisco: Marcus's brief.
  clock.set('2026-03-11T15:00:00Z');
  expect(await api.t.deps.briefScheduler.runDue()).toBeGreaterThanOrEqual(2);
  marcusBrief = await b.latest(marcus);
}, 120_000);
afterAll(() => api.close());

describe('Lena in Berlin, 08:00', () => {
  it('gets the question asked at 17:00 in San Francisco under "asked", linked to the thread', () => {
    expect(askedAtLocal).toBe('17:00');
    expect(lenaBrief.until).toBe('2026-03-11T07:00:00.000Z');
    expect(hourIn('Europe/Berlin', Date.parse(lenaBrief.until))).toBe('08:00');
    const item = itemOf(lenaBrief, doc.launch) as Item;
    const url = `/docs/${doc.launch}?thread=${question.id}`;
    expect(item).toMatchObject({ reasons: ['asked'], fromRevision: 1, toRevision: 1, authors: [], diffUrl: url, title: 'Launch plan 4.2' });
    expect(item.threads).toHaveLength(1);
    expect(item.threads[0]).toMatchObject({ threadId: question.id, reason: 'asked', askedBy: marcus.id, quote: 'release on Monday at 16:00 UTC', orphaned: false, url });
    expect(item.summary).toContain('Marcus Chen asked you on “release on Monday at 16:00 UTC”');
  });

  it('quotes the anchored text and the question in its Markdown and on its HTML page', async () => {
    const md = lenaBrief.markdown;
    const url = `/docs/${doc.launch}?thread=${question.id}`;
    expect(md).toContain('## Questions for you');
    expect(md).toContain(`**Marcus Chen asked you** on “release on Monday at 16:00 UTC” · [open the thread](${url})`);
    expect(md).toContain('“Can Berlin confirm the EU rollout window before Friday?” (Marcus Chen)');
    expect(md).toContain('“Also the APAC window, if you know it.” (Marcus Chen)');
    expect(md).toContain('_Why you see this: you were asked in a comment._');
    const html = await api.get(`/api/briefs/${lenaBrief.id}.html`, lena.token);
    expect(html.status).toBe(200);
    expect(html.body).toContain(`<a href="${url}"`);
    expect(html.body).toContain('release on Monday at 16:00 UTC');
    expect(html.body).toContain('Can Berlin confirm the EU rollout window before Friday?');
  });

  it('holds nothing of a private space she is not in, or was removed from', async () => {
    expect(lenaBrief.items.map((i) => i.docId)).toEqual([doc.launch]);
    for (const text of ['hiring', 'Berlin hiring budget', 'two backend engineers', 'Leadership', 'rota', 'on-call', 'Platform']) expect(lenaBrief.markdown).not.toContain(text);
    expect(lenaWaitingBefore.map((t) => [t.id, t.docId])).toEqual([[question.id, doc.launch]]);
    // Not only as shown (which is rechecked): the brief as built and stored, what a writer saw.
    const stored = (await api.t.deps.db.select().from(briefs).where(eq(briefs.id, lenaBrief.id)).get())!;
    for (const text of [doc.hiring, doc.oncall, 'hiring budget', 'rota']) expect(JSON.stringify(stored)).not.toContain(text);
    // Built on demand over the same stretch: the same, and still nothing of them.
    expect(lenaRebuilt.items.map((i) => [i.docId, i.reasons])).toEqual([[doc.launch, ['asked']]]);
    expect(lenaRebuilt.markdown).not.toMatch(/hiring|rota/);
  });

  it('never quotes a deleted comment: neither one deleted before the brief was built nor one deleted after', () => {
    expect(lenaBrief.markdown).not.toContain('Globex');
    const thread = (itemOf(lenaBrief, doc.launch) as Item).threads[0]!;
    expect(thread.replies.map((r) => r.commentId)).toEqual([question.firstComment, pingComment]);
    expect(thread.newComments).toBe(2);
    // Shown after Marcus deleted his follow-up: the same brief, without it.
    expect(lenaShownLater.id).toBe(lenaBrief.id);
    const later = (itemOf(lenaShownLater, doc.launch) as Item).threads[0]!;
    expect(later.replies.map((r) => r.text)).toEqual(['Can Berlin confirm the EU rollout window before Friday?']);
    expect(later.newComments).toBe(1);
    expect(lenaShownLater.markdown).not.toContain('APAC');
    expect(lenaShownLater.markdown).toContain('Can Berlin confirm the EU rollout window');
  });

  it('her reply clears the thread from "waiting on you"', () => {
    expect(lenaWaitingAfter).toEqual([]);
  });

  it('her next brief does not tell her of her own answer', async () => {
    clock.set('2026-03-12T07:00:00Z');
    expect(await api.t.deps.briefScheduler.runDue()).toBeGreaterThanOrEqual(1);
    const next = await b.latest(lena);
    expect(next.since).toBe(lenaBrief.until);
    expect(itemOf(next, doc.launch)).toBeUndefined();
  });
});

describe('Marcus in San Francisco, 08:00', () => {
  it('has Lena’s reply under "thread", quoting the anchored text, linked to the thread', () => {
    expect(marcusBrief.until).toBe('2026-03-11T15:00:00.000Z');
    expect(hourIn('America/Los_Angeles', Date.parse(marcusBrief.until))).toBe('08:00');
    const item = itemOf(marcusBrief, doc.launch) as Item;
    const url = `/docs/${doc.launch}?thread=${question.id}`;
    expect(item).toMatchObject({ reasons: ['thread'], fromRevision: 1, toRevision: 1, diffUrl: url });
    expect(item.threads).toMatchObject([{ threadId: question.id, reason: 'thread', quote: 'release on Monday at 16:00 UTC', url, newComments: 1 }]);
    expect(item.threads[0]!.replies.map((r) => [r.authorId, r.text])).toEqual([[lena.id, 'Yes: Tuesday 14:00 CET, and I own it.']]);
    const md = marcusBrief.markdown;
    expect(md).toContain('## Replies in your threads');
    expect(md).toContain(`**New replies** in a thread you are in, on “release on Monday at 16:00 UTC” · [open the thread](${url})`);
    expect(md).toContain('“Yes: Tuesday 14:00 CET, and I own it.” (Lena Fischer)');
    // His own comments, kept or deleted, are not news to him.
    expect(md).not.toContain('APAC');
    expect(md).not.toContain('Globex');
  });

  it('Sam, who is in none of these threads, hears nothing of them', async () => {
    const samBrief = await b.latest(sam);
    expect(samBrief.until).toBe('2026-03-11T15:00:00.000Z');
    expect(itemOf(samBrief, doc.launch)).toBeUndefined();
    expect(samBrief.markdown).not.toContain('Tuesday 14:00 CET');
  });
});
