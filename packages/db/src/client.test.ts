import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './client.ts';
import { users, documents, spaces } from './schema/index.ts';

const opened: Array<{ db: Database; dir: string }> = [];
async function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-db-'));
  const db = await openDatabase(`file:${join(dir, 'nested', 'handoff.db')}`);
  opened.push({ db, dir });
  return db;
}
afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('openDatabase', () => {
  it('creates the folder, applies the migrations and switches on WAL and foreign keys', async () => {
    const { client } = await fresh();
    expect((await client.execute('PRAGMA journal_mode')).rows[0]?.[0]).toBe('wal');
    expect((await client.execute('PRAGMA foreign_keys')).rows[0]?.[0]).toBe(1);
    const tables = (await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'")).rows.map((r) => r[0]);
    expect(tables).toEqual(expect.arrayContaining(['users', 'sessions', 'api_tokens', 'spaces', 'memberships', 'documents', 'revisions', 'revision_authors', 'doc_updates', 'doc_snapshots', 'decisions', 'views', 'watches', 'mentions', 'outbox']));
  });

  it('is idempotent: opening a migrated database again changes nothing', async () => {
    const first = await fresh();
    const url = first.url;
    first.close();
    const again = await openDatabase(url);
    try {
      const n = (await again.client.execute('SELECT count(*) FROM __drizzle_migrations')).rows[0]?.[0];
      const journal = JSON.parse(readFileSync(new URL('../migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };
      expect(n).toBe(journal.entries.length);
    } finally {
      again.close();
    }
  });

  it('enforces foreign keys inside drizzle transactions', async () => {
    const { db } = await fresh();
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(documents).values({ id: 'd', spaceId: 'missing', title: 't', content: '{}', createdBy: 'nobody', updatedBy: 'nobody', createdAt: 1, updatedAt: 1 });
      }),
    ).rejects.toThrow();
    expect(await db.select().from(documents).all()).toEqual([]);
  });

  it('rolls a failed transaction back as a whole', async () => {
    const { db } = await fresh();
    const user = { id: 'u', email: 'a@b.c', name: 'A', handle: 'a', passwordHash: 'x', timezone: 'UTC', createdAt: 1, updatedAt: 1 };
    await db.insert(users).values(user);
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(spaces).values({ id: 's', name: 'S', createdBy: 'u', createdAt: 1, updatedAt: 1 });
        await tx.insert(users).values(user); // duplicate key
      }),
    ).rejects.toThrow();
    expect(await db.select().from(spaces).all()).toEqual([]);
  });
});

describe('the write gate', () => {
  it('lets a write wait for an open transaction instead of stalling the event loop', async () => {
    const { db, client } = await fresh();
    const user = { id: 'u', email: 'a@b.c', name: 'A', handle: 'a', passwordHash: 'x', timezone: 'UTC', createdAt: 1, updatedAt: 1 };
    const started = Date.now();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const slowTx = db.transaction(async (tx) => {
      await tx.insert(users).values(user);
      await new Promise((r) => setTimeout(r, 200)); // awaits something other than the database
      await tx.insert(spaces).values({ id: 's', name: 'S', createdBy: 'u', createdAt: 1, updatedAt: 1 });
    });
    await new Promise((r) => setTimeout(r, 20));
    const write = client.execute("INSERT INTO users (id, email, name, handle, password_hash, timezone, created_at, updated_at) VALUES ('v', 'v@b.c', 'V', 'v', 'x', 'UTC', 1, 1)");
    await Promise.all([slowTx, write]);
    clearInterval(ticker);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ticks).toBeGreaterThan(10); // the event loop kept turning
    expect((await client.execute('SELECT count(*) FROM users')).rows[0]?.[0]).toBe(2);
  });

  it('does not make reads wait for a write transaction', async () => {
    const { db, client } = await fresh();
    let readDone = false;
    const tx = db.transaction(async () => {
      await new Promise((r) => setTimeout(r, 100));
      expect(readDone).toBe(true);
    });
    await client.execute('SELECT count(*) FROM users');
    readDone = true;
    await tx;
  });
});
