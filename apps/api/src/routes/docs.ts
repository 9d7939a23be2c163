import { createRoute } from '@hono/zod-openapi';
import {
  CreateDocRequestSchema,
  DiffQuerySchema,
  DiffResponseSchema,
  DocResponseSchema,
  DocsResponseSchema,
  ExportDocQuerySchema,
  GetDocQuerySchema,
  IdParamsSchema,
  ListDocsQuerySchema,
  PatchDocRequestSchema,
  RevisionParamsSchema,
  RevisionsResponseSchema,
  WatchStateSchema,
} from '@handoff/shared/schemas';
import type { UserRow } from '../domain/model.ts';
import type { DecisionInput } from '../domain/decisions.ts';
import { unprocessable } from '../domain/errors.ts';
import { checkRecipients } from '../domain/handoffs.ts';
import { readableSpaceIds, requireDoc, requireSpace } from '../policies/access.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentDoc, presentDocSummary, presentRevisionSummary } from '../presenters/docs.ts';
import type { Deps } from '../context.ts';
import { createDoc } from '../commands/create-doc.ts';
import { listDocs } from '../commands/list-docs.ts';
import { getDoc } from '../commands/get-doc.ts';
import { updateDoc } from '../commands/update-doc.ts';
import { trashDoc } from '../commands/trash-doc.ts';
import { restoreDoc } from '../commands/restore-doc.ts';
import { listRevisions } from '../commands/list-revisions.ts';
import { getRevision } from '../commands/get-revision.ts';
import { restoreRevision } from '../commands/restore-revision.ts';
import { diffRevisions } from '../commands/diff-revisions.ts';
import { watchDoc } from '../commands/watch-doc.ts';
import { getDocWatch } from '../commands/get-doc-watch.ts';
import { unwatchDoc } from '../commands/unwatch-doc.ts';
import { exportDocFile } from '../commands/export-doc.ts';
import { attachmentDisposition } from '../domain/file-names.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const tags = ['documents'];
const byId = { params: IdParamsSchema };

