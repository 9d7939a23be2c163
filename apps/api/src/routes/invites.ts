import { createRoute } from '@hono/zod-openapi';
import {
  CreateInviteRequestSchema,
  CreateInviteResponseSchema,
  IdParamsSchema,
  InvitesResponseSchema,
} from '@handoff/shared/schemas';
import { createInvite } from '../commands/create-invite.ts';
import { listInvites } from '../commands/list-invites.ts';
import { revokeInvite } from '../commands/revoke-invite.ts';
import { authorizeWorkspace } from '../policies/can.ts';
import { authorizeInviting } from '../policies/signup.ts';
import { requireAuth } from '../middleware/auth.ts';
import { inviteUrl, presentInvite, presentNewInvite } from '../presenters/invites.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const tags = ['people'];

const postInvite = createRoute({
  method: 'post',
  path: '/api/invites',
  tags,
  summary: 'Invite one person (workspace admins): a single-use sign-up URL, valid for 7 days, optionally for one e-mail.',
  request: jsonBody(CreateInviteRequestSchema),
  responses: { 201: jsonContent(CreateInviteResponseSchema, 'The invite, with its URL (shown only now).'), ...errorResponses },
});

const getInvites = createRoute({
  method: 'get',
  path: '/api/invites',
  tags,
  summary: 'Invites not yet used or revoked (workspace admins).',
  responses: { 200: jsonContent(InvitesResponseSchema, 'Invites.'), 401: errorResponses[401], 403: errorResponses[403] },
});

const deleteInvite = createRoute({
  method: 'delete',
  path: '/api/invites/{id}',
  tags,
  summary: 'Revoke an invite that was not used yet (workspace admins).',
  request: { params: IdParamsSchema },
  responses: { ...noContent, 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
});

export const inviteRoutes = router()
  .openapi(postInvite, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    authorizeInviting(user, deps.config.signup);
    const { token, row } = await createInvite(deps, user.id, c.req.valid('json'));
    // The public URL when configured, else the origin this request came to.
    const url = inviteUrl(deps.config.publicUrl ?? new URL(c.req.url).origin, token);
    return c.json({ invite: presentNewInvite(row, url) }, 201);
  })
  .openapi(getInvites, async (c) => {
    authorizeWorkspace(requireAuth(c).user, 'manage-invites');
    return c.json({ invites: (await listInvites(c.get('deps'))).map(presentInvite) }, 200);
  })
  .openapi(deleteInvite, async (c) => {
    authorizeWorkspace(requireAuth(c).user, 'manage-invites');
    await revokeInvite(c.get('deps'), c.req.valid('param').id);
    return c.body(null, 204);
  });
