import { createRoute } from '@hono/zod-openapi';
import { and, documents, inArray, isNull } from '@handoff/db';
import { SearchQuerySchema, SearchResponseSchema } from '@handoff/shared/schemas';
import { readableSpaceIds } from '../policies/access.ts';
import { notFound } from '../domain/errors.ts';
import { requireAuth } from '../middleware/auth.ts';
import { iso } from '../presenters/time.ts';
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
  const { db, search: index } = c.get('deps');
  const q = c.req.valid('query');
  // Read access is computed now, from the database, on every search: a membership change
  // applies to the very next query whatever the index holds.
  const readable = await readableSpaceIds(db, user);
  let spaceIds = readable;
  if (q.spaceId) {
    if (!readable.includes(q.spaceId)) throw notFound('Space');
    spaceIds = [q.spaceId];
  }
  const result = await index.search({
    q: q.q,
    spaceIds,
    kind: q.kind,
    authorId: q.author,
    updatedSince: q.updatedSince ? Date.parse(q.updatedSince) : undefined,
    limit: q.limit,
  });
  // Belt and braces: every hit is checked against the database again (never trashed, never
  // outside the caller's spaces), whatever the engine returned.
  const ids = result.hits.map((h) => h.docId);
  const live = ids.length
    ? await db.select({ id: documents.id, spaceId: documents.spaceId }).from(documents).where(and(inArray(documents.id, ids), isNull(documents.trashedAt))).all()
    : [];
  const allowed = new Set(live.filter((d) => spaceIds.includes(d.spaceId)).map((d) => d.id));
  const hits = result.hits.filter((h) => allowed.has(h.docId));
  const dropped = result.hits.length - hits.length;
  return c.json(
    {
      hits: hits.map((h) => ({ docId: h.docId, title: h.title, snippet: h.snippet, spaceId: h.spaceId, kind: h.kind, updatedAt: iso(h.updatedAt) })),
      total: Math.max(hits.length, result.total - dropped),
      engine: index.engine,
    },
    200,
  );
});
