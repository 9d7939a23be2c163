import type { UserRow } from './model.ts';

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

/**
 * Sign-up modes: `invite` (the default): the first person signs up freely and becomes the admin,
 * everyone after needs an invite; `open`: anyone who reaches the server (an invite, if given, sets
 * the role); `closed`: only the first person, then people are added with the CLI.
 * (Who may sign up is decided in policies/signup.ts.)
 */
export type SignupMode = 'open' | 'invite' | 'closed';
