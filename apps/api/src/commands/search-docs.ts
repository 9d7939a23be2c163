import { and, documents, inArray, isNull } from '@handoff/db';
import { notFound } from '../domain/errors.ts';
import type { DocKind, UserRow } from '../domain/model.ts';
import type { SearchHit, SearchIndex } from '../domain/ports.ts';
import { readableSpaceIds } from '../policies/access.ts';
import type { CommandContext } from './transaction.ts';

export interface SearchDocsContext extends Pick<CommandContext, 'db'> {
  search: SearchIndex;
}

export interface SearchDocsQuery {
  q: string;
  spaceId?: string | undefined;
  kind?: DocKind | undefined;
  author?: string | undefined;
  /** ms since the epoch */
  updatedSince?: number | undefined;
  limit: number;
}

/**
 * Full-text search over the documents the caller may read now. Read access is computed from the
 * database on every search (the access policy), so a membership change applies to the very next
 * query whatever the index holds; a space the caller may not read is a 404 like a missing one.
 * Every hit is then checked against the database again (never trashed, never outside the
 * caller's spaces), whatever the engine returned.
 */
export async function searchDocs(ctx: SearchDocsContext, user: UserRow, query: SearchDocsQuery): Promise<{ hits: SearchHit[]; total: number; engine: SearchIndex['engine'] }> {
  const readable = await readableSpaceIds(ctx.db, user);
  let spaceIds = readable;
  if (query.spaceId) {
    if (!readable.includes(query.spaceId)) throw notFound('Space');
    spaceIds = [query.spaceId];
  }
  const result = await ctx.search.search({
    q: query.q,
    spaceIds,
    kind: query.kind,
    authorId: query.author,
    updatedSince: query.updatedSince,
    limit: query.limit,
  });
  const ids = result.hits.map((h) => h.docId);
  const live = ids.length
    ? await ctx.db.select({ id: documents.id, spaceId: documents.spaceId }).from(documents).where(and(inArray(documents.id, ids), isNull(documents.trashedAt))).all()
    : [];
  const allowed = new Set(live.filter((d) => spaceIds.includes(d.spaceId)).map((d) => d.id));
  const hits = result.hits.filter((h) => allowed.has(h.docId));
  const dropped = result.hits.length - hits.length;
  return { hits, total: Math.max(hits.length, result.total - dropped), engine: ctx.search.engine };
}
