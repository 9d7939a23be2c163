import { asc, eq, isNull, or, sql, users, type Db, type DbOrTx } from '@handoff/db';
import { conflict } from './errors.ts';
import { newId } from './ids.ts';
import type { UserRow } from './model.ts';
import type { Clock } from './clock.ts';
import { argon2Passwords, type PasswordHasher } from './passwords.ts';

/** People of the workspace as stored: look-ups and the one INSERT that enforces the first-user rule. */

export type WorkspaceRole = 'admin' | 'member';

export interface NewUser {
  email: string;
  name: string;
  handle: string;
  password: string;
  timezone: string;
  role?: WorkspaceRole;
  briefHour?: number;
}

/** A new person's row; the working hours and delivery settings keep their column defaults. */
export type NewUserRow = Omit<UserRow, 'role' | 'deactivatedAt' | 'workDays' | 'workStart' | 'workEnd' | 'awayUntil' | 'deliveryEmail' | 'webhookUrl' | 'webhookSecret'>;

export function newUserRow(input: Omit<NewUser, 'password' | 'role'>, passwordHash: string, now: number): NewUserRow {
  return {
    id: newId(),
    email: input.email,
    name: input.name,
    handle: input.handle,
    passwordHash,
    timezone: input.timezone,
    briefHour: input.briefHour ?? 8,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Inserts a user in one statement that also enforces the "first user" rule atomically:
 * - `onlyIfFirst`: the row is inserted only if the workspace has nobody yet (so of many concurrent
 *   first sign-ups exactly one succeeds);
 * - the role is `role` when given, else `admin` for the first person and `member` after.
 * Returns null when `onlyIfFirst` and someone exists already.
 */
export async function insertUser(db: DbOrTx, row: NewUserRow, opts: { role: WorkspaceRole | null; onlyIfFirst: boolean }): Promise<UserRow | null> {
  const inserted = await db.all<{ id: string }>(sql`
    INSERT INTO users (id, email, name, handle, password_hash, timezone, brief_hour, role, created_at, updated_at)
    SELECT ${row.id}, ${row.email}, ${row.name}, ${row.handle}, ${row.passwordHash}, ${row.timezone}, ${row.briefHour},
           COALESCE(${opts.role}, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'member' ELSE 'admin' END),
           ${row.createdAt}, ${row.updatedAt}
    WHERE ${opts.onlyIfFirst ? 0 : 1} = 1 OR NOT EXISTS (SELECT 1 FROM users)
    RETURNING id`);
  if (!inserted.length) return null;
  return (await db.select().from(users).where(eq(users.id, row.id)).get()) ?? null;
}

/** Which of an e-mail and a handle are taken already. */
export async function takenIdentifiers(db: DbOrTx, email: string, handle: string): Promise<{ email: boolean; handle: boolean }> {
  const taken = await db
    .select({ email: users.email, handle: users.handle })
    .from(users)
    .where(or(eq(users.email, email), eq(users.handle, handle)))
    .all();
  return { email: taken.some((t) => t.email === email), handle: taken.some((t) => t.handle === handle) };
}

export async function anyUserExists(db: DbOrTx): Promise<boolean> {
  return !!(await db.select({ id: users.id }).from(users).limit(1).get());
}

export async function userById(db: DbOrTx, id: string): Promise<UserRow | null> {
  return (await db.select().from(users).where(eq(users.id, id)).get()) ?? null;
}

export async function userByEmail(db: DbOrTx, email: string): Promise<UserRow | null> {
  return (await db.select().from(users).where(eq(users.email, email)).get()) ?? null;
}

/** Everyone not deactivated, by name. */
export async function activeUsers(db: DbOrTx): Promise<UserRow[]> {
  return db.select().from(users).where(isNull(users.deactivatedAt)).orderBy(asc(users.name)).all();
}

/** The columns a person changes about herself (profile, working hours, delivery); undefined ones stay. */
export type ProfileChange = {
  [K in 'name' | 'timezone' | 'briefHour' | 'workDays' | 'workStart' | 'workEnd' | 'awayUntil' | 'deliveryEmail' | 'webhookUrl' | 'webhookSecret']?: UserRow[K] | undefined;
};

export async function updateProfile(db: DbOrTx, userId: string, change: ProfileChange, now: number): Promise<UserRow | null> {
  const set: ProfileChange & { updatedAt: number } = { updatedAt: now };
  for (const [key, value] of Object.entries(change) as Array<[keyof ProfileChange, unknown]>) {
    if (value !== undefined) (set as Record<string, unknown>)[key] = value;
  }
  return (await db.update(users).set(set).where(eq(users.id, userId)).returning().get()) ?? null;
}

export async function setPasswordHash(db: DbOrTx, userId: string, passwordHash: string, now: number): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}

/** Creates a user (CLI, demo seed). The very first user of a workspace becomes its admin. */
export async function createUser(db: Db, clock: Clock, input: NewUser, passwords: PasswordHasher = argon2Passwords): Promise<UserRow> {
  const passwordHash = await passwords.hash(input.password);
  return db.transaction(async (tx) => {
    const taken = await takenIdentifiers(tx, input.email, input.handle);
    if (taken.email) throw conflict('An account with that email exists already.', { field: 'email' });
    if (taken.handle) throw conflict('That handle is taken.', { field: 'handle' });
    const row = await insertUser(tx, newUserRow(input, passwordHash, clock.now()), { role: input.role ?? null, onlyIfFirst: false });
    return row!;
  });
}
