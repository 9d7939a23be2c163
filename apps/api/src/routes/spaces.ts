import { createRoute } from '@hono/zod-openapi';
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
import { createSpace } from '../commands/create-space.ts';
import { getSpace } from '../commands/get-space.ts';
import { getSpaceWatch } from '../commands/get-space-watch.ts';
import { listMembers } from '../commands/list-members.ts';
import { listSpaces } from '../commands/list-spaces.ts';
import { putMember } from '../commands/put-member.ts';
import { removeMember } from '../commands/remove-member.ts';
import { unwatchSpace } from '../commands/unwatch-space.ts';
import { updateSpace } from '../commands/update-space.ts';
import { watchSpace } from '../commands/watch-space.ts';
import { requireSpace } from '../policies/access.ts';
import { authorizeMembershipChange } from '../policies/memberships.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentMember, presentSpace } from '../presenters/spaces.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const tags = ['spaces'];
const byId = { params: IdParamsSchema };

const createSpaceRoute = createRoute({
  method: 'post',
  path: '/api/spaces',
  tags,
  summary: 'Create a space; the creator becomes its admin.',
  request: jsonBody(CreateSpaceRequestSchema),
  responses: { 201: jsonContent(SpaceResponseSchema, 'The space.'), 400: errorResponses[400], 401: errorResponses[401] },
});
const listSpacesRoute = createRoute({
  method: 'get',
  path: '/api/spaces',
  tags,
  summary: 'The spaces the caller can see, with the caller’s role in each.',
  responses: { 200: jsonContent(SpacesResponseSchema, 'Spaces.'), 401: errorResponses[401] },
});
const getSpaceRoute = createRoute({
  method: 'get',
  path: '/api/spaces/{id}',
  tags,
  summary: 'One space.',
  request: byId,
  responses: { 200: jsonContent(SpaceResponseSchema, 'The space.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const patchSpaceRoute = createRoute({
  method: 'patch',
  path: '/api/spaces/{id}',
  tags,
  summary: 'Rename a space (space admins).',
  request: { ...byId, ...jsonBody(UpdateSpaceRequestSchema) },
  responses: { 200: jsonContent(SpaceResponseSchema, 'The space.'), ...errorResponses },
});
const listMembersRoute = createRoute({
  method: 'get',
  path: '/api/spaces/{id}/members',
  tags,
  summary: 'Explicit members of a space.',
  request: byId,
  responses: { 200: jsonContent(MembersResponseSchema, 'Members.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const putMemberRoute = createRoute({
  method: 'put',
  path: '/api/spaces/{id}/members/{userId}',
  tags,
  summary: 'Add a person to a space or change their role (space admins).',
  request: { params: MemberParamsSchema, ...jsonBody(PutMemberRequestSchema) },
  responses: { 200: jsonContent(MemberResponseSchema, 'The membership.'), ...errorResponses },
});
const deleteMemberRoute = createRoute({
  method: 'delete',
  path: '/api/spaces/{id}/members/{userId}',
  tags,
  summary:
    'Remove a person from a space (space admins), or leave it yourself: a viewer of an open space may not leave (it would make them an editor). The last admin may not leave (409). Takes effect on open sockets, search and briefs at once.',
  request: { params: MemberParamsSchema },
  responses: { ...noContent, ...errorResponses },
});
const watchSpaceRoute = createRoute({
  method: 'put',
  path: '/api/spaces/{id}/watch',
  tags,
  summary: 'Follow every document in the space.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});
const getSpaceWatchRoute = createRoute({
  method: 'get',
  path: '/api/spaces/{id}/watch',
  tags,
  summary: 'Whether the caller follows the space.',
  request: byId,
  responses: { 200: jsonContent(WatchStateSchema, 'Watch state.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const unwatchSpaceRoute = createRoute({
  method: 'delete',
  path: '/api/spaces/{id}/watch',
  tags,
  summary: 'Stop following the space.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});

export const spaceRoutes = router()
  .openapi(createSpaceRoute, async (c) => {
    const { user } = requireAuth(c);
    const space = await createSpace(c.get('deps'), user, c.req.valid('json'));
    return c.json({ space: presentSpace(space, 'admin') }, 201);
  })
  .openapi(listSpacesRoute, async (c) => {
    const { user } = requireAuth(c);
    const visible = await listSpaces(c.get('deps'), user);
    return c.json({ spaces: visible.map((v) => presentSpace(v.space, v.role)) }, 200);
  })
  .openapi(getSpaceRoute, async (c) => {
    const { user } = requireAuth(c);
    const { space, role } = await getSpace(c.get('deps'), user, c.req.valid('param').id);
    return c.json({ space: presentSpace(space, role) }, 200);
  })
  .openapi(patchSpaceRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { space, role } = await requireSpace(deps.db, user, c.req.valid('param').id, 'admin');
    const updated = await updateSpace(deps, user, space.id, c.req.valid('json'));
    return c.json({ space: presentSpace(updated, role) }, 200);
  })
  .openapi(listMembersRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { space } = await requireSpace(deps.db, user, c.req.valid('param').id, 'viewer');
    return c.json({ members: (await listMembers(deps, space.id)).map(presentMember) }, 200);
  })
  .openapi(putMemberRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { id, userId } = c.req.valid('param');
    const { role } = c.req.valid('json');
    const { space } = await authorizeMembershipChange(deps.db, user, id, userId, role);
    return c.json({ member: presentMember(await putMember(deps, space.id, userId, role)) }, 200);
  })
  .openapi(deleteMemberRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { id, userId } = c.req.valid('param');
    const { space } = await authorizeMembershipChange(deps.db, user, id, userId, null);
    await removeMember(deps, space.id, userId);
    return c.body(null, 204);
  })
  .openapi(watchSpaceRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { space } = await requireSpace(deps.db, user, c.req.valid('param').id, 'viewer');
    await watchSpace(deps, user.id, space.id);
    return c.body(null, 204);
  })
  .openapi(getSpaceWatchRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { space } = await requireSpace(deps.db, user, c.req.valid('param').id, 'viewer');
    return c.json(await getSpaceWatch(deps, user.id, space.id), 200);
  })
  .openapi(unwatchSpaceRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { space } = await requireSpace(deps.db, user, c.req.valid('param').id, 'viewer');
    await unwatchSpace(deps, user.id, space.id);
    return c.body(null, 204);
  });
