import { and, apiTokens, desc, eq, isNull, sessions, sql, users, type DbOrTx } from '@handoff/db';
import { ALL_SCOPES, parseScopes, type Auth, type Scope } from './identity.ts';
import type { Clock } from './clock.ts';
import { newId, newSecret, sha256 } from './ids.ts';

/**
 * Credentials as stored: log-in sessions (`hs_…`) and API tokens (`ht_…`). Only a secret's
 * SHA-256 is stored; the secret itself is handed out once, when it is made.
 */

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface NewSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export async function insertSession(db: DbOrTx, userId: string, now: number, policy: SessionPolicy): Promise<NewSession> {
  const token = newSecret('hs_');
  const csrfToken = newSecret('csrf_');
  const id = newId();
  const expiresAt = now + policy.absoluteMs;
  await db.insert(sessions).values({ id, tokenHash: sha256(token), userId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt, revokedAt: null });
  return { id, token, csrfToken, expiresAt };
}

export async function revokeSession(db: DbOrTx, sessionId: string, now: number): Promise<void> {
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Ends every live session of a person but `keepSessionId` (the one that asked, if any). */
export async function revokeOtherSessions(db: DbOrTx, userId: string, keepSessionId: string | null, now: number): Promise<void> {
  const live = and(eq(sessions.userId, userId), isNull(sessions.revokedAt));
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(keepSessionId ? and(live, sql`${sessions.id} <> ${keepSessionId}`) : live);
}

/** Touching a credential at most this often keeps reads from turning into writes. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/**
 * Resolves a session or API token to its user. Sessions end after `idleMs` without use or
 * at their absolute expiry, whichever comes first; revoked or expired tokens and deactivated
 * users fail. The identity carries the credential's `scopes` (sessions: read and write) and its
 * `expiresAt` (null: none), which callers holding it for a while (caches, sockets) re-check.
 */
export async function resolveToken(db: DbOrTx, clock: Clock, token: string, policy: SessionPolicy): Promise<Auth | null> {
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
    return {
      user: row.user,
      via: 'session',
      sessionId: row.session.id,
      csrfToken: row.session.csrfToken,
      scopes: ALL_SCOPES,
      expiresAt: row.session.expiresAt,
    };
  }
  if (token.startsWith('ht_')) {
    const row = await db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, sha256(token)))
      .get();
    if (!row || row.token.revokedAt || row.user.deactivatedAt) return null;
    if (row.token.expiresAt !== null && now >= row.token.expiresAt) return null;
    if (!row.token.lastUsedAt || now - row.token.lastUsedAt > TOUCH_EVERY_MS) {
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
    }
    return {
      user: row.user,
      via: 'token',
      sessionId: null,
      csrfToken: null,
      scopes: parseScopes(row.token.scopes),
      expiresAt: row.token.expiresAt,
    };
  }
  return null;
}

// ---- API tokens -------------------------------------------------------------------------------

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(
  db: DbOrTx,
  userId: string,
  input: { name: string; scopes?: readonly Scope[] | undefined; expiresAt?: number | null | undefined },
  now: number,
): Promise<{ token: string; row: ApiTokenRow }> {
  const token = newSecret('ht_');
  // `write` always comes with `read`.
  const scopes = (input.scopes ?? ALL_SCOPES).includes('write') ? ('read,write' as const) : ('read' as const);
  const row: ApiTokenRow = {
    id: newId(),
    tokenHash: sha256(token),
    userId,
    name: input.name,
    scopes,
    createdAt: now,
    expiresAt: input.expiresAt ?? null,
    lastUsedAt: null,
    revokedAt: null,
  };
  await db.insert(apiTokens).values(row);
  return { token, row };
}

/** A person's tokens that were not revoked (expired ones included), newest first. */
export async function liveApiTokens(db: DbOrTx, userId: string): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt))
    .all();
}

export async function ownApiToken(db: DbOrTx, userId: string, tokenId: string): Promise<ApiTokenRow | null> {
  return (await db.select().from(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId))).get()) ?? null;
}

export async function markApiTokenRevoked(db: DbOrTx, tokenId: string, now: number): Promise<void> {
  await db.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)));
}
