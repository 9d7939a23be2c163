import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { CollabLimits, Config } from '../config.ts';
import type { Clock, Timer } from '../domain/clock.ts';
import { clientIpFrom } from '../http/client-info.ts';
import { CloseCode, CollabSocket } from './session.ts';

export const DEFAULT_COLLAB_LIMITS: CollabLimits = {
  authTimeoutMs: 10_000,
  maxConnections: 1_000,
  maxConnectionsPerIp: 50,
  maxDocumentsPerConnection: 16,
  maxPreAuthBytes: 64 * 1024,
  maxInFlightBytes: 8 * 1024 * 1024,
  maxInFlightTotalBytes: 256 * 1024 * 1024,
};

/** Messages held for a socket before any of its documents authenticated. */
const MAX_PREAUTH_MESSAGES = 16;
/** How long a peer has to answer our close handshake before it is cut off. */
const CLOSE_GRACE_MS = 2000;

/** Why an upgrade was refused before the handshake: an HTTP status line and a short reason. */
export interface UpgradeRefusal {
  status: string;
  reason: string;
}

export interface ConnectionGate {
  /** Counts a new socket from `request` against the caps: its address, or why it is refused. */
  reserve(request: IncomingMessage): { ip: string } | UpgradeRefusal;
  /** Gives back a reservation whose handshake never completed. */
  unreserve(ip: string): void;
  /** A socket whose handshake completed (its reservation is now the socket's). */
  opened(ws: WebSocket, ip: string): CollabSocket;
  /** Forgets a socket that closed: its reservation and the bytes it had in flight. */
  closed(cs: CollabSocket): void;
  /** Counts a message before it is parsed; false when the socket has passed its pre-authentication bounds. */
  withinPreAuth(cs: CollabSocket, bytes: number): boolean;
  /** Bytes received and not yet forwarded; above the limits, the socket (or every socket) is not read. */
  hold(cs: CollabSocket, bytes: number): void;
  release(cs: CollabSocket, bytes: number): void;
  /** Closes `cs` unless one of its documents authenticates within the limit. */
  startAuthTimer(cs: CollabSocket, stillWaiting: () => boolean): void;
  stopAuthTimer(cs: CollabSocket): void;
  closeSocket(cs: CollabSocket, code: number, reason: string): void;
  readonly sockets: ReadonlySet<CollabSocket>;
  readonly inFlightBytes: number;
  /** Stops the keep-alive sweep. */
  stop(): void;
}

/**
 * Bounds on sockets before anything about them is known: sockets per address and in total are
 * capped at the upgrade; before one of its documents authenticates, a socket gets a few small
 * messages and `authTimeoutMs`; bytes in flight per socket and in total pause reading
 * (back-pressure) until they drain. A socket silent (no message, no pong) for twice `timeoutMs`
 * is terminated, unless it is paused by us.
 */
export function createConnectionGate(deps: { config: Pick<Config, 'trustedProxy'>; clock: Clock; limits: CollabLimits; timeoutMs: number }): ConnectionGate {
  const { clock, limits, timeoutMs } = deps;
  const sockets = new Set<CollabSocket>();
  const perIp = new Map<string, number>();
  const paused = new Set<CollabSocket>();
  let inFlightTotal = 0;

  function giveBack(ip: string) {
    const n = (perIp.get(ip) ?? 1) - 1;
    if (n > 0) perIp.set(ip, n);
    else perIp.delete(ip);
  }

  let sweep: Timer | null = null;
  function scheduleSweep() {
    sweep = clock
      .setTimeout(() => {
        const now = clock.now();
        for (const cs of sockets) if (!cs.paused && now - cs.lastSeen > 2 * timeoutMs) cs.ws.terminate();
        scheduleSweep();
      }, timeoutMs)
      .unref();
  }
  scheduleSweep();

  const gate: ConnectionGate = {
    sockets,
    get inFlightBytes() {
      return inFlightTotal;
    },

    reserve(request) {
      if (sockets.size >= limits.maxConnections) return { status: '503 Service Unavailable', reason: 'too many collaboration connections' };
      const ip = clientIpFrom(deps.config, request.socket.remoteAddress, request.headers['x-forwarded-for']);
      const mine = perIp.get(ip) ?? 0;
      if (mine >= limits.maxConnectionsPerIp) return { status: '429 Too Many Requests', reason: 'too many collaboration connections from this address' };
      perIp.set(ip, mine + 1);
      return { ip };
    },

    unreserve: giveBack,

    opened(ws, ip) {
      const cs = new CollabSocket(ws, ip, clock.now());
      sockets.add(cs);
      return cs;
    },

    closed(cs) {
      cs.closed = true;
      gate.stopAuthTimer(cs);
      if (!sockets.delete(cs)) return;
      paused.delete(cs);
      inFlightTotal -= cs.inFlight;
      cs.inFlight = 0;
      giveBack(cs.ip);
    },

    withinPreAuth(cs, bytes) {
      if (cs.authenticated) return true;
      cs.preAuthBytes += bytes;
      return ++cs.preAuthMessages <= MAX_PREAUTH_MESSAGES && cs.preAuthBytes <= limits.maxPreAuthBytes;
    },

    hold(cs, bytes) {
      cs.inFlight += bytes;
      inFlightTotal += bytes;
      if (!cs.paused && (cs.inFlight > limits.maxInFlightBytes || inFlightTotal > limits.maxInFlightTotalBytes)) {
        cs.paused = true;
        paused.add(cs);
        cs.ws.pause();
      }
    },

    release(cs, bytes) {
      if (cs.closed && !sockets.has(cs)) return; // already written off when it closed
      cs.inFlight -= bytes;
      inFlightTotal -= bytes;
      if (!paused.size || inFlightTotal > limits.maxInFlightTotalBytes) return;
      for (const p of paused) {
        if (p.inFlight <= limits.maxInFlightBytes / 2) {
          paused.delete(p);
          p.paused = false;
          if (!p.closed) p.ws.resume();
        }
      }
    },

    startAuthTimer(cs, stillWaiting) {
      if (cs.authTimer || cs.closed) return;
      cs.authTimer = clock
        .setTimeout(() => {
          cs.authTimer = null;
          if (stillWaiting()) gate.closeSocket(cs, CloseCode.AuthTimeout, `no document authenticated within ${limits.authTimeoutMs} ms`);
        }, limits.authTimeoutMs)
        .unref();
    },

    stopAuthTimer(cs) {
      clock.clearTimeout(cs.authTimer);
      cs.authTimer = null;
    },

    closeSocket(cs, code, reason) {
      if (cs.closed) return;
      cs.closed = true;
      try {
        cs.ws.close(code, reason.slice(0, 120));
      } catch {
        /* already closing */
      }
      // A peer that never answers the close handshake is cut off.
      clock.setTimeout(() => cs.ws.terminate(), CLOSE_GRACE_MS).unref();
    },

    stop() {
      clock.clearTimeout(sweep);
      sweep = null;
    },
  };
  return gate;
}

/** Refuses an upgrade before the WebSocket handshake (nothing is allocated for it). */
export function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal) {
  const { status, reason } = refusal;
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}
