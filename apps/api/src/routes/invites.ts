import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CreateInviteRequestSchema,
  CreateInviteResponseSchema,
  IdParamsSchema,
  InvitesResponseSchema,
} from '@handoff/shared/schemas';
import { createInvite, listOpenInvites, revokeInvite } from '../domain/auth.ts';
import type { UserRow } from '../domain/model.ts';
import { forbidden, notFound } from '../domain/errors.ts';
import { requireAuth } from '../middleware/auth.ts';
import { iso } from '../presenters/time.ts';
import type { AppEnv } from '../context.ts';
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

function requireWorkspaceAdmin(c: Context<AppEnv>): UserRow {
  const { user } = requireAuth(c);
  if (user.role !== 'admin') throw forbidden('Only workspace admins manage invites.');
  return user;
}

/** Where the invitee signs up: the public URL when configured, else the origin this request came to. */
function inviteUrl(c: Context<AppEnv>, token: string) {
  let base = c.get('deps').config.publicUrl ?? new URL(c.req.url).origin;
  while (base.endsWith('/')) base = base.slice(0, -1);
  return `${base}/signup?invite=${encodeURIComponent(token)}`;
}

export const inviteRoutes = router()
  .openapi(postInvite, async (c) => {
    const user = requireWorkspaceAdmin(c);
    const { db, clock, config } = c.get('deps');
    if (config.signup === 'closed') {
      throw forbidden('Sign-up is closed on this workspace (HANDOFF_SIGNUP=closed); add people with `npx handoff create-user`.', 'signup_closed');
    }
    const { token, row } = await createInvite(db, clock, user, c.req.valid('json'));
    return c.json({ invite: { id: row.id, url: inviteUrl(c, token), expiresAt: iso(row.expiresAt), email: row.email, role: row.role } }, 201);
  })
  .openapi(getInvites, async (c) => {
    requireWorkspaceAdmin(c);
    const rows = await listOpenInvites(c.get('deps').db);
    return c.json(
      {
        invites: rows.map((r) => ({ id: r.id, email: r.email, role: r.role, createdBy: r.createdBy, createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt) })),
      },
      200,
    );
  })
  .openapi(deleteInvite, async (c) => {
    requireWorkspaceAdmin(c);
    const { db, clock } = c.get('deps');
    if (!(await revokeInvite(db, clock, c.req.valid('param').id))) throw notFound('Invite');
    return c.body(null, 204);
  });
