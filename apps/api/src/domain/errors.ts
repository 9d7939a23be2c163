/**
 * The one error type of the server. Commands, policies and the domain throw a DomainError with a
 * kind (what went wrong, in words of the domain) and a stable code; `app.ts` maps the kind to an
 * HTTP status in one place and answers the contract's error shape
 * `{"error": {"code", "message", "details"?}}`. Anything else thrown becomes a 500.
 */
export type ErrorKind =
  | 'invalid' // 400: the input is wrong
  | 'unauthenticated' // 401: log in first
  | 'forbidden' // 403: known caller, not allowed
  | 'not_found' // 404: absent, or not readable by the caller
  | 'conflict' // 409: the state does not allow it now
  | 'too_large' // 413
  | 'unsupported' // 415: wrong media type
  | 'unprocessable' // 422: well-formed but cannot be carried out
  | 'rate_limited' // 429: this caller is over a limit
  | 'unavailable'; // 503: the server as a whole is over a limit

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds after which a retry may succeed (rate_limited, unavailable). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (message: string, details?: unknown) => new DomainError('invalid', 'bad_request', message, details);
export const unauthorized = (message = 'Log in first.') => new DomainError('unauthenticated', 'unauthorized', message);
export const forbidden = (message = 'You are not allowed to do that.', code = 'forbidden') => new DomainError('forbidden', code, message);
export const notFound = (what = 'That') => new DomainError('not_found', 'not_found', `${what} was not found.`);
export const conflict = (message: string, details?: unknown, code = 'conflict') => new DomainError('conflict', code, message, details);
export const unprocessable = (message: string, details?: unknown) => new DomainError('unprocessable', 'unprocessable', message, details);
export const tooLarge = (message: string) => new DomainError('too_large', 'payload_too_large', message);
export const rateLimited = (message: string, retryAfterSeconds: number, details?: unknown) =>
  new DomainError('rate_limited', 'rate_limited', message, details, retryAfterSeconds);
export const unavailable = (message: string, retryAfterSeconds: number, details?: unknown) =>
  new DomainError('unavailable', 'unavailable', message, details, retryAfterSeconds);

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
