import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { unauthorized, forbidden } from '../domain/errors.ts';
import { resolveToken } from '../domain/credentials.ts';
import { authorizeCredential } from '../policies/can.ts';
import { sha256 } from '../domain/ids.ts';
import type { AppEnv, Auth } from '../context.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../http/session-cookies.ts';

export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../http/session-cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves `Authorization: Bearer <token>` (session or API token) or the session cookie to a user.
 * Cookie-authenticated writes must echo the session's CSRF token in `X-CSRF-Token` (the web app
 * reads it from the `handoff_csrf` cookie); a cross-site page can send the cookie but not the header.
 * Bearer requests need no CSRF check: browsers never attach them on their own.
 * A credential without the `write` scope (a `read` API token) gets 403 on every request but
 * GET/HEAD/OPTIONS; one past its `expiresAt` is refused even if a cache still holds it.
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
    const { db, clock, config, cache } = c.get('deps');
    const resolve = (token: string) => cache.authFor(sha256(token), () => resolveToken(db, clock, token, config.session));
    const header = c.req.header('authorization');
    let auth: Auth | null = null;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthorized('The Authorization header must be "Bearer <token>".');
      auth = await resolve(match[1]!);
      if (!auth || (auth.expiresAt !== null && clock.now() >= auth.expiresAt)) {
        throw unauthorized('The token is not valid (expired, revoked or unknown).');
      }
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      if (cookie) {
        auth = await resolve(cookie);
        if (auth && auth.expiresAt !== null && clock.now() >= auth.expiresAt) auth = null;
        if (auth && !SAFE_METHODS.has(c.req.method)) {
          const sent = c.req.header(CSRF_HEADER);
          if (!sent || sent !== auth.csrfToken) {
            throw forbidden('Missing or wrong X-CSRF-Token header for a cookie-authenticated write.', 'csrf_failed');
          }
        }
      }
    }
    if (auth && !SAFE_METHODS.has(c.req.method)) authorizeCredential(auth, 'write');
    c.set('auth', auth);
    await next();
  };
}

/** The signed-in caller, or a 401. */
export function requireAuth(c: Context<AppEnv>): Auth {
  const auth = c.get('auth');
  if (!auth) throw unauthorized();
  return auth;
}
