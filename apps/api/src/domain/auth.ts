import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, apiTokens, desc, eq, gt, invites, isNull, or, sessions, sql, users, type Db, type DbOrTx } from '@handoff/db';
import { newId, newSecret, sha256 } from './ids.ts';
import type { UserRow } from './model.ts';
import type { Clock } from './ports.ts';
import { badRequest, forbidden, conflict } from './errors.ts';

/** Who is calling, and what their credential allows. */
export interface Auth {
  user: UserRow;
  via: 'session' | 'token';
  sessionId: string | null;
  csrfToken: string | null;
  /** What the credential may do: sessions `read` + `write`; an API token maybe only `read` (see canWrite). */
  scopes: readonly Scope[];
  /** When the credential stops working (ms since the epoch), or null. */
  expiresAt: number | null;
}

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
// algorithm 2 is Argon2id (a const enum in the typings, so spelled as its value).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes and verifies passwords (argon2id; tests may count calls through `deps.passwords`). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(stored: string, password: string): Promise<boolean>;
}

export const argon2Passwords: PasswordHasher = {
  hash: (password) => hash(password, ARGON2),
  async verify(stored, password) {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  },
};

export const hashPassword = (password: string) => argon2Passwords.hash(password);
export const verifyPassword = (stored: string, password: string) => argon2Passwords.verify(stored, password);

/** Verified against when the email is unknown, so both paths take the same time. */
let dummyHash: Promise<string> | null = null;

/** What a credential may do: `read` (GET/HEAD only) or also `write`. Sessions have both. */
export type Scope = 'read' | 'write';
export const ALL_SCOPES: readonly Scope[] = ['read', 'write'];

/** `read,write` (or `read`) as stored → the scope list; `write` always comes with `read`. */
export function parseScopes(stored: string): Scope[] {
  return stored.split(',').includes('write') ? ['read', 'write'] : ['read'];
}

/**
 * Whether an authenticated identity may change anything: HTTP writes (non-GET/HEAD) and edits on
 * a collaboration socket need the `write` scope; a `read` token is read-only everywhere.
 */
export function canWrite(auth: { scopes: readonly Scope[] }): boolean {
  return auth.scopes.includes('write');
}

export interface NewUser {
  email: string;
  name: string;
  handle: string;
  password: string;
  timezone: string;
  role?: 'admin' | 'member';
  briefHour?: number;
}

/**
 * Inserts a user in one statement that also enforces the "first user" rule atomically:
 * - `onlyIfFirst`: the row is inserted only if the workspace has nobody yet (so of many concurrent
 *   first sign-ups exactly one succeeds);
 * - the role is `role` when given, else `admin` for the first person and `member` after.
 * Returns null when `onlyIfFirst` and someone exists already.
 */