const createDocRoute = createRoute({
  method: 'post',
  path: '/api/docs',
  tags,
  summary: 'Create a document (or decision record) from Markdown.',
  request: jsonBody(CreateDocRequestSchema),
  responses: { 201: jsonContent(DocResponseSchema, 'The document at revision 1.'), ...errorResponses, 422: errorResponses[400] },
});
const listDocsRoute = createRoute({
  method: 'get',
  path: '/api/docs',
  tags,
  summary: 'Documents the caller can read, newest change first (metadata only).',
  request: { query: ListDocsQuerySchema },
  responses: { 200: jsonContent(DocsResponseSchema, 'A page of documents.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const getDocRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}',
  tags,
  summary: 'A document; marks it seen at its current revision unless ?peek=1.',
  request: { ...byId, query: GetDocQuerySchema },
  responses: { 200: jsonContent(DocResponseSchema, 'The document.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const patchDocRoute = createRoute({
  method: 'patch',
  path: '/api/docs/{id}',
  tags,
  summary: 'Change title, body (Markdown), decision or parent; one revision per change that alters title, body or decision.',
  request: { ...byId, ...jsonBody(PatchDocRequestSchema) },
  responses: { 200: jsonContent(DocResponseSchema, 'The document after the change.'), ...errorResponses, 409: errorResponses[400], 422: errorResponses[400] },
});
const trashRoute = createRoute({
  method: 'delete',
  path: '/api/docs/{id}',
  tags,
  summary: 'Move a document (and its children) to the trash.',
  request: byId,
  responses: { ...noContent, ...errorResponses, 409: errorResponses[400] },
});
const restoreRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/restore',
  tags,
  summary: 'Bring a document back from the trash.',
  request: byId,
  responses: { 200: jsonContent(DocResponseSchema, 'The restored document.'), ...errorResponses, 409: errorResponses[400] },
});
const listRevisionsRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/revisions',
  tags,
  summary: 'Every revision of a document, newest first.',
  request: byId,
  responses: { 200: jsonContent(RevisionsResponseSchema, 'Revisions.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const getRevisionRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/revisions/{revision}',
  tags,
  summary: 'A document as it was at one revision.',
  request: { params: RevisionParamsSchema },
  responses: { 200: jsonContent(DocResponseSchema, 'The document at that revision.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const restoreRevisionRoute = createRoute({
  method: 'post',
  path: '/api/docs/{id}/revisions/{revision}/restore',
  tags,
  summary: 'Make an earlier revision current again (as a new revision).',
  request: { params: RevisionParamsSchema },
  responses: { 200: jsonContent(DocResponseSchema, 'The document after the restore.'), ...errorResponses, 409: errorResponses[400] },
});
const diffRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/diff',
  tags,
  summary: 'Block-level diff between two revisions, with a word-level diff inside changed blocks.',
  request: { ...byId, query: DiffQuerySchema },
  responses: { 200: jsonContent(DiffResponseSchema, 'The diff.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const watchDocRoute = createRoute({
  method: 'put',
  path: '/api/docs/{id}/watch',
  tags,
  summary: 'Follow a document.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});
const getDocWatchRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/watch',
  tags,
  summary: 'Whether the caller follows the document (directly, or through its space).',
  request: byId,
  responses: { 200: jsonContent(WatchStateSchema, 'Watch state.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const unwatchDocRoute = createRoute({
  method: 'delete',
  path: '/api/docs/{id}/watch',
  tags,
  summary: 'Stop following a document.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});
const exportDocRoute = createRoute({
  method: 'get',
  path: '/api/docs/{id}/export.md',
  tags,
  summary: 'The document as a Markdown file (its title as the first heading); `?comments=1` appends its comment threads.',
  request: { ...byId, query: ExportDocQuerySchema },
  responses: { 200: { description: 'Markdown.', content: { 'text/markdown': { schema: { type: 'string' } } } }, 401: errorResponses[401], 404: errorResponses[404] },
});

/** Decision fields that name other objects must name ones the caller may read. */
async function authorizeDecisionRefs(deps: Deps, user: UserRow, decision: DecisionInput | undefined) {
  if (decision?.supersedes) {
    try {
      await requireDoc(deps.db, user, decision.supersedes, 'viewer');
    } catch {
      throw unprocessable('`supersedes` must name a decision record you can read.', { field: 'decision.supersedes' });
    }
  }
}

/** A handoff note's recipients must be active people or spaces the author may read (others are all "unknown"). */
async function authorizeRecipients(deps: Deps, user: UserRow, handoff: { to: string[] } | undefined) {
  if (handoff) await checkRecipients(deps.db, handoff.to, handoff.to.some((r) => r.startsWith('space:')) ? await readableSpaceIds(deps.db, user) : []);
}

export const docRoutes = router()
  .openapi(createDocRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const body = c.req.valid('json');
    await requireSpace(deps.db, user, body.spaceId, 'editor');
    await authorizeDecisionRefs(deps, user, body.decision);
    await authorizeRecipients(deps, user, body.handoff);
    const { doc, decision, handoff } = await createDoc(deps, user, body);
    return c.json({ doc: presentDoc(doc, decision, handoff) }, 201);
  })
  .openapi(listDocsRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { spaceId, ...q } = c.req.valid('query');
    if (spaceId) await requireSpace(deps.db, user, spaceId, 'viewer');
    const spaceIds = spaceId ? [spaceId] : await readableSpaceIds(deps.db, user);
    const page = await listDocs(deps, { ...q, spaceIds });
    return c.json({ docs: page.docs.map((d) => presentDocSummary(d.doc, d.decision, d.handoff)), nextCursor: page.nextCursor }, 200);
  })
  .openapi(getDocRoute, async (c) => {
    const { user } = requireAuth(c);
    const { id } = c.req.valid('param');
    const { json } = await getDoc(c.get('deps'), user, id, {
      peek: !!c.req.valid('query').peek,
      serialize: (doc, decision, handoff) => JSON.stringify({ doc: presentDoc(doc, decision, handoff) }),
    });
    // Already serialized (same shape as DocResponseSchema); the typed c.json would re-encode it.
    return c.body(json, 200, { 'content-type': 'application/json' }) as never;
  })
  .openapi(patchDocRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const body = c.req.valid('json');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'editor');
    await authorizeDecisionRefs(deps, user, body.decision);
    await authorizeRecipients(deps, user, body.handoff);
    const updated = await updateDoc(deps, user, doc, body);
    return c.json({ doc: presentDoc(updated.doc, updated.decision, updated.handoff) }, 200);
  })
  .openapi(trashRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'editor');
    await trashDoc(deps, user, doc);
    return c.body(null, 204);
  })
  .openapi(restoreRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'editor');
    const restored = await restoreDoc(deps, user, doc);
    return c.json({ doc: presentDoc(restored.doc, restored.decision, restored.handoff) }, 200);
  })
  .openapi(listRevisionsRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'viewer');
    const revisions = await listRevisions(deps, doc.id);
    return c.json({ revisions: revisions.map(presentRevisionSummary), nextCursor: null }, 200);
  })
  .openapi(getRevisionRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { id, revision } = c.req.valid('param');
    const { doc } = await requireDoc(deps.db, user, id, 'viewer');
    const at = await getRevision(deps, doc, revision);
    return c.json({ doc: presentDoc(at.doc, at.decision) }, 200);
  })
  .openapi(restoreRevisionRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { id, revision } = c.req.valid('param');
    await requireDoc(deps.db, user, id, 'editor');
    const restored = await restoreRevision(deps, user, id, revision);
    return c.json({ doc: presentDoc(restored.doc, restored.decision, restored.handoff) }, 200);
  })
  .openapi(diffRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'viewer');
    const { from, to } = c.req.valid('query');
    return c.json(await diffRevisions(deps, doc.id, from, to), 200);
  })
  .openapi(watchDocRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'viewer');
    await watchDoc(deps, user, doc);
    return c.body(null, 204);
  })
  .openapi(getDocWatchRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'viewer');
    return c.json(await getDocWatch(deps, user, doc), 200);
  })
  .openapi(unwatchDocRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'viewer');
    await unwatchDoc(deps, user, doc);
    return c.body(null, 204);
  })
  .openapi(exportDocRoute, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { doc } = await requireDoc(deps.db, user, c.req.valid('param').id, 'viewer');
    const file = await exportDocFile(deps, doc, { comments: !!c.req.valid('query').comments });
    c.header('Content-Type', 'text/markdown; charset=utf-8');
    c.header('Content-Disposition', attachmentDisposition(file.fileName));
    return c.body(file.body, 200);
  });
