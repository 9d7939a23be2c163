import type { IncomingHttpHeaders } from 'node:http';
import { parse } from 'hono/utils/cookie';
import type { Deps } from '../context.ts';
import type { SpaceRole, UserRow } from '../domain/model.ts';
import { docAccess } from '../policies/access.ts';
import { canWrite } from '../domain/identity.ts';
import { resolveToken } from '../domain/credentials.ts';
import { sha256 } from '../domain/ids.ts';
import { SESSION_COOKIE } from '../http/session-cookies.ts';

type AuthDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'cache'>;

/** Who is on the other end of a collaboration connection, and the secret that proves it. */
export interface CollabIdentity {
  user: UserRow;
  /** The API or session token (kept to re-check the connection when access changes). */
  credential: string;
  via: 'token' | 'cookie';
  /** False for a `read`-scoped API token: the connection is read-only whatever the space role. */
  writable: boolean;
  /** When the credential expires (ms since the epoch), or null. */
  expiresAt: number | null;
}

/** What a credential proves: its user, whether it may write, and until when. */
export interface CredentialAuth {
  user: UserRow;
  writable: boolean;
  expiresAt: number | null;
}

/**
 * Refusals carry only a reason the provider reports as `authenticationFailed`: `unauthorized` for
 * missing or bad credentials, `not-found` for a document that does not exist, is in the trash or
 * may not be read — the same answer, so a refusal never tells whether a document exists.
 */
export const Refused = {
  unauthorized: { reason: 'unauthorized' },
  notFound: { reason: 'not-found' },
} as const;

/**
 * Resolves a session or API token to its user, scopes and expiry (through the read cache, like the
 * HTTP middleware; an expired credential is refused even while the cache still holds it).
 */
export async function resolveCredential(deps: AuthDeps, credential: string): Promise<CredentialAuth | null> {
  const { db, clock, config, cache } = deps;
  const auth = await cache.authFor(sha256(credential), () => resolveToken(db, clock, credential, config.session));
  if (!auth) return null;
  const expiresAt = auth.expiresAt ?? null;
  if (expiresAt !== null && clock.now() >= expiresAt) return null;
  return { user: auth.user, writable: canWrite(auth), expiresAt };
}

/** Browsers attach cookies to cross-site WebSocket handshakes: a cookie only counts from our own origin. */
export function originAllowed(headers: IncomingHttpHeaders, publicUrl: string | undefined): boolean {
  const origin = headers.origin;
  if (!origin) return true; // not a browser: no ambient credentials to abuse
  let host: string;
  try {
    const url = new URL(origin);
    if (publicUrl && url.origin === new URL(publicUrl).origin) return true;
    host = url.host;
  } catch {
    return false;
  }
  return !!headers.host && host === headers.host;
}

/**
 * The caller of a collaboration connection: the token the provider sent, or else (browsers) the
 * session cookie of the WebSocket handshake, accepted only from our own origin.
 */
export async function identify(deps: AuthDeps, token: string, headers: IncomingHttpHeaders): Promise<CollabIdentity | null> {
  if (token) {
    const auth = await resolveCredential(deps, token);
    return auth ? { ...auth, credential: token, via: 'token' } : null;
  }
  const cookie = headers.cookie ? parse(headers.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
  if (!cookie || !originAllowed(headers, deps.config.publicUrl)) return null;
  const auth = await resolveCredential(deps, cookie);
  return auth ? { ...auth, credential: cookie, via: 'cookie' } : null;
}

/** The caller's role on a live (not trashed) document, or null when they may not read it. */
export async function collabAccess(deps: AuthDeps, user: UserRow, docId: string): Promise<{ role: SpaceRole; spaceId: string } | null> {
  const access = await docAccess(deps.db, user, docId);
  if (!access || access.role === null || access.doc.trashedAt) return null;
  return { role: access.role, spaceId: access.space.id };
}
