import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfm } from 'micromark-extension-gfm';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { and, eq, revisions } from '@handoff/db';
import { ApiClient, type Person } from '../api/client.ts';
import { BriefApi, FakeClock, HOUR, MINUTE, itemOf } from './helpers.ts';

const clock = new FakeClock(Date.parse('2026-06-01T09:00:00Z'));
let api: ApiClient;
let b: BriefApi;
let ada: Person; // the reader
let bob: Person;
let cy: Person;
let space: string;

beforeAll(async () => {
  api = await ApiClient.start({ clock });
  b = new BriefApi(api, clock);
  ada = await api.signup('ada', { name: 'Ada Lovelace' });
  bob = await api.signup('bob', { name: 'Bob Stone' });
  cy = await api.signup('cy', { name: 'Cy Twombly' });
  space = await api.space(ada, 'Engineering');
  await b.member(ada, space, bob);
  await b.member(ada, space, cy);
});
afterAll(() => api.close());

/** Every test starts with Ada caught up and the clock an hour later. */
beforeEach(async () => {
  clock.advance(HOUR);
  await b.caughtUp(ada);
  clock.advance(MINUTE);
});

const paragraphs = (...p: string[]) => p.join('\n\n');

/** Every node type in the brief's Markdown as GFM renderers see it. */
function nodeTypes(markdown: string): Set<string> {
  const types = new Set<string>();
  const walk = (n: { type: string; children?: unknown[] }) => {
    types.add(n.type);
    for (const c of n.children ?? []) walk(c as { type: string; children?: unknown[] });
  };
  walk(fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as never);
  return types;
}
function linkUrls(markdown: string): string[] {
  const urls: string[] = [];
  const walk = (n: { type: string; url?: string; children?: unknown[] }) => {
    if (n.type === 'link' || n.type === 'image') urls.push(n.url ?? '');
    for (const c of n.children ?? []) walk(c as never);
  };
  walk(fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }) as never);
  return urls;
}

