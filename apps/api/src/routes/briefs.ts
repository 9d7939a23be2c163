import { createRoute } from '@hono/zod-openapi';
import { BriefResponseSchema, CreateBriefRequestSchema, IdParamsSchema } from '@handoff/shared/schemas';
import { acknowledgeBrief } from '../commands/acknowledge-brief.ts';
import { createBriefNow } from '../commands/create-brief.ts';
import { getBrief } from '../commands/get-brief.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentBrief, presentBriefPage } from '../presenters/briefs.ts';
import { errorResponses, jsonContent, noContent, router } from './openapi.ts';

const tags = ['briefs'];

const buildBriefRoute = createRoute({
  method: 'post',
  path: '/api/briefs',
  tags,
  summary: "Build the caller's brief now: what changed for them after `since` (default: their last acknowledged brief, or 7 days).",
  request: { body: { content: { 'application/json': { schema: CreateBriefRequestSchema } }, required: false } },
  responses: { 201: jsonContent(BriefResponseSchema, 'The new brief.'), 400: errorResponses[400], 401: errorResponses[401] },
});
const getLatest = createRoute({
  method: 'get',
  path: '/api/briefs/latest',
  tags,
  summary: "The caller's latest brief, rechecked against what they may read now.",
  responses: { 200: jsonContent(BriefResponseSchema, 'The brief.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const getOne = createRoute({
  method: 'get',
  path: '/api/briefs/{id}',
  tags,
  summary: 'One of the caller\'s briefs, rechecked against what they may read now.',
  request: { params: IdParamsSchema },
  responses: { 200: jsonContent(BriefResponseSchema, 'The brief.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const acknowledge = createRoute({
  method: 'post',
  path: '/api/briefs/{id}/ack',
  tags,
  summary: '"I am caught up": the next brief starts where this one ends.',
  request: { params: IdParamsSchema },
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});

export const briefRoutes = router();

// `GET /api/briefs/:id.html`: a plain Hono route (a `{id}.html` OpenAPI path does not bind the id),
// declared in the OpenAPI document by hand; registered before `/api/briefs/{id}`, which would take it.
briefRoutes.get('/api/briefs/:file{[A-Za-z0-9_-]{1,64}\\.html}', async (c) => {
  const { user } = requireAuth(c);
  const deps = c.get('deps');
  const id = c.req.param('file').slice(0, -'.html'.length);
  const html = presentBriefPage(deps.renderBriefPage, user, await getBrief(deps, user, { id }), deps.config.publicUrl);
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', 'private, no-store');
  return c.html(html);
});

briefRoutes
  .openapi(buildBriefRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const body = (c.req.valid('json') as { since?: string } | undefined) ?? {};
    const brief = await createBriefNow(deps, user, body.since ? Date.parse(body.since) : undefined);
    return c.json({ brief: presentBrief(brief) }, 201);
  })
  .openapi(getLatest, async (c) => {
    const { user } = requireAuth(c);
    return c.json({ brief: presentBrief(await getBrief(c.get('deps'), user, { latest: true })) }, 200);
  })
  .openapi(getOne, async (c) => {
    const { user } = requireAuth(c);
    return c.json({ brief: presentBrief(await getBrief(c.get('deps'), user, { id: c.req.valid('param').id })) }, 200);
  })
  .openapi(acknowledge, async (c) => {
    const { user } = requireAuth(c);
    await acknowledgeBrief(c.get('deps'), user.id, c.req.valid('param').id);
    return c.body(null, 204);
  });

briefRoutes.openAPIRegistry.registerPath({
  method: 'get',
  path: '/api/briefs/{id}.html',
  tags,
  summary: 'The brief as an e-mail-ready HTML page (inline CSS, all text escaped, links only to Handoff).',
  request: { params: IdParamsSchema },
  responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } }, 401: errorResponses[401], 404: errorResponses[404] },
});
