import type { Server as HttpServer, ServerOptions } from 'node:http';
import type { HttpLimits } from './config.ts';
import type { Logger } from './logger.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { isTrustedProxy, normalizeIp } from './http/client-info.ts';

/**
 * Limits of the HTTP server against slow and idle sockets (issue 8, item 13). Node checks the
 * headers and request timeouts every `checkIntervalMs` and answers 408; a WebSocket is no longer
 * an HTTP request once upgraded, so neither timeout touches it (the collaboration server has its
 * own limits for sockets).
 */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    // Node refuses a headers timeout above the request timeout.
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

/** Caps connections in total and per address (trusted proxies are exempt: everyone comes through them). */
export function limitConnections(server: HttpServer, limits: HttpLimits, trust: { trustedProxy: string[] }, log: Logger, clock: Pick<Clock, 'now'> = systemClock): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxConnections = limits.maxConnections;
  const open = new Map<string, number>();
  const lastWarned = new Map<string, number>();
  server.on('connection', function limitPerAddress(socket) {
    const ip = normalizeIp(socket.remoteAddress) ?? 'unknown';
    if (isTrustedProxy(trust, ip)) return;
    const n = (open.get(ip) ?? 0) + 1;
    if (n > limits.maxConnectionsPerIp) {
      socket.destroy();
      const now = clock.now();
      if (now - (lastWarned.get(ip) ?? 0) > 10_000) {
        lastWarned.set(ip, now);
        if (lastWarned.size > 10_000) lastWarned.clear();
        log.warn({ msg: 'too many connections from one address; refusing more', ip, limit: limits.maxConnectionsPerIp });
      }
      return;
    }
    open.set(ip, n);
    socket.once('close', () => {
      const left = (open.get(ip) ?? 1) - 1;
      if (left > 0) open.set(ip, left);
      else open.delete(ip);
    });
  });
}