describe('selection', () => {
  it('leaves out trivial edits: a typo fix, whitespace only', async () => {
    const doc = await api.doc(ada, space, 'Style guide', paragraphs('We recieve reviews within one day.', 'Tabs, not spaces.'));
    await b.caughtUp(ada);
    await b.edit(bob, doc.id, { markdown: paragraphs('We receive reviews within one day.', 'Tabs, not spaces.'), message: 'typo' });
    await b.edit(cy, doc.id, { markdown: paragraphs('We receive reviews within one day.', 'Tabs,  not spaces.') });
    const brief = await b.build(ada);
    expect(itemOf(brief, doc.id)).toBeUndefined();
    // A real change on top brings the whole document back, every revision folded in.
    await b.edit(bob, doc.id, { markdown: paragraphs('We receive reviews within one working day, or we say why not.', 'Tabs, not spaces.'), message: 'SLA made explicit' });
    const again = await b.build(ada);
    expect(itemOf(again, doc.id)).toMatchObject({ fromRevision: 1, toRevision: 4, reasons: ['owner'] });
  });

  it('keeps a decision whose status changed even when nothing else did, and drops a trivial edit of one that did not', async () => {
    const adr = await api.doc(bob, space, 'ADR 3: Postgres for analytics', 'We use Postgres for analytics.', { kind: 'decision', decision: { status: 'proposed' } });
    const other = await api.doc(bob, space, 'ADR 4: Kafka for events', 'We use Kafka for events.', { kind: 'decision', decision: { status: 'proposed' } });
    await b.caughtUp(ada);
    await b.edit(cy, adr.id, { decision: { status: 'accepted' } });
    await b.edit(cy, other.id, { markdown: 'We use Kafka for events!' });
    const brief = await b.build(ada);
    expect(itemOf(brief, adr.id)).toMatchObject({ reasons: ['decision'], fromRevision: 1, toRevision: 2, authors: [cy.id] });
    expect(brief.markdown).toContain('proposed → **accepted**');
    expect(itemOf(brief, other.id)).toBeUndefined();
  });

  it('folds several revisions of a document into one item, first to last, with every author and why', async () => {
    const doc = await api.doc(ada, space, 'Onboarding', paragraphs('## Day one', 'Get a laptop.', '## Day two', 'Meet the team.'));
    await b.caughtUp(ada);
    clock.advance(MINUTE);
    await b.edit(bob, doc.id, { markdown: paragraphs('## Day one', 'Get a laptop and a security key from the front desk.', '## Day two', 'Meet the team.'), message: 'Security keys are mandatory now' });
    clock.advance(MINUTE);
    await b.edit(cy, doc.id, { markdown: paragraphs('## Day one', 'Get a laptop and a security key from the front desk.', '## Day two', 'Meet the team and pick a first issue from the starter board.'), message: 'First issue on day two' });
    clock.advance(MINUTE);
    await b.edit(bob, doc.id, { title: 'Onboarding (engineering)', message: 'Renamed for the new sales guide' });
    const brief = await b.build(ada);
    const item = itemOf(brief, doc.id)!;
    expect(brief.items.filter((i) => i.docId === doc.id)).toHaveLength(1);
    expect(item).toMatchObject({ fromRevision: 1, toRevision: 4, authors: [bob.id, cy.id], title: 'Onboarding (engineering)', diffUrl: `/docs/${doc.id}?diff=1..4` });
    const md = brief.markdown;
    expect(md.indexOf('Security keys are mandatory now')).toBeLessThan(md.indexOf('First issue on day two'));
    expect(md.indexOf('First issue on day two')).toBeLessThan(md.indexOf('Renamed for the new sales guide'));
    expect(md).toContain('Sections: Day one, Day two');
    expect(md).toContain('renamed from “Onboarding”');
    expect(md).toContain('Get a laptop and a security key from the front desk.');
    expect(md).toContain('Changed by Bob Stone and Cy Twombly');
  });

  it('leaves out what the reader saw and what she wrote, and starts after them', async () => {
    const doc = await api.doc(bob, space, 'Release checklist', paragraphs('Run the migrations.', 'Tag the release.'));
    expect((await api.put(`/api/docs/${doc.id}/watch`, {}, ada.token)).status).toBe(204);
    await b.caughtUp(ada);
    await b.edit(bob, doc.id, { markdown: paragraphs('Run the migrations on a copy first.', 'Tag the release.') });
    await b.read(ada, doc.id); // seen at revision 2
    await b.edit(ada, doc.id, { markdown: paragraphs('Run the migrations on a copy first.', 'Tag the release and announce it in #releases.') }); // hers: 3
    expect(itemOf(await b.build(ada), doc.id)).toBeUndefined();
    await b.edit(cy, doc.id, { markdown: paragraphs('Run the migrations on a copy first.', 'Tag the release and announce it in #releases.', 'Update the status page.'), message: 'Status page too' });
    const item = itemOf(await b.build(ada), doc.id)!;
    expect(item).toMatchObject({ fromRevision: 3, toRevision: 4, authors: [cy.id], reasons: ['owner', 'watch'] });
  });

  it('counts a mention of the reader by someone else, not by herself', async () => {
    const doc = await api.doc(bob, space, 'Retro notes', 'Went well: the release.');
    await b.caughtUp(ada);
    await b.edit(bob, doc.id, { markdown: paragraphs('Went well: the release.', '@ada will write the incident summary.') });
    expect(itemOf(await b.build(ada), doc.id)?.reasons).toEqual(['mention']);
    const own = await api.doc(ada, space, 'My todo', 'Nothing yet.');
    await b.caughtUp(ada);
    await b.edit(ada, own.id, { markdown: 'Remind @ada to book the room.' });
    await b.edit(bob, own.id, { markdown: 'Remind @ada to book the big room on the third floor.' });
    expect(itemOf(await b.build(ada), own.id)?.reasons).toEqual(['owner']);
  });

  it('leaves out changes that concern the reader in no way', async () => {
    const doc = await api.doc(bob, space, 'Bob’s scratchpad', 'Ideas.');
    clock.advance(MINUTE);
    await b.caughtUp(ada); // 'new' only counts inside the window
    await b.edit(cy, doc.id, { markdown: 'Ideas: a faster build with remote caching.' });
    expect(itemOf(await b.build(ada), doc.id)).toBeUndefined();
  });
});

