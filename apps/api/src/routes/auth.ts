import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { count, users } from '@handoff/db';
import { AuthResponseSchema, ErrorSchema, LoginRequestSchema, SignupRequestSchema } from '@handoff/shared/schemas';
import { assertSignupOpen, checkCredentials, createUser, revokeSession, startSession } from '../domain/auth.ts';
import { ApiError, unauthorized } from '../errors.ts';
import { presentUser } from '../presenters.ts';
import { CSRF_COOKIE, SESSION_COOKIE, requireAuth } from '../middleware/auth.ts';
import type { AppEnv } from '../context.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function setSessionCookies(c: Context<AppEnv>, session: { token: string; csrfToken: string; expiresAt: number }) {
  const { config, clock } = c.get('deps');
  const maxAge = Math.floor((session.expiresAt - clock.now()) / 1000);
  const common = { path: '/', sameSite: 'Lax' as const, secure: config.secureCookies, maxAge };
  setCookie(c, SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  setCookie(c, CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

const signup = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  tags: ['auth'],
  summary: 'Create an account (the first one becomes the workspace admin) and log in.',
  request: jsonBody(SignupRequestSchema),
  responses: {
    201: jsonContent(AuthResponseSchema, 'The new user and a session token (also set as a cookie).'),
    400: errorResponses[400],
    403: errorResponses[403],
    409: jsonContent(ErrorSchema, 'Email or handle taken.'),
  },
});

const login = createRoute({
  method: 'post',
  path: '/api/auth/login',
  tags: ['auth'],
  summary: 'Log in with email and password.',
  request: jsonBody(LoginRequestSchema),
  responses: {
    200: jsonContent(AuthResponseSchema, 'The user and a session token (also set as a cookie).'),
    400: errorResponses[400],
    401: errorResponses[401],
    429: { description: 'Too many failed attempts; see Retry-After.' },
  },
});

const logout = createRoute({
  method: 'post',
  path: '/api/auth/logout',
  tags: ['auth'],
  summary: 'End the current session.',
  responses: { ...noContent, 401: errorResponses[401] },
});

export const authRoutes = router()
  .openapi(signup, async (c) => {
    const { db, clock, config } = c.get('deps');
    const body = c.req.valid('json');
    const existing = await db.select({ n: count() }).from(users).get();
    assertSignupOpen(config.signup, existing?.n ?? 0);
    const user = await createUser(db, clock, body);
    const session = await startSession(db, clock, user.id, config.session);
    setSessionCookies(c, session);
    return c.json({ user: presentUser(user), token: session.token }, 201);
  })
  .openapi(login, async (c) => {
    const { db, clock, config, loginLimiter } = c.get('deps');
    const { email, password } = c.req.valid('json');
    const ip = clientIp(c);
    const wait = await loginLimiter.blockedFor(email, ip);
    if (wait > 0) {
      throw new ApiError(429, 'rate_limited', `Too many failed log-ins. Try again in ${wait} seconds.`, { retryAfter: wait }, { 'Retry-After': String(wait) });
    }
    const user = await checkCredentials(db, email, password);
    if (!user) {
      await loginLimiter.failed(email, ip);
      throw unauthorized('Wrong email or password.');
    }
    await loginLimiter.succeeded(email, ip);
    const session = await startSession(db, clock, user.id, config.session);
    setSessionCookies(c, session);
    return c.json({ user: presentUser(user), token: session.token }, 200);
  })
  .openapi(logout, async (c) => {
    const auth = requireAuth(c);
    const { db, clock, cache } = c.get('deps');
    if (auth.sessionId) await revokeSession(db, clock, auth.sessionId);
    cache.forgetUser(auth.user.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
