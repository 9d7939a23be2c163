/**
 * The Meilisearch adapter against a real server when MEILISEARCH_URL is set (each index gets a
 * unique uid and is deleted afterwards), otherwise against the FAKE Meilisearch of
 * fake-meilisearch.ts.
 */
import { Meilisearch, MeilisearchApiError } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexedDoc } from '../../domain/ports.ts';
import { FakeMeilisearch } from './fake-meilisearch.ts';
import { chunkId, filterKey, filterValue, MeilisearchSearchIndex, MeilisearchTaskError, splitIntoChunks, type MeilisearchSearchIndexOptions } from './meilisearch-search-index.ts';
import { runSearchIndexContract } from './search-index.case.ts';

const REAL_URL = process.env.MEILISEARCH_URL;
const API_KEY = process.env.MEILISEARCH_API_KEY;
const RUN = `handoff_test_${Date.now().toString(36)}_${process.pid}`;
let serial = 0;
let fake: Promise<FakeMeilisearch> | null = null;

async function server(): Promise<{ host: string; apiKey: string | undefined }> {
  if (REAL_URL) return { host: REAL_URL, apiKey: API_KEY };
  fake ??= FakeMeilisearch.start({ masterKey: 'fake-master-key' });
  return { host: (await fake).url, apiKey: 'fake-master-key' };
}

async function rawClient(): Promise<Meilisearch> {
  return new Meilisearch(await server());
}

async function makeMeilisearchIndex(options: Partial<MeilisearchSearchIndexOptions> = {}, setup = true) {
  const { host, apiKey } = await server();
  const indexUid = `${RUN}_${serial++}`;
  const index = new MeilisearchSearchIndex({ host, apiKey, indexUid, taskPollMs: 10, ...options });
  if (setup) await index.setup();
  return {
    index,
    indexUid,
    async close() {
      await (await rawClient()).deleteIndex(indexUid).waitTask({ interval: 10 }).catch(() => undefined);
    },
  };
}

afterAll(async () => {
  if (fake) await (await fake).close();
});

runSearchIndexContract(REAL_URL ? `meilisearch (${REAL_URL})` : 'meilisearch (fake server)', () => makeMeilisearchIndex());

const words = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'][(i + offset) % 8]).join(' ');

const longDoc = (docId: string, text: string, revision = 1): IndexedDoc => ({
  docId,
  spaceId: 'eng',
  kind: 'page',
  title: `Long document ${docId}`,
  text,
  authors: ['ana'],
  updatedAt: Date.UTC(2025, 0, 1),
  revision,
});

