import { createRoute } from '@hono/zod-openapi';
import { ImportMarkdownQuerySchema, ImportResultSchema } from '@handoff/shared/schemas';
import { requireDoc, requireSpace } from '../policies/access.ts';
import { importBudget, importFiles, readZip, type ImportFile } from '../domain/import-markdown.ts';
import { DomainError, unprocessable, tooLarge } from '../domain/errors.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentDocSummary } from '../presenters/docs.ts';
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
  responses: { 201: jsonContent(ImportResultSchema, 'The documents created, parents first.'), ...errorResponses, 413: errorResponses[400], 415: errorResponses[400], 422: errorResponses[400], 429: errorResponses[400], 503: errorResponses[400] },
});

export const importRoutes = router().openapi(importMarkdown, async (c) => {
  const { user } = requireAuth(c);
  const { db, docs, config, cache } = c.get('deps');
  const q = c.req.valid('query');
  await requireSpace(db, user, q.spaceId, 'editor');
  if (q.parentId) {
    const { doc } = await requireDoc(db, user, q.parentId, 'editor');
    if (doc.spaceId !== q.spaceId) throw unprocessable('The parent document must be in the target space.', { field: 'parentId' });
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const fileName = (q.filename ?? 'Imported.md').replace(/[/\\]/g, '_');
  const body = Buffer.from(await c.req.arrayBuffer());
  // The person's running imports share one budget of inflated bytes, held until this one ends.
  const lease = importBudget.lease(user.id, config.limits.importUserBytes);
  try {
    let files: ImportFile[];
    if (type === 'application/zip' || type === 'application/x-zip-compressed') {
      files = await readZip(body, {
        entries: config.limits.importEntries,
        uncompressedBytes: config.limits.importUncompressedBytes,
        fileBytes: config.limits.bodyBytes,
        take: lease.take,
      });
    } else if (type === 'text/markdown' || type === 'text/plain' || type === 'text/x-markdown') {
      if (body.length > config.limits.bodyBytes) throw tooLarge('A Markdown file may be at most 2 MB.');
      lease.take(body.length);
      files = [{ path: [fileName], markdown: body.toString('utf8').replace(/\u0000/g, '') }];
    } else {
      throw new DomainError('unsupported', 'unsupported_media_type', 'Send text/markdown or application/zip.');
    }
    if (files.length === 0) throw unprocessable('No Markdown files (.md) were found.');
    const created = await importFiles(db, docs, user, { spaceId: q.spaceId, parentId: q.parentId ?? null }, files, undefined, {
      forgetDoc: (id) => cache.forgetDoc(id),
    });
    return c.json({ docs: created.map((d) => presentDocSummary(d)) }, 201);
  } finally {
    lease.release();
  }
});