async function insertUser(db: DbOrTx, row: Omit<UserRow, 'role' | 'deactivatedAt'>, opts: { role: 'admin' | 'member' | null; onlyIfFirst: boolean }) {
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

function newUserRow(input: Omit<NewUser, 'password' | 'role'>, passwordHash: string, now: number) {
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

/** Creates a user (CLI, demo seed). The very first user of a workspace becomes its admin. */
export async function createUser(db: Db, clock: Clock, input: NewUser, passwords: PasswordHasher = argon2Passwords): Promise<UserRow> {
  const passwordHash = await passwords.hash(input.password);
  return db.transaction(async (tx) => {
    const taken = await tx
      .select({ email: users.email, handle: users.handle })
      .from(users)
      .where(or(eq(users.email, input.email), eq(users.handle, input.handle)))
      .all();
    if (taken.some((t) => t.email === input.email)) throw conflict('An account with that email exists already.', { field: 'email' });
    if (taken.length) throw conflict('That handle is taken.', { field: 'handle' });
    const row = await insertUser(tx, newUserRow(input, passwordHash, clock.now()), { role: input.role ?? null, onlyIfFirst: false });
    return row!;
  });
}

/**
 * Sign-up modes: `invite` (the default): the first person signs up freely and becomes the admin,
 * everyone after needs an invite; `open`: anyone who reaches the server (an invite, if given, sets
 * the role); `closed`: only the first person, then people are added with the CLI.
 */
export type SignupMode = 'open' | 'invite' | 'closed';

/**
 * Every refused sign-up answers with this one error — a duplicate e-mail exactly like a missing,
 * used, expired or foreign invite — so the answer does not tell whether an address has an account.
 */
export const signupRefused = () =>
  forbidden(
    'This sign-up is not possible. You need a valid invite from a workspace admin (each works once, until it expires, and may be meant for one e-mail address). If you have an account already, log in.',
    'signup_refused',
  );

export interface SignupInput {
  email: string;
  name: string;
  handle: string;
  password: string;
  timezone: string;
  invite?: string | undefined;
}

const isUniqueViolation = (err: unknown) => /UNIQUE constraint failed/i.test(String((err as { message?: string })?.message ?? err));

/**
 * `POST /api/auth/signup`. The password is hashed first, on every path, so that how long a refusal
 * takes says nothing about why. Then, in one transaction: the invite (if any) is claimed, the
 * handle and e-mail are checked, and the user is inserted with the first-user rule enforced by the
 * INSERT itself; a refusal rolls the claim back, so a failed attempt does not use up the invite.
 * A taken handle is a 409 (handles are public to members); a taken e-mail is `signupRefused`.
 */
export async function signUp(deps: { db: Db; clock: Clock; passwords?: PasswordHasher | undefined }, input: SignupInput, mode: SignupMode): Promise<UserRow> {
  const passwords = deps.passwords ?? argon2Passwords;
  const passwordHash = await passwords.hash(input.password);
  const email = input.email.toLowerCase();
  try {
    return await deps.db.transaction(async (tx) => {
      const now = deps.clock.now();
      let inviteRow: typeof invites.$inferSelect | undefined;
      if (input.invite !== undefined) {
        if (mode === 'closed') throw signupRefused();
        inviteRow = await tx
          .update(invites)
          .set({ usedAt: now })
          .where(
            and(
              eq(invites.tokenHash, sha256(input.invite)),
              isNull(invites.usedAt),
              isNull(invites.revokedAt),
              gt(invites.expiresAt, now),
              or(isNull(invites.email), eq(invites.email, email)),
            ),
          )
          .returning()
          .get();
        if (!inviteRow) throw signupRefused();
      }
      const mayJoinOthers = mode === 'open' || inviteRow !== undefined;
      if (!mayJoinOthers && (await tx.select({ id: users.id }).from(users).limit(1).get())) throw signupRefused();
      const taken = await tx
        .select({ email: users.email, handle: users.handle })
        .from(users)
        .where(or(eq(users.email, email), eq(users.handle, input.handle)))
        .all();
      if (taken.some((t) => t.email === email)) throw signupRefused();
      if (taken.length) throw conflict('That handle is taken.', { field: 'handle' });
      const row = await insertUser(tx, newUserRow({ ...input, email }, passwordHash, now), {
        role: inviteRow?.role ?? null,
        onlyIfFirst: !mayJoinOthers,
      });
      if (!row) throw signupRefused();
      if (inviteRow) await tx.update(invites).set({ usedBy: row.id }).where(eq(invites.id, inviteRow.id));
      return row;
    });
  } catch (err) {
    // Another node inserted the same e-mail or handle between our check and our insert.
    if (isUniqueViolation(err)) throw signupRefused();
    throw err;
  }
}

export async function checkCredentials(db: Db, email: string, password: string, passwords: PasswordHasher = argon2Passwords): Promise<UserRow | null> {
  const user = await db.select().from(users).where(eq(users.email, email)).get();
  if (!user || user.deactivatedAt) {
    dummyHash ??= argon2Passwords.hash('not a real password, only for timing');
    await passwords.verify(await dummyHash, password);
    return null;
  }
  return (await passwords.verify(user.passwordHash, password)) ? user : null;
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
 * at their absolute expiry, whichever comes first; revoked or expired tokens and deactivated
 * users fail. The identity carries the credential's `scopes` (sessions: read and write) and its
 * `expiresAt` (null: none), which callers holding it for a while (caches, sockets) re-check.
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
    return {
      user: row.user,
      via: 'session' as const,
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
      via: 'token' as const,
      sessionId: null,
      csrfToken: null,
      scopes: parseScopes(row.token.scopes),
      expiresAt: row.token.expiresAt,
    };
  }
  return null;
}

export async function revokeSession(db: Db, clock: Clock, sessionId: string) {
  await db.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.id, sessionId));
}

