/**
 * The contract every `SearchIndex` adapter meets (Hono's `common.case.test.ts` pattern): the same
 * documents, the same queries and the same expected hits, whatever the engine. Each adapter's test
 * file calls `runSearchIndexContract` with a factory that returns a fresh, empty, set-up index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedDoc, SearchIndex, SearchRequest, SearchResult } from '../../domain/ports.ts';

export type MakeSearchIndex = () => Promise<{ index: SearchIndex; close(): Promise<void> | void }>;

const DAY = 86_400_000;
export const T0 = Date.UTC(2025, 0, 1);

const doc = (docId: string, spaceId: string, kind: IndexedDoc['kind'], title: string, text: string, authors: string[], day: number, revision = 1): IndexedDoc => ({
  docId,
  spaceId,
  kind,
  title,
  text,
  authors,
  updatedAt: T0 + day * DAY,
  revision,
});

/** Spaces `eng` and `ops` are readable in most cases; `secret` never is unless a case says so. */
export const CONTRACT_DOCS: IndexedDoc[] = [
  doc('onboard', 'eng', 'page', 'Onboarding checklist', 'Welcome to the team. Set up your laptop, request repository access and read the architecture overview before your first standup.', ['ana'], 1, 3),
  doc('retro', 'eng', 'decision', 'Adopt quarterly retrospectives', 'We decided to hold a retrospective every quarter. The facilitator rotates between teams; notes go to the decision log.', ['bo'], 2),
  doc('deploy', 'ops', 'page', 'Deployment runbook', 'To deploy the API, run the migration first, then restart the workers. Rollback: redeploy the previous release and restore the database snapshot.', ['ana', 'cy'], 3, 7),
  doc('budget', 'ops', 'page', 'Infrastructure budget', 'Monthly costs for servers, storage and monitoring.', ['cy'], 4, 2),
  doc('offsite', 'eng', 'page', 'Team offsite notes', 'We met in Lisbon. The infrastructure budget came up briefly; most of the day went to hiring plans.', ['cy'], 5),
  doc('handbook', 'eng', 'page', 'Employee handbook', 'The handbook covers holidays, expenses and equipment.', ['bo'], 6, 4),
  doc('widget', 'eng', 'page', 'Embedding widgets', 'Paste <script>alert("x")</script> into the <b>widget</b> settings & save.', ['ana'], 7),
  doc('tokyo', 'eng', 'page', '東京オフィスの引っ越し', '来週の会議で新しいオフィスの議事録を共有します。', ['bo'], 8),
  doc('shanghai', 'ops', 'page', '数据库迁移计划', '我们计划下个月把数据库迁移到新的服务器，搜索功能会暂停一小时。', ['cy'], 9),
  doc('secret', 'secret', 'page', 'Acquisition plan', 'The budget for the acquisition of Globex. Deployment runbook, onboarding, retrospective, widget, handbook, team. 会議と議事録。数据库和搜索。', ['ana', 'cy'], 10),
];

export const READABLE = ['eng', 'ops'];

const ids = (r: SearchResult) => r.hits.map((h) => h.docId);

