import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error type of the API. Anything thrown that is not an ApiError becomes a 500 with a
 * generic message (and is logged); an ApiError becomes the contract's error shape
 * `{"error": {"code", "message", "details"?}}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'bad_request', message, details);
export const unauthorized = (message = 'Log in first.') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do that.') => new ApiError(403, 'forbidden', message);
export const notFound = (what = 'That') => new ApiError(404, 'not_found', `${what} was not found.`);
export const conflict = (message: string, details?: unknown) => new ApiError(409, 'conflict', message, details);
export const unprocessable = (message: string, details?: unknown) =>
  new ApiError(422, 'unprocessable', message, details);
export const tooLarge = (message: string) => new ApiError(413, 'payload_too_large', message);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
