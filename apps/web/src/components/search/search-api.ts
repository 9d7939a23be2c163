// `GET /api/search` (contract v1 plus the `author` and `updatedSince` extensions), with an
// AbortSignal so that the palette and the results page can cancel a query that went stale.
// Its own small fetch because the shared `request()` in api/client.ts takes no signal.

import { ApiError } from '../../api/client.ts';
import type { DocKind } from '../../api/types.ts';

export interface SearchHit {
  docId: string;
  title: string;
  /** HTML-escaped text; matched words in `<mark>…</mark>` (the only markup). Render with <Snippet>. */
  snippet: string;
  spaceId: string;
  kind: DocKind;
  updatedAt: string;
}

export interface SearchResponse {
  hits: SearchHit[];
  total: number;
  engine: 'sqlite' | 'meilisearch';
}

export interface SearchParams {
  q: string;
  spaceId?: string | undefined;
  kind?: DocKind | undefined;
  /** A user id: only documents this person has written a revision of. */
  author?: string | undefined;
  /** ISO time: only documents changed at or after it. */
  updatedSince?: string | undefined;
  limit?: number | undefined;
}

/** The API's bounds for `q` and `limit`. */
export const MAX_QUERY_LENGTH = 500;
export const MAX_LIMIT = 200;

export function searchQueryString(params: SearchParams): string {
  const query = new URLSearchParams({ q: params.q.trim().slice(0, MAX_QUERY_LENGTH) });
  if (params.spaceId) query.set('spaceId', params.spaceId);
  if (params.kind) query.set('kind', params.kind);
  if (params.author) query.set('author', params.author);
  if (params.updatedSince) query.set('updatedSince', params.updatedSince);
  if (params.limit) query.set('limit', String(Math.min(MAX_LIMIT, Math.max(1, Math.floor(params.limit)))));
  return query.toString();
}

/** Runs one search; rejects with an ApiError, or with the signal's AbortError when cancelled. */
export function searchDocs(params: SearchParams, signal?: AbortSignal): Promise<SearchResponse> {
  return searchByQueryString(searchQueryString(params), signal);
}

/** The same, given the query string that `searchQueryString` built. */
export async function searchByQueryString(queryString: string, signal?: AbortSignal): Promise<SearchResponse> {
  let res: Response;
  try {
    res = await fetch(`/api/search?${queryString}`, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the Handoff server.', err);
  }
  let payload: unknown;
  try {
    payload = await res.json();
  } catch (err) {
    if (signal?.aborted) throw err;
    payload = undefined;
  }
  if (!res.ok) {
    const error = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    throw new ApiError(
      res.status,
      typeof error?.code === 'string' ? error.code : `http_${res.status}`,
      typeof error?.message === 'string' ? error.message : `The server answered ${res.status}`,
      error?.details,
    );
  }
  if (!isSearchResponse(payload)) throw new ApiError(res.status, 'bad_response', 'The server sent an unexpected search answer.');
  return payload;
}

function isSearchResponse(value: unknown): value is SearchResponse {
  if (typeof value !== 'object' || value === null) return false;
  const { hits, total } = value as { hits?: unknown; total?: unknown };
  return Array.isArray(hits) && typeof total === 'number';
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
