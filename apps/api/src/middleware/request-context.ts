import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv, Deps } from '../context.ts';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Puts the dependencies and a request id on the context and logs each request as one JSON line. */
export function requestContext(deps: Deps): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    // A caller's own id is kept only when it is a plain token: it ends up in logs and error messages.
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('auth', null);
    // Set before the response exists: changing headers afterwards would force @hono/node-server
    // off its lightweight Response fast path.
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    if (deps.log.isLevelEnabled('info')) {
      deps.log.info({
        msg: 'request',
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        userId: c.get('auth')?.user.id,
      });
    }
  };
}