describe('ranking and the reading-time budget', () => {
  it('orders decision > mention > owner > watch > new, then by the size of the change', async () => {
    const watched = await api.doc(bob, space, 'Watched page', 'One.');
    const big = await api.doc(ada, space, 'Ada’s big page', 'One.');
    const small = await api.doc(ada, space, 'Ada’s small page', 'One.');
    const mention = await api.doc(bob, space, 'Mentions page', 'One.');
    const adr = await api.doc(bob, space, 'ADR 9', 'One.', { kind: 'decision' });
    expect((await api.put(`/api/docs/${watched.id}/watch`, {}, ada.token)).status).toBe(204);
    await b.caughtUp(ada);
    await b.edit(bob, watched.id, { markdown: 'One. And a long second sentence about the watched page.' });
    await b.edit(bob, small.id, { markdown: 'One. Two more words here.' });
    await b.edit(bob, big.id, { markdown: 'One. A much longer addition to the page that Ada wrote, with many more characters in it.' });
    await b.edit(bob, mention.id, { markdown: 'One. @ada, have a look.' });
    await b.edit(cy, adr.id, { decision: { status: 'rejected' }, message: 'Too expensive' });
    await api.doc(cy, space, 'Brand new page', 'Hello there, everyone in engineering.');
    const brief = await b.build(ada);
    expect(brief.items.map((i) => i.title)).toEqual(['ADR 9', 'Mentions page', 'Ada’s big page', 'Ada’s small page', 'Watched page', 'Brand new page']);
    expect(brief.items.map((i) => i.reasons[0])).toEqual(['decision', 'mention', 'owner', 'owner', 'watch', 'new']);
    const md = brief.markdown;
    const headings = ['## Decisions', '## You were mentioned', '## Your documents', '## Documents you watch', '## New in your spaces'];
    for (let i = 1; i < headings.length; i++) expect(md.indexOf(headings[i - 1]!)).toBeLessThan(md.indexOf(headings[i]!));
  });

  it('keeps about three minutes of reading and counts the rest in omitted', async () => {
    const docs = [];
    for (let i = 0; i < 30; i++) {
      docs.push(await api.doc(ada, space, `Service ${i} runbook`, paragraphs('## Alerts', `Service ${i} pages the on-call engineer.`)));
    }
    await b.caughtUp(ada);
    for (const [i, d] of docs.entries()) {
      clock.advance(MINUTE);
      await b.edit(bob, d.id, {
        markdown: paragraphs(
          '## Alerts',
          `Service ${i} pages the on-call engineer only after three failed health checks in a row, not after the first one.`,
          '## Recovery',
          `Restart service ${i} with the blue-green switch, then watch the error rate for fifteen minutes before closing the incident.`,
          `If the error rate of service ${i} stays above two percent, roll back to the previous build and open a ticket for the owning team.`,
        ),
        message: `Alert tuning for service ${i} after the March review`,
      });
    }
    const brief = await b.build(ada);
    expect(brief.items.length).toBeGreaterThan(2);
    expect(brief.items.length).toBeLessThan(30);
    expect(brief.omitted).toBe(30 - brief.items.length);
    expect(brief.readingSeconds).toBeLessThanOrEqual(200);
    expect(brief.readingSeconds).toBeGreaterThan(120);
    expect(brief.markdown).toContain(`${brief.omitted} more changes were left out`);
    // The most recent changes come first among equals in reason and size.
    expect(brief.items[0]!.title).toBe('Service 29 runbook');
  });
});

