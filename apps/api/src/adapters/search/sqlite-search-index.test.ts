import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@handoff/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_DOCS, READABLE, runSearchIndexContract } from './search-index.case.ts';
import { SqliteSearchIndex } from './sqlite-search-index.ts';

async function makeSqliteIndex() {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-search-'));
  const database = await openDatabase(`file:${join(dir, 'h.db')}`);
  const index = new SqliteSearchIndex(database.client);
  await index.setup();
  return {
    index,
    close() {
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

runSearchIndexContract('sqlite', makeSqliteIndex);

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
