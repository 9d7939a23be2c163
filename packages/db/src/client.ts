import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema/index.ts';
import { gateWrites } from './write-gate.ts';

export type Db = LibSQLDatabase<typeof schema>;
/** A transaction handle; accepted wherever a `Db` is, so one use case can run inside another's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  client: Client;
  url: string;
  close(): void;
}

export const DEFAULT_DATABASE_URL = 'file:./data/handoff.db';
const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../migrations');

/**
 * Opens the database at `url` (a `file:` path for the embedded libSQL file, or a `libsql://` /
 * `http(s)://` URL of a libSQL server such as sqld or Turso), switches on WAL for local files,
 * and applies the committed migrations. Foreign keys are on in libSQL by default; the busy
 * timeout makes concurrent writers wait for the lock instead of failing.
 */
export async function openDatabase(url = DEFAULT_DATABASE_URL, authToken?: string): Promise<Database> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const raw = createClient({ url, authToken, timeout: 15_000, intMode: 'number' });
  // Local files: one write at a time in this process (see write-gate.ts). Servers handle it themselves.
  const client = isFile ? gateWrites(raw) : raw;
  if (isFile) {
    await client.execute('PRAGMA journal_mode = WAL');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return { db, client, url, close: () => client.close() };
}
