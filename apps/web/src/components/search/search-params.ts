// The parameters of `GET /api/search` (contract v1 plus the `author` and `updatedSince`
// extensions), bounded the way the API bounds them, and their one canonical query string (the
// search's cache key, and what the results page compares to tell a new search from "load more").

import type { paths } from '../../api/schema.gen.ts';

type SearchQuery = paths['/api/search']['get']['parameters']['query'];

export interface SearchParams {
  q: string;
  spaceId?: string | undefined;
  kind?: SearchQuery['kind'] | undefined;
  /** A user id: only documents this person has written a revision of. */
  author?: string | undefined;
  /** ISO time: only documents changed at or after it. */
  updatedSince?: string | undefined;
  limit?: number | undefined;
}

/** The API's bounds for `q` and `limit`. */
export const MAX_QUERY_LENGTH = 500;
export const MAX_LIMIT = 200;

/** The query the API receives: trimmed, bounded, empty filters left out. */
export function searchQuery(params: SearchParams): SearchQuery {
  const query: SearchQuery = { q: params.q.trim().slice(0, MAX_QUERY_LENGTH) };
  if (params.spaceId) query.spaceId = params.spaceId;
  if (params.kind) query.kind = params.kind;
  if (params.author) query.author = params.author;
  if (params.updatedSince) query.updatedSince = params.updatedSince;
  if (params.limit) query.limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(params.limit)));
  return query;
}

/** The same as a query string, in a fixed order. */
export function searchQueryString(params: SearchParams): string {
  const query = searchQuery(params);
  const out = new URLSearchParams({ q: query.q });
  for (const name of ['spaceId', 'kind', 'author', 'updatedSince', 'limit'] as const) {
    const value = query[name];
    if (value !== undefined) out.set(name, String(value));
  }
  return out.toString();
}