export function runSearchIndexContract(name: string, make: MakeSearchIndex): void {
  describe(`SearchIndex contract: ${name}`, () => {
    describe('over the shared documents', () => {
      let index: SearchIndex;
      let close: () => Promise<void> | void = () => undefined;
      const search = (q: string, more: Partial<SearchRequest> = {}) => index.search({ q, spaceIds: READABLE, limit: 20, ...more });

      beforeAll(async () => {
        ({ index, close } = await make());
        await index.upsert(CONTRACT_DOCS);
      });
      afterAll(async () => {
        await close();
      });

      describe('words', () => {
        it('finds an exact word', async () => {
          const r = await search('laptop');
          expect(ids(r)).toEqual(['onboard']);
          expect(r.total).toBe(1);
        });

        it('returns the hit fields of the indexed document', async () => {
          const r = await search('laptop');
          expect(r.hits[0]).toMatchObject({ docId: 'onboard', title: 'Onboarding checklist', spaceId: 'eng', kind: 'page', updatedAt: T0 + DAY });
          expect(r.hits[0]!.snippet).toContain('<mark>laptop</mark>');
        });

        it('needs every word of a query of several words', async () => {
          expect(ids(await search('restore database snapshot'))).toEqual(['deploy']);
          const none = await search('laptop database');
          expect(ids(none)).toEqual([]);
          expect(none.total).toBe(0);
        });

        it('is case- and accent-insensitive', async () => {
          expect(ids(await search('LAPTOP'))).toEqual(['onboard']);
          expect(ids(await search('lísbon'))).toEqual(['offsite']);
        });
      });

      describe('prefixes', () => {
        it('matches the word being typed as a prefix', async () => {
          expect(ids(await search('deplo'))).toEqual(['deploy']);
          expect(ids(await search('onboa'))).toEqual(['onboard']);
        });

        it('matches only the last word as a prefix, after whole words', async () => {
          expect(ids(await search('architecture ov'))).toEqual(['onboard']);
          expect(ids(await search('restore datab'))).toEqual(['deploy']);
        });
      });

      describe('typos', () => {
        it('tolerates one typo in a word of five letters or more', async () => {
          expect(ids(await search('runbok'))).toEqual(['deploy']);
          expect(ids(await search('databse snapshot'))).toEqual(['deploy']);
        });

        it('counts two swapped letters as one typo', async () => {
          expect(ids(await search('migartion'))).toEqual(['deploy']);
        });

        it('tolerates two typos in a word of nine letters or more', async () => {
          const r = await search('infrestructore');
          expect(ids(r)).toEqual(['budget', 'offsite']);
          expect(r.total).toBe(2);
        });

        it('does not tolerate three typos', async () => {
          const r = await search('infrxstrxctxre');
          expect(ids(r)).toEqual([]);
          expect(r.total).toBe(0);
        });
      });

      describe('partial words', () => {
        it('finds a word from its first three letters while it is typed', async () => {
          expect(ids(await search('ret'))).toEqual(['retro']);
        });

        it('finds a compound word typed in two parts', async () => {
          expect(ids(await search('hand book'))).toEqual(['handbook']);
        });
      });

      describe('Chinese and Japanese (no spaces between words)', () => {
        it.each([
          ['会議', 'tokyo'],
          ['議事録', 'tokyo'],
          ['搜索', 'shanghai'],
          ['数据库', 'shanghai'],
        ])('finds %s', async (q, expected) => {
          const r = await search(q);
          expect(ids(r)).toEqual([expected]);
          expect(r.total).toBe(1);
          expect(r.hits[0]!.snippet).toContain('<mark>');
        });
      });

      describe('ranking', () => {
        it('ranks a match in the title above a match in the text', async () => {
          expect(ids(await search('budget'))).toEqual(['budget', 'offsite']);
          expect(ids(await search('infrastructure'))).toEqual(['budget', 'offsite']);
        });

        it('returns at most `limit` hits but counts them all', async () => {
          const r = await search('budget', { limit: 1 });
          expect(ids(r)).toEqual(['budget']);
          expect(r.total).toBe(2);
        });
      });

      describe('filters', () => {
        it('by space', async () => {
          const r = await search('budget', { spaceIds: ['ops'] });
          expect(ids(r)).toEqual(['budget']);
          expect(r.total).toBe(1);
        });

        it('by kind', async () => {
          const r = await search('team', { kind: 'decision' });
          expect(ids(r)).toEqual(['retro']);
          expect(r.total).toBe(1);
          expect(new Set(ids(await search('team', { kind: 'page' })))).toEqual(new Set(['onboard', 'offsite']));
        });

        it('by author (any of the document’s authors)', async () => {
          expect(ids(await search('team', { authorId: 'cy' }))).toEqual(['offsite']);
          expect(ids(await search('deploy', { authorId: 'ana' }))).toEqual(['deploy']);
          expect(ids(await search('deploy', { authorId: 'bo' }))).toEqual([]);
        });

        it('by date (updated at or after)', async () => {
          const r = await search('team', { updatedSince: T0 + 2 * DAY });
          expect(new Set(ids(r))).toEqual(new Set(['retro', 'offsite']));
          expect(r.total).toBe(2);
        });

        it('all together', async () => {
          const r = await search('team', { spaceIds: ['eng'], kind: 'page', authorId: 'cy', updatedSince: T0 + 3 * DAY });
          expect(ids(r)).toEqual(['offsite']);
          expect(r.total).toBe(1);
        });
      });

      describe('permissions', () => {
        it('never returns nor counts a document outside the readable spaces', async () => {
          const hidden = await search('acquisition');
          expect(hidden).toEqual({ hits: [], total: 0 });
          const budget = await search('budget');
          expect(ids(budget)).not.toContain('secret');
          expect(budget.total).toBe(2);
          for (const q of ['team', '会議', '数据库', 'runbok', 'widget', 'hand book']) {
            const r = await search(q);
            expect(ids(r)).not.toContain('secret');
            expect(r.total).toBe(r.hits.length);
          }
        });

        it('finds it for a reader of its space', async () => {
          const r = await search('acquisition', { spaceIds: ['secret'] });
          expect(ids(r)).toEqual(['secret']);
          expect(r.total).toBe(1);
        });

        it('returns nothing when the caller may read no space', async () => {
          expect(await search('budget', { spaceIds: [] })).toEqual({ hits: [], total: 0 });
        });

        it('treats space ids as exact values, never as filter syntax', async () => {
          for (const spaceId of ['eng" OR spaceId = "secret', 'x\\', 'x\\" OR spaceKey EXISTS OR "', '*', 'SECRET', ' secret ', "secret'"]) {
            const r = await search('acquisition', { spaceIds: [spaceId] });
            expect(r).toEqual({ hits: [], total: 0 });
          }
        });
      });

      describe('snippets', () => {
        it('HTML-escapes the text and marks the matched words, with no other tags', async () => {
          const r = await search('widget');
          expect(ids(r)).toEqual(['widget']);
          const snippet = r.hits[0]!.snippet;
          expect(snippet).toContain('<mark>widget</mark>');
          expect(snippet).toContain('&lt;script&gt;');
          expect(snippet).toContain('&lt;b&gt;');
          expect(snippet).toContain('&amp;');
          expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
        });

        it('never lets a query inject markup', async () => {
          const r = await search('<b>widget</b>');
          expect(ids(r)).toEqual(['widget']);
          expect(r.hits[0]!.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
        });
      });

      describe('hostile queries', () => {
        const hostile = [
          '"',
          '\\',
          'NEAR(',
          'OR',
          'title:',
          '*',
          '"budget',
          'budget"',
          'budget OR acquisition',
          'title:acquisition',
          'NEAR(budget acquisition)',
          'acquisition*',
          '-budget acquisition',
          'spaceId = "secret"',
          '\u0002budget\u0003',
          '',
          '   ',
          'x'.repeat(100_000),
          'acquisition '.repeat(9_000),
          `${'budget '.repeat(15_000)}"`,
        ];
        it.each(hostile.map((q) => [q.length > 40 ? `${q.slice(0, 30)}… (${q.length} characters)` : JSON.stringify(q), q]))('%s never throws nor leaves the readable spaces', async (_label, q) => {
          const r = await search(q);
          expect(r.total).toBeGreaterThanOrEqual(r.hits.length);
          expect(r.total).toBeLessThanOrEqual(CONTRACT_DOCS.length - 1);
          for (const hit of r.hits) expect(READABLE).toContain(hit.spaceId);
          if (/acquisition/i.test(q)) expect(r).toEqual({ hits: [], total: 0 });
        });
      });

      it('reports every indexed document with its revision', async () => {
        const revisions = await index.indexedRevisions();
        expect(Object.fromEntries(revisions)).toEqual(Object.fromEntries(CONTRACT_DOCS.map((d) => [d.docId, d.revision])));
      });

      it('is healthy', async () => {
        expect(await index.health()).toBe(true);
      });
    });

    describe('comments', () => {
      let index: SearchIndex;
      let close: () => Promise<void> | void = () => undefined;
      const search = (q: string, more: Partial<SearchRequest> = {}) => index.search({ q, spaceIds: READABLE, limit: 20, ...more });
      const withComments = (d: IndexedDoc, comments: string[]): IndexedDoc => ({ ...d, comments });
      const release = withComments(doc('release', 'eng', 'page', 'Release plan', 'We ship the mobile app on Friday after the store review.', ['ana'], 1), [
        'Who signs off the changelog?',
        'Marketing wants a teaser video with the mascot first.',
        'Escaped <b>markup</b> & an owl stays text.',
      ]);
      const pricing = withComments(doc('pricing', 'eng', 'page', 'Pricing page', 'The mascot appears on the pricing page hero banner.', ['bo'], 2), ['Looks good to me.']);
      const mascot = doc('mascot', 'eng', 'page', 'Mascot guidelines', 'How the owl may be drawn.', ['cy'], 3);
      const vault = withComments(doc('vault', 'secret', 'page', 'Vault', 'Nothing here.', ['ana'], 4), ['The teaser video leaked to Globex.']);
      const tokyo = withComments(doc('tokyo-c', 'ops', 'page', 'Office move', 'Boxes arrive on Monday.', ['bo'], 5), ['議事録は来週共有します。']);

      beforeAll(async () => {
        ({ index, close } = await make());
        await index.upsert([release, pricing, mascot, vault, tokyo]);
      });
      afterAll(async () => {
        await close();
      });

      it('finds a document by the text of one of its comments, with that comment as the snippet', async () => {
        const r = await search('teaser');
        expect(ids(r)).toEqual(['release']);
        expect(r.total).toBe(1);
        const snippet = r.hits[0]!.snippet;
        expect(snippet).toContain('<mark>teaser</mark>');
        expect(snippet).toContain('mascot');
        // The comment alone: not the body, not the neighbouring comments, no separator character.
        expect(snippet).not.toMatch(/Friday|changelog|Escaped/);
        expect(snippet).not.toContain('\u2029');
        expect(r.hits[0]).toMatchObject({ docId: 'release', title: 'Release plan', spaceId: 'eng' });
      });

      it('needs every word, in the comments or anywhere in the document', async () => {
        expect(ids(await search('teaser video mascot'))).toEqual(['release']);
        expect(ids(await search('teaser laptop'))).toEqual([]);
      });

      it('ranks a title match above a body match above a comment-only match, each document once', async () => {
        const r = await search('mascot');
        expect(ids(r)).toEqual(['mascot', 'pricing', 'release']);
        expect(r.total).toBe(3);
        expect(r.hits[1]!.snippet).toContain('<mark>mascot</mark> appears'); // from the body
        expect(r.hits[2]!.snippet).toContain('with the <mark>mascot</mark>'); // from the comment
      });

      it('shows the body when the body holds the match, even if a comment does too', async () => {
        const r = await search('owl');
        expect(new Set(ids(r))).toEqual(new Set(['mascot', 'release']));
        expect(r.hits.find((h) => h.docId === 'mascot')!.snippet).toContain('the <mark>owl</mark> may');
        expect(r.hits.find((h) => h.docId === 'release')!.snippet).toContain('an <mark>owl</mark> stays');
      });

      it('HTML-escapes a comment snippet', async () => {
        const r = await search('escaped');
        expect(ids(r)).toEqual(['release']);
        const snippet = r.hits[0]!.snippet;
        expect(snippet).toContain('&lt;b&gt;markup&lt;/b&gt; &amp;');
        expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
      });

      it('completes, corrects and segments comment words like body words', async () => {
        expect(ids(await search('changel'))).toEqual(['release']);
        expect(ids(await search('chanegelog '))).toEqual(['release']);
        const cjk = await search('議事録');
        expect(ids(cjk)).toEqual(['tokyo-c']);
        expect(cjk.hits[0]!.snippet).toContain('<mark>議事録</mark>');
      });

      it('never finds nor counts the comments of a document outside the readable spaces', async () => {
        const r = await search('teaser video');
        expect(ids(r)).toEqual(['release']);
        expect(r.total).toBe(1);
        expect(await search('globex leaked')).toEqual({ hits: [], total: 0 });
        expect(ids(await search('globex leaked', { spaceIds: ['secret'] }))).toEqual(['vault']);
      });

      it('forgets a comment once the document is indexed without it (deleted), and all of them when the document is removed', async () => {
        await index.upsert([{ ...release, comments: release.comments!.filter((c) => !c.includes('teaser')) }]);
        expect(await search('teaser')).toEqual({ hits: [], total: 0 });
        expect(ids(await search('changelog'))).toEqual(['release']);
        await index.upsert([{ ...release, comments: [] }]);
        expect(await search('changelog')).toEqual({ hits: [], total: 0 });
        expect(ids(await search('store review'))).toEqual(['release']);
        await index.remove(['pricing']);
        expect(await search('looks good')).toEqual({ hits: [], total: 0 });
        await index.upsert([release, pricing]);
        expect(ids(await search('teaser'))).toEqual(['release']);
      });
    });

    describe('changes', () => {
      let index: SearchIndex;
      let close: () => Promise<void> | void = () => undefined;
      beforeAll(async () => {
        ({ index, close } = await make());
      });
      afterAll(async () => {
        await close();
      });
      const search = (q: string) => index.search({ q, spaceIds: READABLE, limit: 20 });

      it('removes a document, and indexes it again with new text', async () => {
        const first = doc('change', 'eng', 'page', 'Release checklist', 'Freeze the branch on Thursday.', ['ana'], 1, 1);
        await index.upsert([first, doc('other', 'eng', 'page', 'Other page', 'Nothing about releases here, only Thursday.', ['bo'], 1)]);
        expect(ids(await search('freeze'))).toEqual(['change']);

        await index.remove(['change']);
        expect(await search('freeze')).toEqual({ hits: [], total: 0 });
        expect(ids(await search('thursday'))).toEqual(['other']);
        expect((await index.indexedRevisions()).has('change')).toBe(false);

        await index.upsert([{ ...first, title: 'Release calendar', text: 'Tag the release on Friday.', revision: 2 }]);
        expect(await search('freeze')).toEqual({ hits: [], total: 0 });
        const r = await search('friday');
        expect(ids(r)).toEqual(['change']);
        expect(r.total).toBe(1);
        expect(r.hits[0]!.title).toBe('Release calendar');
        expect((await index.indexedRevisions()).get('change')).toBe(2);
      });

      it('replaces a document indexed twice instead of duplicating it', async () => {
        const d = doc('twice', 'ops', 'decision', 'Oncall rotation', 'Weekly oncall rotation.', ['cy'], 2, 1);
        await index.upsert([d]);
        await index.upsert([{ ...d, revision: 2, spaceId: 'eng', kind: 'page' }]);
        const r = await search('oncall');
        expect(ids(r)).toEqual(['twice']);
        expect(r.total).toBe(1);
        expect(r.hits[0]).toMatchObject({ spaceId: 'eng', kind: 'page' });
        expect(await index.search({ q: 'oncall', spaceIds: ['ops'], limit: 20 })).toEqual({ hits: [], total: 0 });
      });

      it('ignores removing a document that is not indexed', async () => {
        await expect(index.remove(['never-indexed'])).resolves.toBeUndefined();
        await expect(index.upsert([])).resolves.toBeUndefined();
        await expect(index.remove([])).resolves.toBeUndefined();
      });

      it('corrects and completes words from the readable documents only (a hidden word changes nothing)', async () => {
        await index.upsert([doc('probe', 'eng', 'page', 'Probe', 'A note about quorvendil.', ['ana'], 1)]);
        const queries = ['quorvandel ', 'quorvandal ', 'quorvendel ', 'quorv'];
        const before = [];
        for (const q of queries) before.push(await search(q));
        expect(before.map((r) => r.total)).toEqual([1, 1, 1, 1]);
        await index.upsert([doc('hidden', 'secret', 'page', 'Hidden', 'Codename quorvandel.', ['ana'], 1)]);
        expect(ids(await index.search({ q: 'quorvandel ', spaceIds: ['secret'], limit: 20 }))).toEqual(['hidden']);
        for (const [i, q] of queries.entries()) expect(await search(q), q).toEqual(before[i]);
        await index.remove(['probe', 'hidden']);
      });

      it('rebuilds: the new documents replace everything', async () => {
        await index.upsert(CONTRACT_DOCS);
        async function* batches() {
          yield [doc('new-1', 'eng', 'page', 'Fresh start', 'Everything was reindexed on Monday.', ['ana'], 20, 5)];
          yield [doc('new-2', 'ops', 'decision', 'Second batch', 'Monday reindex, part two.', ['bo'], 21, 6)];
        }
        const progress: number[] = [];
        await index.rebuild(batches(), (n) => progress.push(n));
        expect(progress).toEqual([1, 2]);
        expect(await search('laptop')).toEqual({ hits: [], total: 0 });
        expect(await search('freeze')).toEqual({ hits: [], total: 0 });
        const r = await search('monday');
        expect(new Set(ids(r))).toEqual(new Set(['new-1', 'new-2']));
        expect(r.total).toBe(2);
        expect(Object.fromEntries(await index.indexedRevisions())).toEqual({ 'new-1': 5, 'new-2': 6 });
        // The rebuilt index keeps taking changes.
        await index.upsert([doc('new-3', 'eng', 'page', 'After the rebuild', 'Tuesday follow-up.', ['cy'], 22)]);
        expect(ids(await search('tuesday'))).toEqual(['new-3']);
      });
    });
  });
}
