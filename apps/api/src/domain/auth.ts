import { hash, verify } from '@node-rs/argon2';
import { and, apiTokens, eq, isNull, sessions, users, count, type Db } from '@handoff/db';
import { newId, newSecret, sha256 } from './ids.ts';
import type { UserRow } from './access.ts';
import type { Clock } from './ports.ts';
import { ApiError, conflict, forbidden } from '../errors.ts';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
// algorithm 2 is Argon2id (a const enum in the typings, so spelled as its value).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);
export const verifyPassword = async (stored: string, password: string) => {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
};
/** Verified against when the email is unknown, so both paths take the same time. */
let dummyHash: Promise<string> | null = null;

export interface NewUser {
  email: string;
  name: string;
  handle: string;
  password: string;
  timezone: string;
  role?: 'admin' | 'member';
  briefHour?: number;
}

/** Creates a user. The very first user of a workspace becomes its admin. */
export async function createUser(db: Db, clock: Clock, input: NewUser): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const taken = await tx
      .select({ email: users.email, handle: users.handle })
      .from(users)
      .where(eq(users.email, input.email))
      .union(tx.select({ email: users.email, handle: users.handle }).from(users).where(eq(users.handle, input.handle)))
      .all();
    if (taken.some((t) => t.email === input.email)) throw conflict('An account with that email exists already.', { field: 'email' });
    if (taken.length) throw conflict('That handle is taken.', { field: 'handle' });
    const existing = await tx.select({ n: count() }).from(users).get();
    const now = clock.now();
    const row: UserRow = {
      id: newId(),
      email: input.email,
      name: input.name,
      handle: input.handle,
      passwordHash,
      timezone: input.timezone,
      briefHour: input.briefHour ?? 8,
      role: input.role ?? ((existing?.n ?? 0) === 0 ? 'admin' : 'member'),
      createdAt: now,
      updatedAt: now,
      deactivatedAt: null,
    };
    await tx.insert(users).values(row);
    return row;
  });
}

export async function checkCredentials(db: Db, email: string, password: string): Promise<UserRow | null> {
  const user = await db.select().from(users).where(eq(users.email, email)).get();
  if (!user || user.deactivatedAt) {
    dummyHash ??= hashPassword('not a real password, only for timing');
    await verifyPassword(await dummyHash, password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export async function startSession(db: Db, clock: Clock, userId: string, policy: SessionPolicy) {
  const token = newSecret('hs_');
  const csrfToken = newSecret('csrf_');
  const now = clock.now();
  const id = newId();
  await db.insert(sessions).values({
    id,
    tokenHash: sha256(token),
    userId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + policy.absoluteMs,
    revokedAt: null,
  });
  return { id, token, csrfToken, expiresAt: now + policy.absoluteMs };
}

/** Touching a session at most this often keeps reads from turning into writes. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/**
 * Resolves a session or API token to its user. Sessions end after `idleMs` without use or
 * at their absolute expiry, whichever comes first; revoked tokens and deactivated users fail.
 */
export async function resolveToken(db: Db, clock: Clock, token: string, policy: SessionPolicy) {
  const now = clock.now();
  if (token.startsWith('hs_')) {
    const row = await db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, sha256(token)))
      .get();
    if (!row || row.session.revokedAt || row.user.deactivatedAt) return null;
    if (now >= row.session.expiresAt || now - row.session.lastSeenAt > policy.idleMs) return null;
    if (now - row.session.lastSeenAt > TOUCH_EVERY_MS) {
      await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
    }
    return { user: row.user, via: 'session' as const, sessionId: row.session.id, csrfToken: row.session.csrfToken };
  }
  if (token.startsWith('ht_')) {
    const row = await db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, sha256(token)))
      .get();
    if (!row || row.token.revokedAt || row.user.deactivatedAt) return null;
    if (!row.token.lastUsedAt || now - row.token.lastUsedAt > TOUCH_EVERY_MS) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
    }
    return { user: row.user, via: 'token' as const, sessionId: null, csrfToken: null };
  }
  return null;
}

export async function revokeSession(db: Db, clock: Clock, sessionId: string) {
  await db.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.id, sessionId));
}

/** A password change ends every session of the user but the one that made it. */
export async function changePassword(db: Db, clock: Clock, user: UserRow, current: string, next: string, keepSessionId: string | null) {
  if (!(await verifyPassword(user.passwordHash, current))) {
    throw new ApiError(403, 'wrong_password', 'The current password is not right.');
  }
  const passwordHash = await hashPassword(next);
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
    const open = await tx.select({ id: sessions.id }).from(sessions).where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt))).all();
    for (const s of open) {
      if (s.id !== keepSessionId) await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, s.id));
    }
  });
}

export async function createApiToken(db: Db, clock: Clock, user: UserRow, name: string) {
  const token = newSecret('ht_');
  const row = { id: newId(), tokenHash: sha256(token), userId: user.id, name, createdAt: clock.now(), lastUsedAt: null, revokedAt: null };
  await db.insert(apiTokens).values(row);
  return { token, row };
}

export async function revokeApiToken(db: Db, clock: Clock, user: UserRow, tokenId: string) {
  const row = await db.select().from(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, user.id))).get();
  if (!row) return false;
  if (!row.revokedAt) await db.update(apiTokens).set({ revokedAt: clock.now() }).where(eq(apiTokens.id, tokenId));
  return true;
}

export function assertSignupOpen(mode: 'open' | 'closed', userCount: number) {
  if (mode === 'closed' && userCount > 0) throw forbidden('Sign-up is closed on this workspace; ask an admin for an account.');
}
