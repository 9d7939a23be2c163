import { createRoute } from '@hono/zod-openapi';
import { HealthResponseSchema } from '@handoff/shared/schemas';
import { checkHealth } from '../commands/check-health.ts';
import { router, jsonContent } from './openapi.ts';

const health = createRoute({
  method: 'get',
  path: '/api/health',
  tags: ['operations'],
  summary: 'Whether the database and the search engine answer. Only the database decides `ok`: with search down, editing goes on and the index catches up later.',
  responses: {
    200: jsonContent(HealthResponseSchema, 'Healthy.'),
    503: jsonContent(HealthResponseSchema, 'The database does not answer.'),
  },
});

export const healthRoutes = router().openapi(health, async (c) => {
  const body = await checkHealth(c.get('deps'));
  return body.ok ? c.json(body, 200) : c.json(body, 503);
});
