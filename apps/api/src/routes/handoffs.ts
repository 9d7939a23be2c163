import { createRoute, z } from '@hono/zod-openapi';
import { HandoffAskDoneRequestSchema, HandoffDraftResponseSchema, HandoffLogQuerySchema, HandoffLogResponseSchema, IdParamsSchema } from '@handoff/shared/schemas';
import { requireAuth } from '../middleware/auth.ts';
import { readableSpaceIds, requireDoc, requireSpace } from '../policies/access.ts';
import { presentHandoffDay } from '../presenters/handoffs.ts';
import { listHandoffs } from '../commands/list-handoffs.ts';
import { handoffDraft } from '../commands/handoff-draft.ts';
import { markHandoffAskDone } from '../commands/mark-handoff-ask-done.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const tags = ['handoffs'];

const logRoute = createRoute({
  method: 'get',
  path: '/api/handoffs',
  tags,
  summary: 'The handoff log: handoff notes you can read, newest first, grouped by the day (in your time zone) they were written.',
  description: '`from`/`to` are dates (YYYY-MM-DD) in your time zone, both included; `limit` counts notes.',
  request: { query: HandoffLogQuerySchema },
  responses: { 200: jsonContent(HandoffLogResponseSchema, 'A page of the log.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const draftRoute = createRoute({
  method: 'get',
  path: '/api/me/handoff-draft',
  tags,
  summary: "Today's handoff, prefilled with what you changed today; `offer` is true in the last hour of your working day until you have written one.",
  request: { query: z.object({}) },
  responses: { 200: jsonContent(HandoffDraftResponseSchema, 'The offer and the draft.'), 401: errorResponses[401] },
});
const askDoneRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/handoff-asks/done',
  tags,
  summary: 'Mark a "Blocked on @you" / "Decision needed from @you" item of a handoff note answered (only the asked person; 404 otherwise).',
  request: { params: IdParamsSchema, ...jsonBody(HandoffAskDoneRequestSchema) },
  responses: { ...noContent, 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});

export const handoffRoutes = router()
  .openapi(logRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { spaceId, ...q } = c.req.valid('query');
    if (spaceId) await requireSpace(deps.db, user, spaceId, 'viewer');
    const spaceIds = spaceId ? [spaceId] : await readableSpaceIds(deps.db, user);
    const page = await listHandoffs(deps, { ...q, spaceIds, timezone: user.timezone });
    return c.json({ days: page.days.map(presentHandoffDay), nextCursor: page.nextCursor }, 200);
  })
  .openapi(draftRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    return c.json(await handoffDraft(deps, user, await readableSpaceIds(deps.db, user)), 200);
  })
  .openapi(askDoneRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'viewer');
    await markHandoffAskDone(deps, user, doc, c.req.valid('json'));
    return c.body(null, 204);
  });
