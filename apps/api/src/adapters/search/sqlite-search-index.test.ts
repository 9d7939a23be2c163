import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@handoff/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_DOCS, READABLE, runSearchIndexContract } from './search-index.case.ts';
import { SqliteSearchIndex, type SqliteSearchOptions } from './sqlite-search-index.ts';

async function makeSqliteIndex(options: SqliteSearchOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-search-'));
  const database = await openDatabase(`file:${join(dir, 'h.db')}`);
  const index = new SqliteSearchIndex(database.client, options);
  await index.setup();
  return {
    index,
    client: database.client,
    close() {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runSearchIndexContract('sqlite', () => makeSqliteIndex());

describe('SqliteSearchIndex beyond the contract', () => {
  let made: Awaited<ReturnType<typeof makeSqliteIndex>>;
  beforeAll(async () => {
    made = await makeSqliteIndex();
    await made.index.upsert(CONTRACT_DOCS);
  });
  afterAll(() => made.close());

  // Meilisearch matches words and their beginnings only, so this is not part of the contract.
  it('finds a part from the middle or the end of a word (trigram index)', async () => {
    const book = await made.index.search({ q: 'book', spaceIds: READABLE, limit: 20 });
    expect(new Set(book.hits.map((h) => h.docId))).toEqual(new Set(['handbook', 'deploy'])); // hand·book, run·book
    const structure = await made.index.search({ q: 'structure', spaceIds: READABLE, limit: 20 });
    expect(new Set(structure.hits.map((h) => h.docId))).toEqual(new Set(['budget', 'offsite']));
    expect(structure.hits.find((h) => h.docId === 'offsite')!.snippet).toContain('infra<mark>structure</mark>');
  });
});

describe('SqliteSearchIndex vocabulary bounds', () => {
  const doc = (docId: string, text: string, spaceId = 'eng') => ({ docId, spaceId, kind: 'page' as const, title: docId, text, authors: [], updatedAt: 0, revision: 1 });
  const vocabulary = async (client: Awaited<ReturnType<typeof makeSqliteIndex>>['client']) =>
    Object.fromEntries((await client.execute('SELECT term, docs FROM search_vocab')).rows.map((r) => [String(r[0]), Number(r[1])]));

  it('counts each document once, lowers counts on re-index and removal, and forgets words at 0', async () => {
    const made = await makeSqliteIndex();
    try {
      await made.index.upsert([doc('a', 'alpha bravo charlie'), doc('b', 'alpha delta')]);
      await made.index.upsert([doc('a', 'alpha bravo echo')]); // re-indexed: charlie gone, echo new
      expect(await vocabulary(made.client)).toMatchObject({ alpha: 2, bravo: 1, delta: 1, echo: 1 });
      expect((await vocabulary(made.client)).charlie).toBeUndefined();
      await made.index.remove(['a', 'b']);
      expect(Object.keys(await vocabulary(made.client)).filter((w) => ['alpha', 'bravo', 'delta', 'echo'].includes(w))).toEqual([]);
      expect(await made.index.search({ q: 'alpa ', spaceIds: ['eng'], limit: 5 })).toEqual({ hits: [], total: 0 });
    } finally {
      made.close();
    }
  });

  it('counts the words of comments too, and lowers them when a comment goes', async () => {
    const made = await makeSqliteIndex();
    try {
      await made.index.upsert([{ ...doc('a', 'alpha'), comments: ['zulu yankee', 'alpha xray'] }, doc('b', 'zulu')]);
      expect(await vocabulary(made.client)).toMatchObject({ alpha: 1, zulu: 2, yankee: 1, xray: 1 });
      await made.index.upsert([{ ...doc('a', 'alpha'), comments: ['alpha xray'] }]); // the first comment was deleted
      const after = await vocabulary(made.client);
      expect(after).toMatchObject({ alpha: 1, zulu: 1, xray: 1 });
      expect(after.yankee).toBeUndefined();
      expect(await made.index.search({ q: 'yankee ', spaceIds: ['eng'], limit: 5 })).toEqual({ hits: [], total: 0 });
      await made.index.remove(['a']);
      expect((await vocabulary(made.client)).xray).toBeUndefined();
    } finally {
      made.close();
    }
  });

  it('counts at most `wordsPerDoc` distinct words of a document', async () => {
    const made = await makeSqliteIndex({ wordsPerDoc: 3 });
    try {
      await made.index.upsert([doc('a', 'alpha bravo charlie delta echo')]);
      expect(Object.keys(await vocabulary(made.client)).sort()).toEqual(['alpha', 'bravo', 'charlie']); // the title "a" is too short to count
      expect((await made.index.search({ q: 'echo ', spaceIds: ['eng'], limit: 5 })).total).toBe(1); // still found as written
    } finally {
      made.close();
    }
  });

  it('holds at most `residentWords` in memory, completes the rest from disk, and starts without reading them all', async () => {
    const made = await makeSqliteIndex({ residentWords: 10 });
    try {
      const words = Array.from({ length: 60 }, (_, i) => `zq${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}word`);
      await made.index.upsert(words.map((w, i) => doc(`d${i}`, `${w} common`)));
      const held = (made.index as unknown as { vocab: { entries: Map<string, unknown> } }).vocab.entries;
      expect(held.size).toBe(10);
      // A completion of a word not held in memory comes from disk.
      const last = words[59]!;
      expect((await made.index.search({ q: last.slice(0, 5), spaceIds: ['eng'], limit: 5 })).hits.map((h) => h.docId)).toEqual(['d59']);
      // A fresh engine on the same database reads the most used words only.
      const again = new SqliteSearchIndex(made.client, { residentWords: 10 });
      await again.setup();
      const reread = (again as unknown as { vocab: { entries: Map<string, unknown> } }).vocab.entries;
      expect(reread.size).toBe(10);
      expect(reread.has('common')).toBe(true);
    } finally {
      made.close();
    }
  });
});
