// A small fetch wrapper for the Handoff API: JSON in and out, the session cookie, the CSRF header
// on state-changing requests, and one error type for every failure.

import type { AuthResult, Doc, DocSummary, SignupInput, Space, User } from './types.ts';

export const CSRF_COOKIE = 'handoff_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** Every failed call: the contract's `{error: {code, message, details?}}`, or a network failure (status 0). */
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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network_error', 'Could not reach the Handoff server.', err);
  }

  const payload = await readJson(res);
  if (!res.ok) throw toApiError(res, payload);
  return payload as T;
}

async function readJson(res: Response): Promise<unknown> {
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(res: Response, payload: unknown): ApiError {
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : `http_${res.status}`;
  const message =
    typeof error?.message === 'string' ? error.message : `The server answered ${res.status} ${res.statusText}`.trim();
  return new ApiError(res.status, code, message, error?.details);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The calls the web app makes, typed against the contract. */
export const api = {
  me: () => request<{ user: User }>('GET', '/api/me'),
  login: (email: string, password: string) => request<AuthResult>('POST', '/api/auth/login', { email, password }),
  signup: (input: SignupInput) => request<AuthResult>('POST', '/api/auth/signup', input),
  logout: () => request<void>('POST', '/api/auth/logout'),
  spaces: () => request<{ spaces: Space[] }>('GET', '/api/spaces'),
  docs: (spaceId: string, cursor?: string) => {
    const query = new URLSearchParams({ spaceId, limit: '200' });
    if (cursor) query.set('cursor', cursor);
    return request<{ docs: DocSummary[]; nextCursor: string | null }>('GET', `/api/docs?${query}`);
  },
  doc: (id: string) => request<{ doc: Doc }>('GET', `/api/docs/${encodeURIComponent(id)}`),
};
