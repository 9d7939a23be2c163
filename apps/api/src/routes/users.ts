import { createRoute } from '@hono/zod-openapi';
import {
  ChangePasswordRequestSchema,
  CreateTokenRequestSchema,
  CreateTokenResponseSchema,
  ErrorSchema,
  IdParamsSchema,
  MeResponseSchema,
  TokensResponseSchema,
  UpdateMeRequestSchema,
  UsersResponseSchema,
} from '@handoff/shared/schemas';
import { changePassword } from '../commands/change-password.ts';
import { createToken } from '../commands/create-token.ts';
import { listTokens } from '../commands/list-tokens.ts';
import { listUsers } from '../commands/list-users.ts';
import { revokeToken } from '../commands/revoke-token.ts';
import { updateProfile } from '../commands/update-profile.ts';
import { authorizeCredential } from '../policies/can.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentPublicUser, presentToken, presentUser } from '../presenters/users.ts';
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
  summary:
    'Change your name, time zone, brief hour, working days and hours, leave (awayUntil) or delivery channels. Working hours must start before they end (400); a webhook URL must pass the SSRF guard (422 webhook_url_refused) and gets a new signing secret (see GET /api/me/delivery).',
  request: jsonBody(UpdateMeRequestSchema),
  responses: {
    200: jsonContent(MeResponseSchema, 'The updated caller.'),
    400: errorResponses[400],
    401: errorResponses[401],
    422: jsonContent(ErrorSchema, 'The webhook URL was refused (`webhook_url_refused`, with the reason).'),
  },
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

const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/users',
  tags: ['people'],
  summary: 'Everyone in the workspace.',
  responses: { 200: jsonContent(UsersResponseSchema, 'People.'), 401: errorResponses[401] },
});

const listTokensRoute = createRoute({
  method: 'get',
  path: '/api/tokens',
  tags: ['people'],
  summary: 'Your API tokens (not the secrets).',
  responses: { 200: jsonContent(TokensResponseSchema, 'Tokens.'), 401: errorResponses[401] },
});

const createTokenRoute = createRoute({
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

export const userRoutes = router()
  .openapi(getMe, (c) => c.json({ user: presentUser(requireAuth(c).user) }, 200))
  .openapi(patchMe, async (c) => {
    const { user } = requireAuth(c);
    const updated = await updateProfile(c.get('deps'), user.id, c.req.valid('json'));
    return c.json({ user: presentUser(updated) }, 200);
  })
  .openapi(changeMyPassword, async (c) => {
    const auth = requireAuth(c);
    await changePassword(c.get('deps'), auth, c.req.valid('json'));
    return c.body(null, 204);
  })
  .openapi(listUsersRoute, async (c) => {
    requireAuth(c);
    return c.json({ users: (await listUsers(c.get('deps'))).map(presentPublicUser) }, 200);
  })
  .openapi(listTokensRoute, async (c) => {
    const { user } = requireAuth(c);
    return c.json({ tokens: (await listTokens(c.get('deps'), user.id)).map(presentToken) }, 200);
  })
  .openapi(createTokenRoute, async (c) => {
    const auth = requireAuth(c);
    authorizeCredential(auth, 'mint-tokens');
    const body = c.req.valid('json');
    const { token, row } = await createToken(c.get('deps'), auth.user.id, {
      name: body.name,
      scopes: body.scopes,
      expiresAt: body.expiresAt ? Date.parse(body.expiresAt) : null,
    });
    return c.json({ apiToken: presentToken(row), token }, 201);
  })
  .openapi(deleteToken, async (c) => {
    const { user } = requireAuth(c);
    await revokeToken(c.get('deps'), user.id, c.req.valid('param').id);
    return c.body(null, 204);
  });
