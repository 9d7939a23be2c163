import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { AuthResponseSchema, ErrorSchema, LoginRequestSchema, SignupRequestSchema } from '@handoff/shared/schemas';
import { logIn } from '../commands/log-in.ts';
import { logOut } from '../commands/log-out.ts';
import { signUp } from '../commands/sign-up.ts';
import { presentUser } from '../presenters/users.ts';
import { requireAuth } from '../middleware/auth.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/session-cookies.ts';
import { clientIp, secureCookies } from '../http/client-info.ts';
import type { AppEnv } from '../context.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

function setSessionCookies(c: Context<AppEnv>, session: { token: string; csrfToken: string; expiresAt: number }) {
  const { clock } = c.get('deps');
  const maxAge = Math.floor((session.expiresAt - clock.now()) / 1000);
  const common = { path: '/', sameSite: 'Lax' as const, secure: secureCookies(c), maxAge };
  setCookie(c, SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  setCookie(c, CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

const signup = createRoute({
  method: 'post',
  path: '/api/auth/signup',
  tags: ['auth'],
  summary:
    'Create an account and log in. The first one becomes the workspace admin; after it, an invite is needed unless sign-up is open. Rate limited per client address.',
  request: jsonBody(SignupRequestSchema),
  responses: {
    201: jsonContent(AuthResponseSchema, 'The new user and a session token (also set as a cookie).'),
    400: errorResponses[400],
    403: jsonContent(ErrorSchema, '`signup_refused`: no valid invite, or the e-mail cannot be used (one answer for both).'),
    409: jsonContent(ErrorSchema, 'Handle taken.'),
    429: { description: 'Too many sign-up attempts from this address; see Retry-After.' },
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
    429: { description: 'Too many attempts (counted before the password is checked); see Retry-After.' },
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
    const { user, session } = await signUp(c.get('deps'), c.req.valid('json'), clientIp(c));
    setSessionCookies(c, session);
    return c.json({ user: presentUser(user), token: session.token }, 201);
  })
  .openapi(login, async (c) => {
    const { user, session } = await logIn(c.get('deps'), c.req.valid('json'), clientIp(c));
    setSessionCookies(c, session);
    return c.json({ user: presentUser(user), token: session.token }, 200);
  })
  .openapi(logout, async (c) => {
    await logOut(c.get('deps'), requireAuth(c));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
