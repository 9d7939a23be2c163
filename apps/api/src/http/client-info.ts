import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { Config } from '../config.ts';

/**
 * Who is on the other end of a request: the client's address and whether it reached us over HTTPS.
 * Shared by the HTTP middleware and routes and by the collaboration upgrade (which is why it lives
 * under http/, not middleware/: collab/ must not depend on the HTTP middleware).
 * Forwarded headers (`X-Forwarded-For`, `X-Forwarded-Proto`) are believed only when the socket's
 * peer is a configured trusted proxy (`config.trustedProxy`, HANDOFF_TRUSTED_PROXY); anyone else
 * could write them.
 */

const MAX_FORWARDED_HOPS = 32;
const blockLists = new WeakMap<readonly string[], BlockList>();

function blockList(entries: readonly string[]): BlockList {
  let list = blockLists.get(entries);
  if (!list) {
    list = new BlockList();
    for (const entry of entries) {
      if (entry === 'loopback') {
        list.addSubnet('127.0.0.0', 8, 'ipv4');
        list.addAddress('::1', 'ipv6');
        continue;
      }
      const [ip = '', bits] = entry.split('/');
      const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(ip, type);
      else list.addSubnet(ip, Number(bits), type);
    }
    blockLists.set(entries, list);
  }
  return list;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`; anything that is not an IP → undefined. */
export function normalizeIp(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const a = address.trim().toLowerCase();
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  if (isIP(v4) === 4) return v4;
  return isIP(a) === 6 ? a : undefined;
}

/** Whether `address` (a socket's remote address) is one of the configured trusted proxies. */
export function isTrustedProxy(config: Pick<Config, 'trustedProxy'>, address: string | undefined): boolean {
  if (config.trustedProxy.length === 0) return false;
  const ip = normalizeIp(address);
  if (!ip) return false;
  return blockList(config.trustedProxy).check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

interface ClientInfoEnv {
  Variables: { deps: { config: Pick<Config, 'trustedProxy' | 'secureCookies'> } };
}

/** The socket's remote address (undefined in `app.request()` tests that pass no Node request). */
function peerAddress(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/**
 * The client's IP address: the socket's peer, or — when the peer is a trusted proxy — the nearest
 * address in `X-Forwarded-For` that is not itself a trusted proxy (read right to left, so a client
 * cannot choose its own address by sending the header). `unknown` when there is no socket.
 */
export function clientIp<E extends ClientInfoEnv>(c: Context<E>): string {
  return clientIpFrom(c.get('deps').config, peerAddress(c), c.req.header('x-forwarded-for'));
}

/**
 * The same choice from a socket's peer address and the `X-Forwarded-For` header(s), for callers
 * that hold a Node request rather than a Hono context (the collaboration upgrade).
 */
export function clientIpFrom(config: Pick<Config, 'trustedProxy'>, peerAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
  const peer = normalizeIp(peerAddress);
  if (!peer) return 'unknown';
  if (!isTrustedProxy(config, peer)) return peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = header.split(',').slice(-MAX_FORWARDED_HOPS);
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (!hop) break; // garbage: nothing further left can be believed
    nearest = hop;
    if (!isTrustedProxy(config, hop)) break;
  }
  return nearest;
}

/**
 * Whether the client reached us over HTTPS: TLS on our own socket, or `X-Forwarded-Proto: https`
 * set by a trusted proxy (its first value: the protocol the client-facing proxy saw).
 */
export function isHttps<E extends ClientInfoEnv>(c: Context<E>): boolean {
  if (c.req.url.startsWith('https:')) return true;
  if (!isTrustedProxy(c.get('deps').config, peerAddress(c))) return false;
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}

/** Whether cookies set on this response must be `Secure`: configured so, or the request came over HTTPS. */
export function secureCookies<E extends ClientInfoEnv>(c: Context<E>): boolean {
  return c.get('deps').config.secureCookies || isHttps(c);
}
