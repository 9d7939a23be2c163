import { createRoute } from '@hono/zod-openapi';
import {
  and,
  desc,
  documents,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  revisionAuthors,
  revisions,
  views,
  watches,
  type SQL,
} from '@handoff/db';
import {
  CreateDocRequestSchema,
  DiffQuerySchema,
  DiffResponseSchema,
  DocResponseSchema,
  DocsResponseSchema,
  GetDocQuerySchema,
  IdParamsSchema,
  ListDocsQuerySchema,
  PatchDocRequestSchema,
  RevisionParamsSchema,
  RevisionsResponseSchema,
  WatchStateSchema,
} from '@handoff/shared/schemas';
import { diffBlocks } from '@handoff/shared/diff';
import type { UserRow } from '../domain/model.ts';
import { readableSpaceIds, requireDoc, requireSpace, spaceAccess } from '../policies/access.ts';
import { moveDoc, restoreDoc, trashDoc } from '../domain/doc-tree.ts';
import { blocksOfContent } from '../domain/revision-blocks.ts';
import type { DecisionInput } from '../domain/doc-engine.ts';
import { badRequest, notFound, unprocessable } from '../domain/errors.ts';
import { requireAuth } from '../middleware/auth.ts';
import { presentDoc, presentDocSummary } from '../presenters/docs.ts';
import { iso } from '../presenters/time.ts';
import type { Deps } from '../context.ts';
import { errorResponses, jsonBody, jsonContent, noContent, router } from './openapi.ts';

const tags = ['documents'];
const byId = { params: IdParamsSchema };

