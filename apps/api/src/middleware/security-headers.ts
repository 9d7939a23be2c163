import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { AppEnv } from '../context.ts';
import { isHttps } from '../http/client-info.ts';

/**
 * How a browser may use each response: the web app under a Content-Security-Policy that runs
 * scripts from its own origin only; API answers (JSON) may load nothing at all; nothing is framed
 * by another site (unless HANDOFF_FRAME_ANCESTORS names it), MIME-sniffed, or told our URLs when a
 * link leaves the site. HSTS only when the client came over HTTPS.
 *
 * Like Hono's `secureHeaders` in what it sends, but set with `c.header()` *before* the handler runs:
 * headers changed after the response exists force @hono/node-server off its lightweight Response
 * fast path (measurable on every request). A handler that needs a stricter policy sets its own
 * header, which replaces this one (the brief HTML does). Every handler answers through `c.*`,
 * so these headers reach every response.
 */
export function securityHeaders(config: Pick<Config, 'frameAncestors' | 'publicUrl' | 'trustedProxy' | 'secureCookies'>): MiddlewareHandler<AppEnv> {
  const frameAncestors = config.frameAncestors.join(' ');
  const frameOptions = frameAncestors === "'none'" ? 'DENY' : frameAncestors === "'self'" ? 'SAMEORIGIN' : null;
  const apiPolicy = `default-src 'none'; frame-ancestors ${frameAncestors}`;
  const publicHost = config.publicUrl ? safeHost(new URL(config.publicUrl).host) : null;
  const appPolicy = (host: string | null) =>
    [
      "default-src 'self'",
      "script-src 'self'",
      // React and Lexical set styles through the CSSOM (allowed), but some libraries still write
      // style attributes; styles cannot run code, scripts stay locked to our origin.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      // 'self' covers ws(s) to our host in CSP3 browsers; older ones need the WebSocket origin named.
      `connect-src 'self'${host ? ` ws://${host} wss://${host}` : ''}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${frameAncestors}`,
    ].join('; ');
  const defaultAppPolicy = appPolicy(publicHost);

  return async function securityHeadersMiddleware(c, next) {
    const api = c.req.path.startsWith('/api/');
    c.header('Content-Security-Policy', api ? apiPolicy : publicHost ? defaultAppPolicy : appPolicy(safeHost(c.req.header('host'))));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    if (frameOptions) c.header('X-Frame-Options', frameOptions);
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    if (isHttps(c)) c.header('Strict-Transport-Security', 'max-age=15552000');
    await next();
  };
}

/** A Host header fit to appear in a policy (a client could send anything), else null. */
function safeHost(host: string | undefined): string | null {
  if (!host || host.length > 255) return null;
  return /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(host) ? host.toLowerCase() : null;
}