/**
 * A password change ends every session of the user but the one that made it. API tokens stay:
 * they are separate credentials, listed in `GET /api/tokens` and revoked one by one there (or all
 * at once by deactivation). The caller rate-limits attempts before this verifies anything.
 */
export async function changePassword(
  db: Db,
  clock: Clock,
  user: UserRow,
  current: string,
  next: string,
  keepSessionId: string | null,
  passwords: PasswordHasher = argon2Passwords,
) {
  if (!(await passwords.verify(user.passwordHash, current))) {
    throw forbidden('The current password is not right.', 'wrong_password');
  }
  const passwordHash = await passwords.hash(next);
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
    const others = and(eq(sessions.userId, user.id), isNull(sessions.revokedAt));
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(keepSessionId ? and(others, sql`${sessions.id} <> ${keepSessionId}`) : others);
  });
}

export async function createApiToken(
  db: Db,
  clock: Clock,
  user: UserRow,
  input: { name: string; scopes?: readonly Scope[] | undefined; expiresAt?: number | null | undefined },
) {
  const now = clock.now();
  if (input.expiresAt != null && input.expiresAt <= now) throw badRequest('expiresAt must be in the future.', { fields: [{ path: 'expiresAt', message: 'must be in the future' }] });
  const token = newSecret('ht_');
  const scopes = (input.scopes ?? ALL_SCOPES).includes('write') ? ('read,write' as const) : ('read' as const);
  const row = {
    id: newId(),
    tokenHash: sha256(token),
    userId: user.id,
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

export async function revokeApiToken(db: Db, clock: Clock, user: UserRow, tokenId: string) {
  const row = await db.select().from(apiTokens).where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, user.id))).get();
  if (!row) return false;
  if (!row.revokedAt) await db.update(apiTokens).set({ revokedAt: clock.now() }).where(eq(apiTokens.id, tokenId));
  return true;
}

// ---- Invites ----------------------------------------------------------------------------------

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Creates a single-use invite; only its hash is stored, the token is in the returned URL once. */
export async function createInvite(db: Db, clock: Clock, by: UserRow, input: { email?: string | undefined; role: 'admin' | 'member' }) {
  const token = 'hi_' + randomBytes(32).toString('base64url');
  const now = clock.now();
  const row = {
    id: newId(),
    tokenHash: sha256(token),
    email: input.email?.toLowerCase() ?? null,
    role: input.role,
    createdBy: by.id,
    createdAt: now,
    expiresAt: now + INVITE_TTL_MS,
    usedAt: null,
    usedBy: null,
    revokedAt: null,
  };
  await db.insert(invites).values(row);
  return { token, row };
}

/** Invites not yet used or revoked (expired ones included, so admins see them lapse). */
export async function listOpenInvites(db: Db) {
  return db
    .select()
    .from(invites)
    .where(and(isNull(invites.usedAt), isNull(invites.revokedAt)))
    .orderBy(desc(invites.createdAt))
    .limit(200)
    .all();
}

export async function revokeInvite(db: Db, clock: Clock, inviteId: string) {
  const rows = await db
    .update(invites)
    .set({ revokedAt: clock.now() })
    .where(and(eq(invites.id, inviteId), isNull(invites.usedAt), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  return rows.length > 0;
}
