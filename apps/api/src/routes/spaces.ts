import { createRoute } from '@hono/zod-openapi';
import { and, asc, count, eq, memberships, outbox, spaces, users, watches, type DbOrTx } from '@handoff/db';
import {
  CreateSpaceRequestSchema,
  IdParamsSchema,
  MemberParamsSchema,
  MemberResponseSchema,
  MembersResponseSchema,
  PutMemberRequestSchema,
  SpaceResponseSchema,
  SpacesResponseSchema,
  UpdateSpaceRequestSchema,
  WatchStateSchema,
} from '@handoff/shared/schemas';
import type { SpaceRole } from '../domain/model.ts';
import { requireSpace, roleIn, selfServiceAllowed } from '../policies/access.ts';
import { newId } from '../domain/ids.ts';
import { forbidden, notFound, conflict } from '../domain/errors.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentSpace } from '../presenters/spaces.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const tags = ['spaces'];
const byId = { params: IdParamsSchema };

const createSpace = createRoute({
  method: 'post',
  path: '/api/spaces',
  tags,
  summary: 'Create a space; the creator becomes its admin.',
  request: jsonBody(CreateSpaceRequestSchema),
  responses: { 201: jsonContent(SpaceResponseSchema, 'The space.'), 400: errorResponses[400], 401: errorResponses[401] },
});
const listSpaces = createRoute({
  method: 'get',
  path: '/api/spaces',
  tags,
  summary: 'The spaces the caller can see, with the caller’s role in each.',
  responses: { 200: jsonContent(SpacesResponseSchema, 'Spaces.'), 401: errorResponses[401] },
});
const getSpace = createRoute({
  method: 'get',
  path: '/api/spaces/{id}',
  tags,
  summary: 'One space.',
  request: byId,
  responses: { 200: jsonContent(SpaceResponseSchema, 'The space.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const patchSpace = createRoute({
  method: 'patch',
  path: '/api/spaces/{id}',
  tags,
  summary: 'Rename a space (space admins).',
  request: { ...byId, ...jsonBody(UpdateSpaceRequestSchema) },
  responses: { 200: jsonContent(SpaceResponseSchema, 'The space.'), ...errorResponses },
});
const listMembers = createRoute({
  method: 'get',
  path: '/api/spaces/{id}/members',
  tags,
  summary: 'Explicit members of a space.',
  request: byId,
  responses: { 200: jsonContent(MembersResponseSchema, 'Members.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const putMember = createRoute({
  method: 'put',
  path: '/api/spaces/{id}/members/{userId}',
  tags,
  summary: 'Add a person to a space or change their role (space admins).',
  request: { params: MemberParamsSchema, ...jsonBody(PutMemberRequestSchema) },
  responses: { 200: jsonContent(MemberResponseSchema, 'The membership.'), ...errorResponses },
});
const deleteMember = createRoute({
  method: 'delete',
  path: '/api/spaces/{id}/members/{userId}',
  tags,
  summary:
    'Remove a person from a space (space admins), or leave it yourself: a viewer of an open space may not leave (it would make them an editor). The last admin may not leave (409). Takes effect on open sockets, search and briefs at once.',
  request: { params: MemberParamsSchema },
  responses: { ...noContent, ...errorResponses },
});
const watchSpace = createRoute({
  method: 'put',
  path: '/api/spaces/{id}/watch',
  tags,
  summary: 'Follow every document in the space.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});
const getSpaceWatch = createRoute({
  method: 'get',
  path: '/api/spaces/{id}/watch',
  tags,
  summary: 'Whether the caller follows the space.',
  request: byId,
  responses: { 200: jsonContent(WatchStateSchema, 'Watch state.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const unwatchSpace = createRoute({
  method: 'delete',
  path: '/api/spaces/{id}/watch',
  tags,
  summary: 'Stop following the space.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});

/**
 * A space keeps at least one explicit admin: the last one may not leave or step down (409) until
 * they have made someone else admin. (Workspace admins administer every space regardless.)
 */
async function assertNotLastAdmin(tx: DbOrTx, spaceId: string, userId: string) {
  const current = await tx.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.spaceId, spaceId), eq(memberships.userId, userId))).get();
  if (current?.role !== 'admin') return;
  const admins = await tx.select({ n: count() }).from(memberships).where(and(eq(memberships.spaceId, spaceId), eq(memberships.role, 'admin'))).get();
  if ((admins?.n ?? 0) <= 1) {
    throw conflict('This is the last admin of the space; make someone else admin first.', undefined, 'last_admin');
  }
}

const raisesOwnRole = () => forbidden('You cannot change your own membership in a way that gives you more rights than you have.');

async function membershipChanged(db: DbOrTx, spaceId: string, userId: string, role: string | null, now: number) {
  await db.insert(outbox).values({ topic: 'space.membership', spaceId, payload: JSON.stringify({ userId, role }), createdAt: now });
}

export const spaceRoutes = router()
  .openapi(createSpace, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const body = c.req.valid('json');
    const now = clock.now();
    const space = { id: newId(), name: body.name, private: body.private ?? false, createdBy: user.id, createdAt: now, updatedAt: now };
    await db.transaction(async (tx) => {
      await tx.insert(spaces).values(space);
      await tx.insert(memberships).values({ spaceId: space.id, userId: user.id, role: 'admin', createdAt: now });
      await membershipChanged(tx, space.id, user.id, 'admin', now);
    });
    return c.json({ space: presentSpace(space, 'admin') }, 201);
  })
  .openapi(listSpaces, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const rows = await db
      .select({ space: spaces, role: memberships.role })
      .from(spaces)
      .leftJoin(memberships, and(eq(memberships.spaceId, spaces.id), eq(memberships.userId, user.id)))
      .orderBy(asc(spaces.name))
      .all();
    const visible = rows
      .map((r) => ({ space: r.space, role: roleIn(user, r.space, r.role ?? null) }))
      .filter((r) => r.role !== null)
      .map((r) => presentSpace(r.space, r.role));
    return c.json({ spaces: visible }, 200);
  })
  .openapi(getSpace, async (c) => {
    const { user } = requireAuth(c);
    const { space, role } = await requireSpace(c.get('deps').db, user, c.req.valid('param').id, 'viewer');
    return c.json({ space: presentSpace(space, role) }, 200);
  })
  .openapi(patchSpace, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const { space, role } = await requireSpace(db, user, c.req.valid('param').id, 'admin');
    const body = c.req.valid('json');
    const [updated] = await db
      .update(spaces)
      .set({ ...(body.name !== undefined ? { name: body.name } : {}), ...(body.private !== undefined ? { private: body.private } : {}), updatedAt: clock.now() })
      .where(eq(spaces.id, space.id))
      .returning();
    c.get('deps').events.publish([{ topic: 'space.changed', spaceId: space.id, actor: user.id }]);
    return c.json({ space: presentSpace(updated!, role) }, 200);
  })
  .openapi(listMembers, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { space } = await requireSpace(db, user, c.req.valid('param').id, 'viewer');
    const rows = await db.select().from(memberships).where(eq(memberships.spaceId, space.id)).orderBy(asc(memberships.createdAt)).all();
    return c.json({ members: rows.map((m) => ({ userId: m.userId, role: m.role })) }, 200);
  })
  .openapi(putMember, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const { id, userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const { space, role: callerRole } = await requireSpace(db, user, id, 'admin');
    if (userId === user.id && !selfServiceAllowed(callerRole, roleIn(user, space, role))) throw raisesOwnRole();
    const target = await db.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
    if (!target) throw notFound('User');
    const now = clock.now();
    await db.transaction(async (tx) => {
      if (role !== 'admin') await assertNotLastAdmin(tx, space.id, userId);
      await tx
        .insert(memberships)
        .values({ spaceId: space.id, userId, role, createdAt: now })
        .onConflictDoUpdate({ target: [memberships.spaceId, memberships.userId], set: { role } });
      await membershipChanged(tx, space.id, userId, role, now);
    });
    c.get('deps').events.publish([{ topic: 'space.membership', spaceId: space.id, userId, role }]);
    return c.json({ member: { userId, role } }, 200);
  })
  .openapi(deleteMember, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const { id, userId } = c.req.valid('param');
    const self = userId === user.id;
    const { space, role: callerRole } = await requireSpace(db, user, id, self ? 'viewer' : 'admin');
    // Leaving falls back to the space's default for you; it may not be more than you have now.
    if (self && !selfServiceAllowed(callerRole, roleIn(user, space, null as SpaceRole | null))) throw raisesOwnRole();
    const now = clock.now();
    const removed = await db.transaction(async (tx) => {
      await assertNotLastAdmin(tx, space.id, userId);
      const rows = await tx
        .delete(memberships)
        .where(and(eq(memberships.spaceId, space.id), eq(memberships.userId, userId)))
        .returning();
      if (rows.length) await membershipChanged(tx, space.id, userId, null, now);
      return rows.length;
    });
    c.get('deps').events.publish([{ topic: 'space.membership', spaceId: space.id, userId, role: null }]);
    if (!removed) throw notFound('Membership');
    return c.body(null, 204);
  })
  .openapi(watchSpace, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const { space } = await requireSpace(db, user, c.req.valid('param').id, 'viewer');
    await db.insert(watches).values({ userId: user.id, targetType: 'space', targetId: space.id, createdAt: clock.now() }).onConflictDoNothing();
    return c.body(null, 204);
  })
  .openapi(getSpaceWatch, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { space } = await requireSpace(db, user, c.req.valid('param').id, 'viewer');
    const row = await db.select().from(watches).where(and(eq(watches.userId, user.id), eq(watches.targetType, 'space'), eq(watches.targetId, space.id))).get();
    return c.json({ watching: !!row, viaSpace: !!row }, 200);
  })
  .openapi(unwatchSpace, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { space } = await requireSpace(db, user, c.req.valid('param').id, 'viewer');
    await db.delete(watches).where(and(eq(watches.userId, user.id), eq(watches.targetType, 'space'), eq(watches.targetId, space.id)));
    return c.body(null, 204);
  });
