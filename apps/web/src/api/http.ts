// The one HTTP client of the web app: openapi-fetch typed by the contract (schema.gen.ts, generated
// from the API's OpenAPI document by `npm run gen:api`). Same-origin cookies, the CSRF header on
// every state-changing request, and one error type for every failure.

import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.gen.ts';

export const CSRF_COOKIE = 'handoff_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** The contract's error body, `{error: {code, message, details?}}`. */
type ErrorBody = components['schemas']['Error'];

/** Every failed call: the contract's error body, or a network failure (status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const csrfHeader: Middleware = {
  onRequest({ request }) {
    if (request.method === 'GET' || request.method === 'HEAD') return undefined;
    const token = readCookie(CSRF_COOKIE);
    if (token) request.headers.set(CSRF_HEADER, token);
    return request;
  },
};

/** Typed calls: `api.GET('/api/docs/{id}', { params: { path: { id } } })`; prefer `call(…)` to get the data. */
export const api = createClient<paths>({
  baseUrl: '', // same origin: the API serves the app
  credentials: 'same-origin',
  headers: { Accept: 'application/json' },
});
api.use(csrfHeader);

/** What openapi-fetch answers: the parsed body of a success (`data`) or of a failure (`error`). */
type Outcome = { data?: unknown; error?: unknown; response: Response };
/** The success body's type; void for the calls that answer 204. */
type DataOf<R extends Outcome> = [Exclude<R['data'], undefined>] extends [never] ? void : Exclude<R['data'], undefined>;

/**
 * Awaits one call and returns its data, or throws an ApiError: the contract's error body when the
 * server sent one, a made-up one from the status when it did not, status 0 when it was unreachable.
 * An aborted call rethrows the AbortError (callers that cancel ignore it).
 */
export async function call<R extends Outcome>(pending: Promise<R>): Promise<DataOf<R>> {
  let outcome: R;
  try {
    outcome = await pending;
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the Handoff server.', err);
  }
  if (outcome.response.ok) return outcome.data as DataOf<R>;
  throw toApiError(outcome.response, outcome.error);
}

function toApiError(res: Response, payload: unknown): ApiError {
  const error = isErrorBody(payload) ? payload.error : undefined;
  const code = error?.code ?? `http_${res.status}`;
  const message = error?.message ?? `The server answered ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, code, message, error?.details);
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { error } = value as { error?: unknown };
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string';
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

const enc = encodeURIComponent;

/** Addresses the browser opens itself (downloads, a new tab), not fetched by the app. */
export const apiUrls = {
  docExport: (id: string) => `/api/docs/${enc(id)}/export.md`,
  briefHtml: (id: string) => `/api/briefs/${enc(id)}.html`,
};
