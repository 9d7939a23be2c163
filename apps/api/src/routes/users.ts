import { createRoute } from '@hono/zod-openapi';
import { and, apiTokens, asc, desc, eq, isNull, users } from '@handoff/db';
import {
  ChangePasswordRequestSchema,
  CreateTokenRequestSchema,
  CreateTokenResponseSchema,
  IdParamsSchema,
  MeResponseSchema,
  TokensResponseSchema,
  UpdateMeRequestSchema,
  UsersResponseSchema,
} from '@handoff/shared/schemas';
import { changePassword, createApiToken, parseScopes, revokeApiToken } from '../domain/auth.ts';
import { notFound } from '../domain/errors.ts';
import { requireAuth, requireSession } from '../middleware/auth.ts';
import { iso, isoOrNull } from '../presenters/time.ts';
import { presentPublicUser, presentUser } from '../presenters/users.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const getMe = createRoute({
  method: 'get',
  path: '/api/me',
  tags: ['people'],
  summary: 'The caller.',
  responses: { 200: jsonContent(MeResponseSchema, 'The caller.'), 401: errorResponses[401] },
});

const patchMe = createRoute({
  method: 'patch',
  path: '/api/me',
  tags: ['people'],
  summary: 'Change your name, time zone or brief hour.',
  request: jsonBody(UpdateMeRequestSchema),
  responses: { 200: jsonContent(MeResponseSchema, 'The updated caller.'), 400: errorResponses[400], 401: errorResponses[401] },
});

const changeMyPassword = createRoute({
  method: 'post',
  path: '/api/me/password',
  tags: ['people'],
  summary:
    'Change your password; every other session of yours ends (API tokens stay: revoke them in /api/tokens). Attempts are rate limited per user, counted before the current password is checked.',
  request: jsonBody(ChangePasswordRequestSchema),
  responses: {
    ...noContent,
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
    429: { description: 'Too many attempts; see Retry-After.' },
  },
});

const listUsers = createRoute({
  method: 'get',
  path: '/api/users',
  tags: ['people'],
  summary: 'Everyone in the workspace.',
  responses: { 200: jsonContent(UsersResponseSchema, 'People.'), 401: errorResponses[401] },
});

const listTokens = createRoute({
  method: 'get',
  path: '/api/tokens',
  tags: ['people'],
  summary: 'Your API tokens (not the secrets).',
  responses: { 200: jsonContent(TokensResponseSchema, 'Tokens.'), 401: errorResponses[401] },
});

const createToken = createRoute({
  method: 'post',
  path: '/api/tokens',
  tags: ['people'],
  summary: 'Create an API token for scripts and the CLI (only with a log-in session, never with another token); the secret is shown once.',
  request: jsonBody(CreateTokenRequestSchema),
  responses: {
    201: jsonContent(CreateTokenResponseSchema, 'The token.'),
    400: errorResponses[400],
    401: errorResponses[401],
    403: errorResponses[403],
  },
});

const deleteToken = createRoute({
  method: 'delete',
  path: '/api/tokens/{id}',
  tags: ['people'],
  summary: 'Revoke one of your API tokens.',
  request: { params: IdParamsSchema },
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});

const presentToken = (t: typeof apiTokens.$inferSelect) => ({
  id: t.id,
  name: t.name,
  scopes: parseScopes(t.scopes),
  createdAt: iso(t.createdAt),
  expiresAt: isoOrNull(t.expiresAt),
  lastUsedAt: isoOrNull(t.lastUsedAt),
});

export const userRoutes = router()
  .openapi(getMe, (c) => c.json({ user: presentUser(requireAuth(c).user) }, 200))
  .openapi(patchMe, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const body = c.req.valid('json');
    const [updated] = await db
      .update(users)
      .set({ ...body, updatedAt: clock.now() })
      .where(eq(users.id, user.id))
      .returning();
    c.get('deps').events.publish([{ topic: 'user.access', userId: user.id, reason: 'profile' }]);
    return c.json({ user: presentUser(updated!) }, 200);
  })
  .openapi(changeMyPassword, async (c) => {
    const auth = requireAuth(c);
    const { db, clock, authLimiter, passwords } = c.get('deps');
    const { currentPassword, newPassword } = c.req.valid('json');
    await authLimiter.beforePasswordChange(auth.user.id);
    await changePassword(db, clock, auth.user, currentPassword, newPassword, auth.sessionId, passwords);
    await authLimiter.passwordChangeSucceeded(auth.user.id);
    c.get('deps').events.publish([{ topic: 'user.access', userId: auth.user.id, reason: 'password' }]);
    return c.body(null, 204);
  })
  .openapi(listUsers, async (c) => {
    requireAuth(c);
    const { db } = c.get('deps');
    const rows = await db.select().from(users).where(isNull(users.deactivatedAt)).orderBy(asc(users.name)).all();
    return c.json({ users: rows.map(presentPublicUser) }, 200);
  })
  .openapi(listTokens, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const rows = await db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt)))
      .orderBy(desc(apiTokens.createdAt))
      .all();
    return c.json({ tokens: rows.map(presentToken) }, 200);
  })
  .openapi(createToken, async (c) => {
    // Tokens are minted only from a log-in session: a leaked token cannot breed more (or wider) ones.
    const { user } = requireSession(c);
    const { db, clock } = c.get('deps');
    const body = c.req.valid('json');
    const { token, row } = await createApiToken(db, clock, user, {
      name: body.name,
      scopes: body.scopes,
      expiresAt: body.expiresAt ? Date.parse(body.expiresAt) : null,
    });
    return c.json({ apiToken: presentToken(row), token }, 201);
  })
  .openapi(deleteToken, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    if (!(await revokeApiToken(db, clock, user, c.req.valid('param').id))) throw notFound('Token');
    c.get('deps').events.publish([{ topic: 'user.access', userId: user.id, reason: 'token' }]);
    return c.body(null, 204);
  });

