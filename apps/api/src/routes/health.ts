import { createRoute } from '@hono/zod-openapi';
import { HealthResponseSchema } from '@handoff/shared/schemas';
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
  const { database, search, briefWriter } = c.get('deps');
  let db: 'ok' | 'error' = 'ok';
  try {
    await database.client.execute('SELECT 1');
  } catch {
    db = 'error';
  }
  const body = {
    ok: db === 'ok',
    db,
    search: (await Promise.race([search.health(), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())])) ? ('ok' as const) : ('error' as const),
    searchEngine: search.engine,
    // The LLM is only probed when a brief is written (a failure there falls back to the extractive writer).
    llm: briefWriter.name === 'llm' ? ('ok' as const) : ('disabled' as const),
  };
  return body.ok ? c.json(body, 200) : c.json(body, 503);
});
