import { createRoute } from '@hono/zod-openapi';
import { ImportMarkdownQuerySchema, ImportResultSchema } from '@handoff/shared/schemas';
import { requireDoc, requireSpace } from '../policies/access.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentDocSummary } from '../presenters/docs.ts';
import { importDocs } from '../commands/import-docs.ts';
import { errorResponses, jsonContent, router } from './openapi.ts';

const importMarkdown = createRoute({
  method: 'post',
  path: '/api/import/markdown',
  tags: ['import'],
  summary: 'Import a Markdown file (text/markdown) or a zip of them (application/zip; folders become nested documents).',
  request: {
    query: ImportMarkdownQuerySchema,
    body: {
      content: {
        'text/markdown': { schema: { type: 'string' } },
        'application/zip': { schema: { type: 'string', format: 'binary' } },
      },
    },
  },
  responses: { 201: jsonContent(ImportResultSchema, 'The documents created, parents first, and what the import could not keep (warnings).'), ...errorResponses, 413: errorResponses[400], 415: errorResponses[400], 422: errorResponses[400], 429: errorResponses[400], 503: errorResponses[400] },
});

export const importRoutes = router().openapi(importMarkdown, async (c) => {
  const { user } = requireAuth(c);
  const deps = c.get('deps');
  const q = c.req.valid('query');
  await requireSpace(deps.db, user, q.spaceId, 'editor');
  if (q.parentId) await requireDoc(deps.db, user, q.parentId, 'editor');
  const report = await importDocs(deps, user, { spaceId: q.spaceId, parentId: q.parentId ?? null }, {
    contentType: (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase(),
    fileName: q.filename ?? 'Imported.md',
    body: Buffer.from(await c.req.arrayBuffer()),
    limits: deps.config.limits,
  });
  return c.json({ docs: report.docs.map((d) => presentDocSummary(d)), warnings: report.warnings }, 201);
});
