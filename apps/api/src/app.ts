import { HTTPException } from 'hono/http-exception';
import { bodyLimit } from 'hono/body-limit';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, errorBody, unauthorized, type ErrorKind } from './domain/errors.ts';
import type { AppEnv, Deps } from './context.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { authenticate } from './middleware/auth.ts';
import { router } from './routes/openapi.ts';
import { authRoutes } from './routes/auth.ts';
import { userRoutes } from './routes/users.ts';
import { inviteRoutes } from './routes/invites.ts';
import { spaceRoutes } from './routes/spaces.ts';
import { docRoutes } from './routes/docs.ts';
import { importRoutes } from './routes/import.ts';
import { healthRoutes } from './routes/health.ts';
import { searchRoutes } from './routes/search.ts';
import { briefRoutes } from './routes/briefs.ts';
import { threadRoutes } from './routes/threads.ts';
import { deliveryRoutes, unsubscribeRoutes } from './routes/delivery.ts';
import { handoffRoutes } from './routes/handoffs.ts';

export type { Deps } from './context.ts';

const statusCodes: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
};

/** The one place a domain error becomes an HTTP status. */
const statusOfKind: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof DomainError) {
    if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(errorBody(err.code, err.message, err.details), statusOfKind[err.kind]);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const malformed = /malformed json/i.test(err.message);
    const code = malformed ? 'malformed_json' : (statusCodes[err.status] ?? 'bad_request');
    const message = malformed ? 'The request body is not valid JSON.' : err.message || 'The request could not be handled.';
    return c.json(errorBody(code, message), err.status as ContentfulStatusCode);
  }
  const requestId = c.get('requestId') ?? 'unknown';
  c.get('deps')?.log.error({ msg: 'unhandled error', requestId, method: c.req.method, path: c.req.path, err });
  return c.json(errorBody('internal', internalErrorMessage(c.req.method, requestId), { requestId }), 500);
}

/**
 * What a 500 can truthfully say. A failed write may or may not have been committed before the
 * error (the handler cannot know), so it never promises that nothing was lost.
 */
export function internalErrorMessage(method: string, requestId: string): string {
  const reads = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  return reads
    ? `Something went wrong on our side (request id ${requestId}). Please try again in a moment.`
    : `Something went wrong on our side (request id ${requestId}). The change may not have been saved; reload before trying again.`;
}

/** The OpenAPI document's header, served at `/api/openapi.json` (and printed by `scripts/print-openapi.ts`). */
export const openApiDocumentConfig = {
  openapi: '3.1.0',
  info: { title: 'Handoff API', version: '1.0.0', description: 'The HTTP contract of Handoff (see shared/API.md).' },
};

/** Wires the route modules into one app. `index.ts` serves it; tests call `app.request(...)`. */
export function createApp(deps: Deps) {
  const app = router();
  app.use('*', requestContext(deps));
  app.use('*', securityHeaders(deps.config));
  const tooLarge = (c: Context<AppEnv>) => c.json(errorBody('payload_too_large', 'The request body is too large.'), 413);
  const jsonLimit = bodyLimit({ maxSize: deps.config.limits.bodyBytes, onError: tooLarge });
  const importLimit = bodyLimit({ maxSize: deps.config.limits.importBytes, onError: tooLarge });
  app.use('/api/*', function limitBodies(c, next) {
    // Reads carry no body; skipping them also keeps the raw Request unmaterialized (fast path).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return c.req.path.startsWith('/api/import/') ? importLimit(c, next) : jsonLimit(c, next);
  });
  // One-click unsubscribe links in e-mails: public, answered before authentication (and so before
  // any CSRF check: a mail client POSTs with neither a session nor a token).
  app.route('/', unsubscribeRoutes);
  app.use('/api/*', authenticate());
  // Everything but these needs a signed-in caller; checked before any input validation so that
  // anonymous callers learn nothing about an endpoint's parameters.
  const publicPaths = new Set(['/api/auth/signup', '/api/auth/login', '/api/health', '/api/openapi.json']);
  app.use('/api/*', async function requireSignedIn(c, next) {
    if (!c.get('auth') && !publicPaths.has(c.req.path)) throw unauthorized();
    await next();
  });

  app.route('/', healthRoutes);
  app.route('/', authRoutes);
  app.route('/', userRoutes);
  app.route('/', deliveryRoutes);
  app.route('/', inviteRoutes);
  app.route('/', spaceRoutes);
  app.route('/', docRoutes);
  app.route('/', importRoutes);
  app.route('/', searchRoutes);
  app.route('/', briefRoutes);
  app.route('/', threadRoutes);
  app.route('/', handoffRoutes);

  app.doc31('/api/openapi.json', openApiDocumentConfig);
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