const createDoc = createRoute({
  method: 'post',
  path: '/api/docs',
  tags,
  summary: 'Create a document (or decision record) from Markdown.',
  request: jsonBody(CreateDocRequestSchema),
  responses: { 201: jsonContent(DocResponseSchema, 'The document at revision 1.'), ...errorResponses, 422: errorResponses[400] },
});
const listDocs = createRoute({
  method: 'get',
  path: '/api/docs',
  tags,
  summary: 'Documents the caller can read, newest change first (metadata only).',
  request: { query: ListDocsQuerySchema },
  responses: { 200: jsonContent(DocsResponseSchema, 'A page of documents.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const getDoc = createRoute({
  method: 'get',
  path: '/api/docs/{id}',
  tags,
  summary: 'A document; marks it seen at its current revision unless ?peek=1.',
  request: { ...byId, query: GetDocQuerySchema },
  responses: { 200: jsonContent(DocResponseSchema, 'The document.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const patchDoc = createRoute({
  method: 'patch',
  path: '/api/docs/{id}',
  tags,
  summary: 'Change title, body (Markdown), decision or parent; one revision per change that alters title, body or decision.',
  request: { ...byId, ...jsonBody(PatchDocRequestSchema) },
  responses: { 200: jsonContent(DocResponseSchema, 'The document after the change.'), ...errorResponses, 409: errorResponses[400], 422: errorResponses[400] },
});
const trash = createRoute({
  method: 'delete',
  path: '/api/docs/{id}',
  tags,
  summary: 'Move a document (and its children) to the trash.',
  request: byId,
  responses: { ...noContent, ...errorResponses, 409: errorResponses[400] },
});
const restore = createRoute({
  method: 'post',
  path: '/api/docs/{id}/restore',
  tags,
  summary: 'Bring a document back from the trash.',
  request: byId,
  responses: { 200: jsonContent(DocResponseSchema, 'The restored document.'), ...errorResponses, 409: errorResponses[400] },
});
const listRevisions = createRoute({
  method: 'get',
  path: '/api/docs/{id}/revisions',
  tags,
  summary: 'Every revision of a document, newest first.',
  request: byId,
  responses: { 200: jsonContent(RevisionsResponseSchema, 'Revisions.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const getRevision = createRoute({
  method: 'get',
  path: '/api/docs/{id}/revisions/{revision}',
  tags,
  summary: 'A document as it was at one revision.',
  request: { params: RevisionParamsSchema },
  responses: { 200: jsonContent(DocResponseSchema, 'The document at that revision.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const restoreRevision = createRoute({
  method: 'post',
  path: '/api/docs/{id}/revisions/{revision}/restore',
  tags,
  summary: 'Make an earlier revision current again (as a new revision).',
  request: { params: RevisionParamsSchema },
  responses: { 200: jsonContent(DocResponseSchema, 'The document after the restore.'), ...errorResponses, 409: errorResponses[400] },
});
const diff = createRoute({
  method: 'get',
  path: '/api/docs/{id}/diff',
  tags,
  summary: 'Block-level diff between two revisions, with a word-level diff inside changed blocks.',
  request: { ...byId, query: DiffQuerySchema },
  responses: { 200: jsonContent(DiffResponseSchema, 'The diff.'), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
});
const watchDoc = createRoute({
  method: 'put',
  path: '/api/docs/{id}/watch',
  tags,
  summary: 'Follow a document.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});
const getDocWatch = createRoute({
  method: 'get',
  path: '/api/docs/{id}/watch',
  tags,
  summary: 'Whether the caller follows the document (directly, or through its space).',
  request: byId,
  responses: { 200: jsonContent(WatchStateSchema, 'Watch state.'), 401: errorResponses[401], 404: errorResponses[404] },
});
const unwatchDoc = createRoute({
  method: 'delete',
  path: '/api/docs/{id}/watch',
  tags,
  summary: 'Stop following a document.',
  request: byId,
  responses: { ...noContent, 401: errorResponses[401], 404: errorResponses[404] },
});
const exportDoc = createRoute({
  method: 'get',
  path: '/api/docs/{id}/export.md',
  tags,
  summary: 'The document as a Markdown file (its title as the first heading).',
  request: byId,
  responses: { 200: { description: 'Markdown.', content: { 'text/markdown': { schema: { type: 'string' } } } }, 401: errorResponses[401], 404: errorResponses[404] },
});

/** Decision fields that name other objects must name ones the caller may read. */
async function checkDecisionRefs(deps: Deps, user: UserRow, decision: DecisionInput | undefined) {
  if (decision?.supersedes) {
    try {
      await requireDoc(deps.db, user, decision.supersedes, 'viewer');
    } catch {
      throw unprocessable('`supersedes` must name a decision record you can read.', { field: 'decision.supersedes' });
    }
  }
}

const encodeCursor = (updatedAt: number, id: string) => Buffer.from(`${updatedAt}:${id}`).toString('base64url');
function decodeCursor(cursor: string): { updatedAt: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const updatedAt = Number(at);
  if (!id || !Number.isSafeInteger(updatedAt)) throw badRequest('The cursor is not valid.', { fields: [{ path: 'cursor', code: 'invalid', message: 'Invalid cursor' }] });
  return { updatedAt, id };
}

export const docRoutes = router()
  .openapi(createDoc, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const body = c.req.valid('json');
    await requireSpace(deps.db, user, body.spaceId, 'editor');
    await checkDecisionRefs(deps, user, body.decision);
    const doc = await deps.docs.create(user, body);
    return c.json({ doc: presentDoc(doc, await deps.docs.decisionOf(deps.db, doc.id)) }, 201);
  })
  .openapi(listDocs, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const q = c.req.valid('query');
    let spaceIds: string[];
    if (q.spaceId) {
      await requireSpace(db, user, q.spaceId, 'viewer');
      spaceIds = [q.spaceId];
    } else {
      spaceIds = await readableSpaceIds(db, user);
    }
    const where: SQL[] = [inArray(documents.spaceId, spaceIds), q.trashed ? isNotNull(documents.trashedAt) : isNull(documents.trashedAt)];
    if (q.kind) where.push(eq(documents.kind, q.kind));
    if (q.updatedSince) where.push(gte(documents.updatedAt, Date.parse(q.updatedSince)));
    if (q.parentId) where.push(eq(documents.parentId, q.parentId));
    if (q.cursor) {
      const at = decodeCursor(q.cursor);
      where.push(or(lt(documents.updatedAt, at.updatedAt), and(eq(documents.updatedAt, at.updatedAt), lt(documents.id, at.id)))!);
    }
    const rows = await db
      .select({
        id: documents.id,
        spaceId: documents.spaceId,
        parentId: documents.parentId,
        kind: documents.kind,
        title: documents.title,
        revision: documents.revision,
        createdBy: documents.createdBy,
        updatedBy: documents.updatedBy,
        createdAt: documents.createdAt,
        updatedAt: documents.updatedAt,
        trashedAt: documents.trashedAt,
      })
      .from(documents)
      .where(and(...where))
      .orderBy(desc(documents.updatedAt), desc(documents.id))
      .limit(q.limit + 1)
      .all();
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const decisions = await c.get('deps').docs.decisionsOf(db, page.filter((r) => r.kind === 'decision').map((r) => r.id));
    const docs = page.map((r) => presentDocSummary({ ...r, markdown: '', content: '{}', text: '' }, decisions.get(r.id) ?? null));
    return c.json({ docs, nextCursor: rows.length > q.limit && last ? encodeCursor(last.updatedAt, last.id) : null }, 200);
  })
  .openapi(getDoc, async (c) => {
    // The hottest route: served from the read cache (see domain/read-cache.ts), which every write
    // in this process invalidates, so a reader never sees a document or role older than the last write.
    const { user } = requireAuth(c);
    const { db, clock, docs, cache } = c.get('deps');
    const id = c.req.valid('param').id;
    const entry = await cache.doc(id, async () => {
      const doc = await db.select().from(documents).where(eq(documents.id, id)).get();
      if (!doc) return null;
      const decision = doc.kind === 'decision' ? await docs.decisionOf(db, doc.id) : null;
      return { doc, json: JSON.stringify({ doc: presentDoc(doc, decision) }) };
    });
    const role = entry ? await cache.roleIn(user.id, entry.doc.spaceId, async () => (await spaceAccess(db, user, entry.doc.spaceId))?.role ?? null) : null;
    if (!entry || !role) throw notFound('Document');
    const { doc } = entry;
    if (!c.req.valid('query').peek && !cache.hasSeen(user.id, doc.id, doc.revision)) {
      const seen = await db.select({ revision: views.revision }).from(views).where(and(eq(views.userId, user.id), eq(views.docId, doc.id))).get();
      if (!seen || seen.revision < doc.revision) {
        const now = clock.now();
        await db
          .insert(views)
          .values({ userId: user.id, docId: doc.id, revision: doc.revision, seenAt: now })
          .onConflictDoUpdate({ target: [views.userId, views.docId], set: { revision: doc.revision, seenAt: now } });
      }
      cache.markSeen(user.id, doc.id, Math.max(doc.revision, seen?.revision ?? 0));
    }
    // The body is already serialized (same shape as DocResponseSchema); the typed c.json would re-encode it.
    return c.body(entry.json, 200, { 'content-type': 'application/json' }) as never;
  })
  .openapi(patchDoc, async (c) => {
    const { user } = requireAuth(c);
    const deps = c.get('deps');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    let { doc } = await requireDoc(deps.db, user, id, 'editor');
    await checkDecisionRefs(deps, user, body.decision);
    if (body.parentId !== undefined) {
      doc = await moveDoc(deps.db, deps.clock, user, doc, body.parentId);
      deps.events.publish([{ topic: 'doc.moved', docId: doc.id, spaceId: doc.spaceId, parentId: doc.parentId, actor: user.id }]);
    }
    if (body.title !== undefined || body.markdown !== undefined || body.decision !== undefined) {
      ({ doc } = await deps.docs.patch(user, id, body));
    }
    return c.json({ doc: presentDoc(doc, await deps.docs.decisionOf(deps.db, doc.id)) }, 200);
  })
  .openapi(trash, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'editor');
    await trashDoc(db, clock, user, doc);
    c.get('deps').events.publish([{ topic: 'doc.trashed', docId: doc.id, spaceId: doc.spaceId, actor: user.id }]);
    return c.body(null, 204);
  })
  .openapi(restore, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock, docs } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'editor');
    const restored = await restoreDoc(db, clock, user, doc);
    c.get('deps').events.publish([{ topic: 'doc.restored', docId: doc.id, spaceId: doc.spaceId, actor: user.id }]);
    return c.json({ doc: presentDoc(restored, await docs.decisionOf(db, doc.id)) }, 200);
  })
  .openapi(listRevisions, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'viewer');
    const rows = await db
      .select({ revision: revisions.revision, createdAt: revisions.createdAt, message: revisions.message, title: revisions.title })
      .from(revisions)
      .where(eq(revisions.docId, doc.id))
      .orderBy(desc(revisions.revision))
      .all();
    const authors = await db.select().from(revisionAuthors).where(eq(revisionAuthors.docId, doc.id)).all();
    const byRevision = new Map<number, string[]>();
    for (const a of authors) byRevision.set(a.revision, [...(byRevision.get(a.revision) ?? []), a.userId]);
    return c.json(
      {
        revisions: rows.map((r) => ({
          revision: r.revision,
          authors: byRevision.get(r.revision) ?? [],
          createdAt: iso(r.createdAt),
          message: r.message,
          title: r.title,
        })),
        nextCursor: null,
      },
      200,
    );
  })
  .openapi(getRevision, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { id, revision } = c.req.valid('param');
    const { doc } = await requireDoc(db, user, id, 'viewer');
    const rev = await db.select().from(revisions).where(and(eq(revisions.docId, doc.id), eq(revisions.revision, revision))).get();
    if (!rev) throw notFound('Revision');
    const authors = await db
      .select({ userId: revisionAuthors.userId })
      .from(revisionAuthors)
      .where(and(eq(revisionAuthors.docId, doc.id), eq(revisionAuthors.revision, revision)))
      .all();
    const at = { ...doc, title: rev.title, markdown: rev.markdown, content: rev.content, text: rev.text, revision, updatedAt: rev.createdAt, updatedBy: authors[0]?.userId ?? doc.updatedBy };
    return c.json({ doc: presentDoc(at, rev.decision ? JSON.parse(rev.decision) : null) }, 200);
  })
  .openapi(restoreRevision, async (c) => {
    const { user } = requireAuth(c);
    const { db, docs } = c.get('deps');
    const { id, revision } = c.req.valid('param');
    await requireDoc(db, user, id, 'editor');
    const { doc } = await docs.restoreRevision(user, id, revision);
    return c.json({ doc: presentDoc(doc, await docs.decisionOf(db, doc.id)) }, 200);
  })
  .openapi(diff, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'viewer');
    const { from, to } = c.req.valid('query');
    const rows = await db
      .select({ revision: revisions.revision, content: revisions.content, title: revisions.title })
      .from(revisions)
      .where(and(eq(revisions.docId, doc.id), inArray(revisions.revision, [from, to])))
      .all();
    const before = rows.find((r) => r.revision === from);
    const after = rows.find((r) => r.revision === to);
    if (!before || !after) throw notFound('Revision');
    return c.json({ from, to, blocks: diffBlocks(blocksOfContent(before.content), blocksOfContent(after.content)) }, 200);
  })
  .openapi(watchDoc, async (c) => {
    const { user } = requireAuth(c);
    const { db, clock } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'viewer');
    await db.insert(watches).values({ userId: user.id, targetType: 'doc', targetId: doc.id, createdAt: clock.now() }).onConflictDoNothing();
    return c.body(null, 204);
  })
  .openapi(getDocWatch, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'viewer');
    const rows = await db
      .select({ targetType: watches.targetType })
      .from(watches)
      .where(and(eq(watches.userId, user.id), or(and(eq(watches.targetType, 'doc'), eq(watches.targetId, doc.id)), and(eq(watches.targetType, 'space'), eq(watches.targetId, doc.spaceId)))))
      .all();
    return c.json({ watching: rows.some((r) => r.targetType === 'doc'), viaSpace: rows.some((r) => r.targetType === 'space') }, 200);
  })
  .openapi(unwatchDoc, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'viewer');
    await db.delete(watches).where(and(eq(watches.userId, user.id), eq(watches.targetType, 'doc'), eq(watches.targetId, doc.id)));
    return c.body(null, 204);
  })
  .openapi(exportDoc, async (c) => {
    const { user } = requireAuth(c);
    const { db } = c.get('deps');
    const { doc } = await requireDoc(db, user, c.req.valid('param').id, 'viewer');
    const file = exportMarkdown(doc.title, doc.markdown);
    c.header('Content-Type', 'text/markdown; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${fileNameFor(doc.title)}"`);
    return c.body(file, 200);
  });

/** A document as a file: its title as the first-level heading, then the body. */
export function exportMarkdown(title: string, markdown: string): string {
  const heading = `# ${title.replace(/([\\`*_[\]#<>])/g, '\\$1')}\n`;
  return markdown ? `${heading}\n${markdown}` : heading;
}

/** A safe ASCII file name for a title. */
export function fileNameFor(title: string): string {
  const base = title.normalize('NFKD').replace(/[^\w\s.-]/g, '').trim().replace(/\s+/g, '-').slice(0, 80) || 'document';
  return `${base}.md`;
}