describe('MeilisearchSearchIndex', () => {
  describe('setup', () => {
    let made: Awaited<ReturnType<typeof makeMeilisearchIndex>>;
    beforeAll(async () => {
      made = await makeMeilisearchIndex();
    });
    afterAll(() => made.close());

    it('applies and awaits the settings, and may run again', async () => {
      await made.index.setup();
      const settings = await (await rawClient()).index(made.indexUid).getSettings();
      expect(settings.searchableAttributes).toEqual(['title', 'text', 'comments']);
      expect([...(settings.filterableAttributes as string[])].sort()).toEqual(['authorKeys', 'docKey', 'kind', 'spaceKey', 'updatedAt']);
      expect(settings.sortableAttributes).toEqual(['updatedAt']);
      expect(settings.distinctAttribute).toBe('docKey');
      expect(settings.typoTolerance).toMatchObject({ enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } });
      expect(settings.rankingRules).toEqual(['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness']);
      expect((await (await rawClient()).getIndex(made.indexUid)).primaryKey).toBe('id');
    });
  });

  describe('long documents', () => {
    let made: Awaited<ReturnType<typeof makeMeilisearchIndex>>;
    beforeAll(async () => {
      made = await makeMeilisearchIndex();
    });
    afterAll(() => made.close());
    const chunksOf = async (docId: string) => {
      const all = await (await rawClient()).index(made.indexUid).getDocuments<{ id: string; docId: string }>({ fields: ['id', 'docId'], limit: 1000 });
      return all.results.filter((d) => d.docId === docId).map((d) => d.id).sort();
    };

    it('are split into chunks; a word only in the last one is found, once', async () => {
      await made.index.upsert([longDoc('long-1', `${words(1000)} zeppelin`), longDoc('long-2', words(700, 3))]);
      expect(await chunksOf('long-1')).toEqual(['long-1-0', 'long-1-1', 'long-1-2', 'long-1-3']);
      expect(await chunksOf('long-2')).toEqual(['long-2-0', 'long-2-1', 'long-2-2']);

      const r = await made.index.search({ q: 'zeppelin', spaceIds: ['eng'], limit: 20 });
      expect(r.hits.map((h) => h.docId)).toEqual(['long-1']);
      expect(r.total).toBe(1);
      expect(r.hits[0]!.snippet).toContain('<mark>zeppelin</mark>');
      expect(r.hits[0]!.snippet.startsWith('…')).toBe(true);

      // A word in every chunk of both documents: one hit and one count per document.
      const common = await made.index.search({ q: 'foxtrot', spaceIds: ['eng'], limit: 20 });
      expect(new Set(common.hits.map((h) => h.docId))).toEqual(new Set(['long-1', 'long-2']));
      expect(common.hits).toHaveLength(2);
      expect(common.total).toBe(2);
      expect(Object.fromEntries(await made.index.indexedRevisions())).toEqual({ 'long-1': 1, 'long-2': 1 });
    });

    it('drop their old chunks when indexed again with a shorter text', async () => {
      await made.index.upsert([longDoc('long-1', 'Now a short text.', 2)]);
      expect(await chunksOf('long-1')).toEqual(['long-1-0']);
      expect(await made.index.search({ q: 'zeppelin', spaceIds: ['eng'], limit: 20 })).toEqual({ hits: [], total: 0 });
      expect((await made.index.indexedRevisions()).get('long-1')).toBe(2);
    });

    it('are removed with all their chunks', async () => {
      await made.index.remove(['long-2']);
      expect(await chunksOf('long-2')).toEqual([]);
    });
  });

  describe('ids', () => {
    let made: Awaited<ReturnType<typeof makeMeilisearchIndex>>;
    beforeAll(async () => {
      made = await makeMeilisearchIndex();
    });
    afterAll(() => made.close());

    it('keeps documents whose ids differ only in case apart (Meilisearch filters ignore case)', async () => {
      const d = (docId: string, spaceId: string, text: string): IndexedDoc => ({ ...longDoc(docId, text), spaceId, title: docId });
      await made.index.upsert([d('aB', 'sP', 'shared kiwi words'), d('Ab', 'Sp', 'shared kiwi words')]);
      await made.index.upsert([d('aB', 'sP', 'shared kiwi words again')]);
      const both = await made.index.search({ q: 'kiwi', spaceIds: ['sP', 'Sp'], limit: 20 });
      expect(new Set(both.hits.map((h) => h.docId))).toEqual(new Set(['aB', 'Ab']));
      expect(both.total).toBe(2);
      const one = await made.index.search({ q: 'kiwi', spaceIds: ['sP'], limit: 20 });
      expect(one.hits.map((h) => h.docId)).toEqual(['aB']);
      expect(one.total).toBe(1);
    });

    it('indexes documents whose ids are outside Meilisearch’s id alphabet', async () => {
      const odd = ['with space', 'dot.and/slash', 'ünï', 'x'.repeat(600)];
      await made.index.upsert(odd.map((docId) => ({ ...longDoc(docId, 'papaya'), title: 'odd' })));
      const r = await made.index.search({ q: 'papaya', spaceIds: ['eng'], limit: 20 });
      expect(new Set(r.hits.map((h) => h.docId))).toEqual(new Set(odd));
      await made.index.remove(odd);
      expect((await made.index.search({ q: 'papaya', spaceIds: ['eng'], limit: 20 })).total).toBe(0);
    });
  });

  describe('failed tasks', () => {
    it('surface as errors (the index is missing)', async () => {
      const made = await makeMeilisearchIndex({}, false);
      const error = await made.index.remove(['x']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MeilisearchTaskError);
      expect((error as MeilisearchTaskError).task).toMatchObject({ status: 'failed', error: { code: 'index_not_found' } });
      await made.close();
    });

    it('surface as errors (the settings were never applied)', async () => {
      const made = await makeMeilisearchIndex({}, false);
      await (await rawClient()).createIndex(made.indexUid, { primaryKey: 'id' }).waitTask({ interval: 10 });
      const error = await made.index.upsert([longDoc('d1', 'text')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MeilisearchTaskError);
      expect((error as MeilisearchTaskError).task).toMatchObject({ status: 'failed', error: { code: expect.stringMatching(/^invalid_(document|search)_filter$/) } });
      expect((error as Error).message).toMatch(/failed/);
      await made.close();
    });
  });

  describe('the server speaks Meilisearch’s wire format', () => {
    it('fails a whole batch with an invalid document id', async () => {
      const client = await rawClient();
      const uid = `${RUN}_${serial++}`;
      const task = await client.index(uid).addDocuments([{ id: 'ok' }, { id: 'not ok' }], { primaryKey: 'id' }).waitTask({ interval: 10 });
      expect(task).toMatchObject({ status: 'failed', type: 'documentAdditionOrUpdate', error: { code: 'invalid_document_id', type: 'invalid_request' } });
      await client.deleteIndex(uid).waitTask({ interval: 10 });
    });

    it('answers 404 index_not_found for a missing index', async () => {
      const error = await (await rawClient()).getIndex(`${RUN}_missing`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MeilisearchApiError);
      expect((error as MeilisearchApiError).response.status).toBe(404);
      expect((error as MeilisearchApiError).cause).toMatchObject({ code: 'index_not_found' });
    });

    it('evaluates the filter grammar (case-insensitive strings, numbers, IN, NOT, parentheses, escaped quotes)', async () => {
      const client = await rawClient();
      const uid = `${RUN}_${serial++}`;
      const index = client.index(uid);
      await client.createIndex(uid, { primaryKey: 'id' }).waitTask({ interval: 10 });
      await index.updateSettings({ filterableAttributes: ['tag', 'n', 'tags'] }).waitTask({ interval: 10 });
      await index
        .addDocuments([
          { id: 1, tag: 'Alpha', n: 1, tags: ['x', 'y'], word: 'kumquat' },
          { id: 2, tag: 'beta', n: 2, tags: ['y'], word: 'kumquat' },
          { id: 3, tag: 'say "hi"', n: 3, tags: [], word: 'kumquat' },
        ])
        .waitTask({ interval: 10 });
      const found = async (filter: string) => (await index.search('kumquat', { filter, attributesToRetrieve: ['id'] })).hits.map((h) => h.id).sort();
      expect(await found('tag = alpha')).toEqual([1]);
      expect(await found('tag = "ALPHA"')).toEqual([1]);
      expect(await found('n >= 2')).toEqual([2, 3]);
      expect(await found('n 1 TO 2')).toEqual([1, 2]);
      expect(await found('tags = y AND NOT n = 2')).toEqual([1]);
      expect(await found('tag IN ["beta", "say \\"hi\\""]')).toEqual([2, 3]);
      expect(await found('(n = 1 OR n = 3) AND tag NOT IN [alpha]')).toEqual([3]);
      expect(await found('tags IS EMPTY')).toEqual([3]);
      expect(await found('n != 1')).toEqual([2, 3]);
      const broken = await index.search('kumquat', { filter: 'tag = "unclosed' }).catch((e: unknown) => e);
      expect((broken as MeilisearchApiError).cause).toMatchObject({ code: 'invalid_search_filter' });
      await client.deleteIndex(uid).waitTask({ interval: 10 });
    });

    it('rejects a filter on an attribute that is not filterable', async () => {
      const made = await makeMeilisearchIndex();
      const error = await (await rawClient()).index(made.indexUid).search('x', { filter: 'title = "x"' }).catch((e: unknown) => e);
      expect((error as MeilisearchApiError).cause).toMatchObject({ code: 'invalid_search_filter' });
      await made.close();
    });
  });

  describe.skipIf(!!REAL_URL)('outages (fake server only)', () => {
    it.each(['refuse', '503'] as const)('reports unhealthy and fails writes while unavailable (%s), then recovers', async (mode) => {
      const made = await makeMeilisearchIndex();
      const f = await fake!;
      await f.setAvailable(false, mode);
      try {
        expect(await made.index.health()).toBe(false);
        await expect(made.index.upsert([longDoc('during', 'outage')])).rejects.toThrow();
        await expect(made.index.search({ q: 'outage', spaceIds: ['eng'], limit: 5 })).rejects.toThrow();
      } finally {
        await f.setAvailable(true);
      }
      expect(await made.index.health()).toBe(true);
      await made.index.upsert([longDoc('during', 'outage')]);
      expect((await made.index.search({ q: 'outage', spaceIds: ['eng'], limit: 5 })).total).toBe(1);
      await made.close();
    });

    it('rejects requests without the master key', async () => {
      const client = new Meilisearch({ host: (await fake!).url });
      await expect(client.getIndexes()).rejects.toMatchObject({ cause: { code: 'missing_authorization_header' } });
      expect((await client.health()).status).toBe('available');
    });
  });

  describe('helpers', () => {
    it('chunk ids are valid Meilisearch ids and never shared', () => {
      const docIds = ['a', 'a-1', 'a_1', 'A', 'with space', 'x'.repeat(600), 'a-1-0'];
      const all = docIds.flatMap((d) => [0, 1, 10].map((n) => chunkId(d, n)));
      expect(new Set(all).size).toBe(all.length);
      for (const id of all) expect(id).toMatch(/^[A-Za-z0-9_-]{1,511}$/);
    });

    it('filter values are quoted with `\\` and `"` escaped; filter keys are lower-case hex', () => {
      expect(filterValue('a"b\\c')).toBe('"a\\"b\\\\c"');
      expect(filterKey('aB')).toBe('x6142');
      expect(filterKey('Ab')).not.toBe(filterKey('aB'));
      expect(filterKey('x'.repeat(600))).toMatch(/^h[0-9a-f]{64}$/);
    });

    it('splits text into chunks of whole words, keeping it verbatim', () => {
      const text = 'one  two\nthree four five';
      expect(splitIntoChunks(text, 2)).toEqual(['one  two', 'three four', 'five']);
      expect(splitIntoChunks('', 300)).toEqual(['']);
      expect(splitIntoChunks(words(600), 300)).toHaveLength(2);
    });
  });
});
