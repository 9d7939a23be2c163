import { EventEmitter } from 'node:events';
import type { Connection } from '@hocuspocus/server';
import type { WebSocket } from 'ws';
import type { Timer } from '../domain/clock.ts';
import type { CollabIdentity } from './collab-auth.ts';
import type { ClientMessage } from './protocol.ts';

/** WebSocket close codes this server uses (4xxx mirror HTTP statuses, as Hocuspocus does). */
export const CloseCode = {
  ShuttingDown: 1001,
  MessageTooBig: 1009, // sent by `ws` itself when a frame passes maxPayload
  Internal: 1011,
  Malformed: 4400,
  SignedOut: 4401,
  Forbidden: 4403,
  AuthTimeout: 4408,
  DocumentTooLarge: 4413,
  /** An update whose result the shared node set cannot load (not stored, not acknowledged). */
  InvalidContent: 4422,
  TooMany: 4429,
} as const;

export type SessionState = 'new' | 'authenticating' | 'open' | 'refused' | 'closed';

export interface Held {
  message: ClientMessage;
  data: Uint8Array;
}

/** One document on one socket (the protocol multiplexes documents over a socket). */
export interface Session {
  readonly socket: CollabSocket;
  readonly docName: string;
  state: SessionState;
  held: Held[];
  dropped: number;
  /** Messages reach Hocuspocus strictly in order, each only after the previous one (and its update) was stored. */
  chain: Promise<void>;
  identity?: CollabIdentity;
  spaceId?: string;
  readOnly: boolean;
  connection?: Connection;
  /** The awareness client ids this connection speaks for. */
  clientIds: Set<number>;
}

export function newSession(socket: CollabSocket, docName: string): Session {
  return { socket, docName, state: 'new', held: [], dropped: 0, chain: Promise.resolve(), readOnly: true, clientIds: new Set() };
}

/**
 * What Hocuspocus gets instead of the raw `ws` socket: the same surface (send, ping, close,
 * readyState, events), but `message` events come only from this server's gate, after a message
 * was parsed, authorized and — for document updates — stored.
 *
 * Hocuspocus 3's public `handleConnection(ws, request, context)` takes any object shaped like a
 * `ws` WebSocket; it has no hook that runs *before* it applies and acknowledges an update, so this
 * stand-in is how durability-before-acknowledgement is kept without patching Hocuspocus.
 */
export class GatedSocket extends EventEmitter {
  constructor(readonly ws: WebSocket) {
    super();
    ws.on('pong', () => this.emit('pong'));
    ws.on('close', (code: number, reason: Buffer) => this.emit('close', code, reason));
  }
  get readyState() {
    return this.ws.readyState;
  }
  get binaryType() {
    return this.ws.binaryType;
  }
  set binaryType(value: WebSocket['binaryType']) {
    this.ws.binaryType = value;
  }
  send(data: Uint8Array, cb?: (err?: Error) => void) {
    this.ws.send(data, cb);
  }
  ping() {
    this.ws.ping();
  }
  close(code?: number, reason?: string) {
    this.ws.close(code, reason);
  }
}

/** One WebSocket and the document sessions it carries. */
export class CollabSocket {
  readonly sessions = new Map<string, Session>();
  readonly gated: GatedSocket;
  closed = false;
  lastSeen: number;
  /** Some document on this socket authenticated once; before that, only a few bytes are held. */
  authenticated = false;
  preAuthBytes = 0;
  preAuthMessages = 0;
  /** Bytes received and not yet forwarded (or dropped). */
  inFlight = 0;
  paused = false;
  authTimer: Timer | null = null;
  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    now: number,
  ) {
    this.gated = new GatedSocket(ws);
    this.lastSeen = now;
  }

  hasOpenSession(): boolean {
    for (const s of this.sessions.values()) if (s.state === 'open') return true;
    return false;
  }

  /** Whether a session other than `session` is open on this socket. */
  hasOtherOpen(session: Session): boolean {
    for (const other of this.sessions.values()) if (other !== session && other.state === 'open') return true;
    return false;
  }
}

/** What Hocuspocus carries as each connection's context: the socket its messages came through. */
export interface SocketContext {
  socket: CollabSocket;
}
