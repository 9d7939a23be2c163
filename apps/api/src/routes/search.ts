import { createRoute } from '@hono/zod-openapi';
import { SearchQuerySchema, SearchResponseSchema } from '@handoff/shared/schemas';
import { searchDocs } from '../commands/search-docs.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentSearchResult } from '../presenters/search.ts';
import { errorResponses, jsonContent, router } from './openapi.ts';

const search = createRoute({
  method: 'get',
  path: '/api/search',
  tags: ['search'],
  summary: 'Full-text search over the documents the caller may read now (typo-tolerant, prefix, CJK).',
  request: { query: SearchQuerySchema },
  responses: { 200: jsonContent(SearchResponseSchema, 'Hits with highlighted snippets and the exact total.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});

export const searchRoutes = router().openapi(search, async (c) => {
  const { user } = requireAuth(c);
  const q = c.req.valid('query');
  const result = await searchDocs(c.get('deps'), user, {
    q: q.q,
    spaceId: q.spaceId,
    kind: q.kind,
    author: q.author,
    updatedSince: q.updatedSince ? Date.parse(q.updatedSince) : undefined,
    limit: q.limit,
  });
  return c.json(presentSearchResult(result), 200);
});
