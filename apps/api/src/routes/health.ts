import { createRoute, z } from '@hono/zod-openapi';
import { router, jsonContent } from './openapi.ts';

const health = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['operations'],
  summary: 'Whether the server and its database answer.',
  responses: {
    200: jsonContent(z.object({ ok: z.boolean(), db: z.string(), search: z.string(), llm: z.string() }), 'Healthy.'),
    503: jsonContent(z.object({ ok: z.boolean(), db: z.string(), search: z.string(), llm: z.string() }), 'Unhealthy.'),
  },
});

export const healthRoutes = router().openapi(health, async (c) => {
  const { database } = c.get('deps');
  let db = 'ok';
  try {
    await database.client.execute('SELECT 1');
  } catch {
    db = 'unavailable';
  }
  const ok = db === 'ok';
  const body = { ok, db, search: 'not configured', llm: 'not configured' };
  return ok ? c.json(body, 200) : c.json(body, 503);
});