describe('acknowledging', () => {
  it('moves the next window to the end of the acknowledged brief', async () => {
    const doc = await api.doc(ada, space, 'Budget', 'Q3: flat.');
    await b.caughtUp(ada);
    await b.edit(bob, doc.id, { markdown: 'Q3: flat, except for the new build machines.', message: 'Build machines' });
    clock.advance(MINUTE);
    const first = await b.build(ada);
    expect(itemOf(first, doc.id)).toBeDefined();
    expect(first.acknowledgedAt).toBeNull();
    // Not acknowledged: the next brief covers the same window again.
    clock.advance(MINUTE);
    const again = await b.build(ada);
    expect(again.since).toBe(first.since);
    expect(itemOf(again, doc.id)).toBeDefined();
    await b.ack(ada, first.id);
    expect((await api.get(`/api/briefs/${first.id}`, ada.token)).body.brief.acknowledgedAt).toBe(new Date(clock.now()).toISOString());
    clock.advance(MINUTE);
    await b.edit(cy, doc.id, { markdown: 'Q3: flat, except for the new build machines and one conference.', message: 'Conference' });
    clock.advance(MINUTE);
    const next = await b.build(ada);
    expect(next.since).toBe(first.until);
    expect(itemOf(next, doc.id)).toMatchObject({ fromRevision: 2, toRevision: 3, authors: [cy.id] });
    expect(next.markdown).not.toContain('Build machines');
    await b.ack(ada, first.id); // idempotent
  });

  it('still reports a revision stamped just before the last brief ended but committed after it was read, once', async () => {
    const doc = await api.doc(ada, space, 'Incident log', 'Quiet week.');
    await b.edit(bob, doc.id, { markdown: 'Quiet week, apart from one pager alert on Tuesday.' });
    const first = await b.build(ada);
    expect(itemOf(first, doc.id)?.toRevision).toBe(2);
    await b.ack(ada, first.id);
    clock.advance(MINUTE);
    const late = await b.edit(cy, doc.id, { markdown: 'Quiet week, apart from one pager alert on Tuesday and a failed deploy on Wednesday.' });
    // As if Cy's revision had been stamped 5 s before Ada's brief was built and committed after it.
    await api.t.deps.db.update(revisions).set({ createdAt: Date.parse(first.until) - 5_000 }).where(and(eq(revisions.docId, doc.id), eq(revisions.revision, late.revision)));
    clock.advance(MINUTE);
    const next = await b.build(ada);
    expect(next.since).toBe(first.until);
    expect(itemOf(next, doc.id)).toMatchObject({ fromRevision: 2, toRevision: 3, authors: [cy.id] });
    expect(next.markdown).toContain('failed deploy');
    expect(next.markdown).not.toContain('Bob Stone'); // revision 2 was in the first brief
  });

  it('takes an explicit since, and rejects a malformed one', async () => {
    const brief = await b.build(ada, '2026-06-01T00:00:00+02:00');
    expect(brief.since).toBe('2026-05-31T22:00:00.000Z');
    expect((await api.post('/api/briefs', { since: 'yesterday' }, ada.token)).status).toBe(400);
    const bare = await api.call('POST', '/api/briefs', { token: ada.token });
    expect(bare.status).toBe(201);
  });

  it('reports nothing new when nothing changed', async () => {
    const brief = await b.build(ada);
    expect(brief.items).toEqual([]);
    expect(brief.omitted).toBe(0);
    expect(brief.markdown).toContain('Nothing new for you');
  });

  it('starts 7 days back without any acknowledged brief', async () => {
    const newcomer = await api.signup('dee', { name: 'Dee' });
    const brief = await b.build(newcomer);
    expect(Date.parse(brief.until) - Date.parse(brief.since)).toBe(7 * 24 * HOUR);
    expect((await api.get('/api/briefs/latest', (await api.signup('eve')).token)).status).toBe(404);
  });
});

describe('hostile documents', () => {
  const hostileTitle = '<script>alert(1)</script> ![x](https://evil.example/p.png) [win](https://evil.example)';
  const hostileBody = paragraphs(
    'Click [here](https://evil.example/login) or visit www.evil.example and mail boss@evil.example.',
    'Raw <img src=x onerror=alert(1)> and <a href="https://evil.example">a</a> &amp; `code` **bold**.',
  );

  it('cannot put links, images or HTML into the Markdown', async () => {
    const doc = await api.doc(bob, space, hostileTitle, 'Nothing.');
    expect((await api.put(`/api/docs/${doc.id}/watch`, {}, ada.token)).status).toBe(204);
    await b.caughtUp(ada);
    await b.edit(bob, doc.id, { markdown: hostileBody, message: '<b>why</b> [x](javascript:alert(1)) https://evil.example/why' });
    const brief = await b.build(ada);
    expect(itemOf(brief, doc.id)).toBeDefined();
    const types = nodeTypes(brief.markdown);
    expect(types.has('html')).toBe(false);
    expect(types.has('image')).toBe(false);
    expect(linkUrls(brief.markdown)).toEqual([`/docs/${doc.id}?diff=1..2`]);
    // The text itself is all there, as text.
    expect(brief.markdown).toContain('alert(1)');
    expect(brief.markdown).toContain('`www.evil.example`'); // as code: no renderer links it
  });

  it('the .html version escapes every text and links only to Handoff', async () => {
    const doc = await api.doc(bob, space, hostileTitle, hostileBody);
    await b.caughtUp(ada);
    await b.edit(cy, doc.id, { markdown: `${hostileBody}\n\nMore: <script>steal()</script>`, message: '"><script>alert(2)</script>' });
    expect((await api.put(`/api/docs/${doc.id}/watch`, {}, ada.token)).status).toBe(204);
    const brief = await b.build(ada);
    expect(itemOf(brief, doc.id)).toBeDefined();
    const res = await api.get(`/api/briefs/${brief.id}.html`, ada.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = res.body as string;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]+onerror=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href!.startsWith('/')).toBe(true);
    expect(hrefs).toContain(`/docs/${doc.id}?diff=1..2`);
    expect(html).toMatch(/style="/);
    expect(html).not.toMatch(/<style/);
  });
});
