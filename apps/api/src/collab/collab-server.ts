import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hocuspocus, type Connection, type ConnectionConfiguration, type Document } from '@hocuspocus/server';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Deps } from '../context.ts';
import { createLiveRevisions, type LiveRevisions, type LiveRevisionTimings } from '../jobs/live-revisions.ts';
import { collabAccess, identify, Refused, resolveCredential, type CollabIdentity } from './collab-auth.ts';
import type { AccessChange } from './access-changes.ts';
import { isEmptyUpdate, parseClientMessage, type ClientMessage } from './protocol.ts';

export const COLLAB_PATH = '/api/collab';

/** WebSocket close codes this server uses (4xxx mirror HTTP statuses, as Hocuspocus does). */
export const CloseCode = {
  ShuttingDown: 1001,
  MessageTooBig: 1009, // sent by `ws` itself when a frame passes maxPayload
  Internal: 1011,
  Malformed: 4400,
  SignedOut: 4401,
  Forbidden: 4403,
  DocumentTooLarge: 4413,
  TooMany: 4429,
} as const;

export interface CollabOptions {
  /** Largest WebSocket message accepted (default 2 MB). */
  maxMessageBytes?: number;
  /** Largest encoded Y.Doc state an update may grow a document to (default 10 MB). */
  maxDocumentBytes?: number;
  /** When live edits become revisions (default: 2 min idle, at most every 10 min). */
  revisions?: Partial<LiveRevisionTimings>;
  /** Ping interval; a socket silent for twice this long is dropped (default 30 s). */
  timeoutMs?: number;
  /** How often every open connection's access is re-checked, for changes made elsewhere (default 60 s). */
  recheckEveryMs?: number;
}

export interface CollabStats {
  sockets: number;
  documents: number;
  connections: number;
}

export interface CollabServer {
  /** Takes an HTTP upgrade for COLLAB_PATH (returns false for any other path, leaving the socket alone). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every socket, writes the revisions of pending live edits, and stops. */
  closeAll(): Promise<void>;
  stats(): CollabStats;
  readonly liveRevisions: LiveRevisions;
}

type SessionState = 'new' | 'authenticating' | 'open' | 'refused' | 'closed';

interface Held {
  message: ClientMessage;
  data: Uint8Array;
}

/** One document on one socket (the protocol multiplexes documents over a socket). */
interface Session {
  readonly socket: CollabSocket;
  readonly docName: string;
  state: SessionState;
  held: Held[];
  heldBytes: number;
  dropped: number;
  /** Messages are handled strictly one after another, each only after the previous was stored. */
  chain: Promise<void>;
  identity?: CollabIdentity;
  spaceId?: string;
  readOnly: boolean;
  connection?: Connection;
}

/**
 * What Hocuspocus gets instead of the raw `ws` socket: the same surface (send, ping, close,
 * readyState, events), but `message` events come only from this server's gate, after a message
 * was parsed, authorized and — for document updates — stored.
 */
class GatedSocket extends EventEmitter {
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

class CollabSocket {
  readonly sessions = new Map<string, Session>();
  closed = false;
  lastSeen = Date.now();
  constructor(
    readonly ws: WebSocket,
    readonly gated: GatedSocket,
  ) {}
}

interface SocketContext {
  socket: CollabSocket;
}

/** The origin of updates that came through the REST API (already in the log: never stored again). */
const API_ORIGIN = { source: 'handoff-api' };
const LOAD_ORIGIN = { source: 'handoff-load' };

const MAX_SESSIONS_PER_SOCKET = 64;
const MAX_HELD_MESSAGES = 256;
const MAX_HELD_BYTES = 8 * 1024 * 1024;
const MAX_DROPPED = 1000;

function toBytes(raw: RawData): Uint8Array {
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
}

/**
 * The collaboration endpoint: Hocuspocus's protocol on `GET /api/collab`, the same port as the API.
 *
 * Durability before acknowledgement: Hocuspocus applies, broadcasts and acknowledges (SyncStatus)
 * an update in one step once it handles a message. So it never sees a raw socket: each message
 * first passes this server's gate, which parses it completely (malformed → that socket closes),
 * holds it until the document's connection is authenticated and loaded, and — for an update —
 * appends it to `doc_updates` with the sender's user id before handing it to Hocuspocus. Messages
 * of one document on one socket go through in order, each after the previous one was stored.
 */
export function createCollabServer(deps: Deps, options: CollabOptions = {}): CollabServer {
  const { docs, db, log } = deps;
  const maxMessageBytes = options.maxMessageBytes ?? 2 * 1024 * 1024;
  const maxDocumentBytes = options.maxDocumentBytes ?? 10 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;

  const sockets = new Set<CollabSocket>();
  /** Open sessions by document id. */
  const byDoc = new Map<string, Set<Session>>();
  /** An upper bound of each live document's encoded size (exact when it is recomputed). */
  const sizes = new WeakMap<Document, number>();
  let closing = false;

  const liveRevisions = createLiveRevisions({ snapshot: (docId) => docs.snapshot(docId), log, timings: options.revisions });

  class HandoffHocuspocus extends Hocuspocus {
    /** A document that fails to load refuses the connection (and nothing is ever stored for it). */
    override async createDocument(
      documentName: string,
      request: Partial<Pick<IncomingMessage, 'headers' | 'url'>>,
      socketId: string,
      connection: ConnectionConfiguration,
      context?: SocketContext,
    ): Promise<Document> {
      try {
        return await super.createDocument(documentName, request, socketId, connection, context);
      } catch (err) {
        // Hocuspocus answers the refusal (reason `load-failed`); then the socket closes, so the
        // provider retries later with its backoff.
        const session = context?.socket.sessions.get(documentName);
        if (session) setImmediate(() => refuse(session, CloseCode.Internal, 'the document could not be loaded'));
        throw err;
      }
    }
  }

  const hocuspocus = new HandoffHocuspocus({
    name: 'handoff',
    quiet: true,
    timeout: timeoutMs,
    unloadImmediately: true,

    async onAuthenticate({ token, documentName, requestHeaders, connectionConfig, context }) {
      const session = (context as SocketContext).socket.sessions.get(documentName);
      if (!session || session.state !== 'authenticating') throw Refused.unauthorized;
      try {
        const identity = await identify(deps, token, requestHeaders);
        if (!identity) throw Refused.unauthorized;
        const access = await collabAccess(deps, identity.user, documentName);
        if (!access) throw Refused.notFound;
        session.identity = identity;
        session.spaceId = access.spaceId;
        session.readOnly = access.role === 'viewer';
        connectionConfig.readOnly = session.readOnly;
      } catch (refusal) {
        refuse(session);
        throw refusal;
      }
    },

    async onLoadDocument({ documentName, document }) {
      let state: Uint8Array;
      try {
        state = await docs.loadState(db, documentName);
        if (state.byteLength) Y.applyUpdate(document, state, LOAD_ORIGIN);
      } catch (err) {
        log.error({ msg: 'collab: loading a document failed; refusing its connections', docId: documentName, err });
        throw { reason: 'load-failed' };
      }
      sizes.set(document, state.byteLength);
    },

    async connected({ documentName, context, connection }) {
      const session = (context as SocketContext).socket.sessions.get(documentName);
      if (!session || session.state !== 'authenticating') {
        connection.close({ code: CloseCode.Internal, reason: 'connection state lost' });
        return;
      }
      session.state = 'open';
      session.connection = connection;
      connection.onClose(() => sessionClosed(session));
      let open = byDoc.get(documentName);
      if (!open) byDoc.set(documentName, (open = new Set()));
      open.add(session);
      const held = session.held;
      session.held = [];
      session.heldBytes = 0;
      for (const h of held) enqueue(session, h.message, h.data);
    },
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });

  function closeSocket(cs: CollabSocket, code: number, reason: string) {
    if (cs.closed) return;
    cs.closed = true;
    try {
      cs.ws.close(code, reason.slice(0, 120));
    } catch {
      /* already closing */
    }
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => cs.ws.terminate(), 2000).unref();
  }

  /** Auth or load refused: drop what was held; close the socket if nothing else is open on it. */
  function refuse(session: Session, code?: number, reason?: string) {
    session.state = 'refused';
    session.held = [];
    session.heldBytes = 0;
    if (code !== undefined && !hasOtherOpen(session)) closeSocket(session.socket, code, reason ?? 'refused');
  }

  function hasOtherOpen(session: Session) {
    for (const other of session.socket.sessions.values()) if (other !== session && other.state === 'open') return true;
    return false;
  }

  /** Ends one document connection (the provider is told why); its socket too, if it carries nothing else. */
  function closeSession(session: Session, code: number, reason: string) {
    if (session.state !== 'open') return;
    session.state = 'closed';
    session.held = [];
    session.connection?.close({ code, reason });
    if (!hasOtherOpen(session)) closeSocket(session.socket, code, reason);
  }

  function sessionClosed(session: Session) {
    if (session.state === 'open') session.state = 'closed';
    const open = byDoc.get(session.docName);
    open?.delete(session);
    if (open && open.size === 0) byDoc.delete(session.docName);
    if (!hasWriter(session.docName)) liveRevisions.editorsLeft(session.docName);
  }

  function hasWriter(docName: string) {
    for (const s of byDoc.get(docName) ?? []) if (s.state === 'open' && !s.readOnly) return true;
    return false;
  }

  function setReadOnly(session: Session, readOnly: boolean) {
    if (session.readOnly === readOnly) return;
    session.readOnly = readOnly;
    if (session.connection) session.connection.readOnly = readOnly;
    if (readOnly && !hasWriter(session.docName)) liveRevisions.editorsLeft(session.docName);
  }

  function hold(session: Session, message: ClientMessage, data: Uint8Array) {
    if (session.held.length >= MAX_HELD_MESSAGES || session.heldBytes + data.byteLength > MAX_HELD_BYTES) {
      closeSocket(session.socket, CloseCode.TooMany, 'too many messages before authentication');
      return;
    }
    session.held.push({ message, data });
    session.heldBytes += data.byteLength;
  }

  function forward(session: Session, data: Uint8Array) {
    if (session.state === 'open' && !session.socket.closed) session.socket.gated.emit('message', data);
  }

  function enqueue(session: Session, message: ClientMessage, data: Uint8Array) {
    session.chain = session.chain
      .then(() => handle(session, message, data))
      .catch((err: unknown) => {
        log.error({ msg: 'collab: handling a message failed', docId: session.docName, err });
        closeSession(session, CloseCode.Internal, 'internal error');
      });
  }

  /** Whether `update` keeps the document under the size limit (recounting exactly when the bound says no). */
  function fits(document: Document, update: Uint8Array): boolean {
    const bound = sizes.get(document) ?? 0;
    if (bound + update.byteLength <= maxDocumentBytes) return true;
    const exact = Y.encodeStateAsUpdate(document).byteLength;
    sizes.set(document, exact);
    return exact + update.byteLength <= maxDocumentBytes;
  }

  /** One message of an open session: updates are stored first, then handed to Hocuspocus. */
  async function handle(session: Session, message: ClientMessage, data: Uint8Array) {
    if (session.state !== 'open' || !session.connection) return;
    if (message.kind === 'broadcast-stateless') return; // a server-side feature; clients may not fan out
    if (message.kind !== 'update') return forward(session, data);

    const document = session.connection.document;
    let update = message.update;
    // A sync step 2 repeats what the client has; only what the server lacks is new.
    const known = message.step2 && Y.snapshotContainsUpdate(Y.snapshot(document), update);
    if (known) return forward(session, data);
    if (session.readOnly) {
      closeSession(session, CloseCode.Forbidden, 'read-only: you may view this document but not edit it');
      return;
    }
    if (message.step2) update = Y.diffUpdate(update, Y.encodeStateVector(document));
    if (isEmptyUpdate(update)) return forward(session, data);
    if (!fits(document, update)) {
      closeSession(session, CloseCode.DocumentTooLarge, `document too large (limit ${maxDocumentBytes} bytes)`);
      return;
    }
    try {
      await docs.appendUpdate(session.docName, update, session.identity!.user.id);
    } catch (err) {
      log.error({ msg: 'collab: storing an update failed; the client keeps it and resends', docId: session.docName, err });
      closeSession(session, CloseCode.Internal, 'the change could not be saved');
      return;
    }
    sizes.set(document, (sizes.get(document) ?? 0) + update.byteLength);
    forward(session, data);
    liveRevisions.edited(session.docName);
  }

  function onMessage(cs: CollabSocket, raw: RawData, isBinary: boolean) {
    if (cs.closed) return;
    cs.lastSeen = Date.now();
    if (!isBinary) return closeSocket(cs, CloseCode.Malformed, 'malformed message: text frames are not part of the protocol');
    const data = toBytes(raw);
    let message: ClientMessage;
    try {
      message = parseClientMessage(data);
    } catch (err) {
      return closeSocket(cs, CloseCode.Malformed, `malformed message: ${err instanceof Error ? err.message : 'unreadable'}`);
    }
    let session = cs.sessions.get(message.docName);
    if (!session || session.state === 'closed') {
      if (!session && cs.sessions.size >= MAX_SESSIONS_PER_SOCKET) return closeSocket(cs, CloseCode.TooMany, 'too many documents on one socket');
      session = { socket: cs, docName: message.docName, state: 'new', held: [], heldBytes: 0, dropped: 0, chain: Promise.resolve(), readOnly: true };
      cs.sessions.set(message.docName, session);
    }
    switch (session.state) {
      case 'new':
        if (message.kind === 'auth') {
          session.state = 'authenticating';
          cs.gated.emit('message', data);
        } else {
          hold(session, message, data);
        }
        return;
      case 'authenticating':
        return hold(session, message, data);
      case 'refused':
        if (++session.dropped > MAX_DROPPED) closeSocket(cs, CloseCode.TooMany, 'too many messages for a refused document');
        return;
      case 'open':
        return enqueue(session, message, data);
    }
  }

  function onConnection(ws: WebSocket, request: IncomingMessage) {
    const gated = new GatedSocket(ws);
    const cs = new CollabSocket(ws, gated);
    sockets.add(cs);
    ws.on('message', (raw: RawData, isBinary: boolean) => onMessage(cs, raw, isBinary));
    ws.on('error', (err: Error) => log.debug({ msg: 'collab: socket error', err: err.message }));
    ws.on('pong', () => (cs.lastSeen = Date.now()));
    ws.on('close', () => {
      cs.closed = true;
      sockets.delete(cs);
      cs.sessions.clear();
    });
    hocuspocus.handleConnection(gated as unknown as WebSocket, request, { socket: cs } satisfies SocketContext);
  }

  /** Re-checks one open connection against the current permissions. */
  async function recheck(session: Session) {
    if (session.state !== 'open' || !session.identity) return;
    try {
      const user = await resolveCredential(deps, session.identity.credential);
      if (!user) return closeSession(session, CloseCode.SignedOut, 'signed out');
      const access = await collabAccess(deps, user, session.docName);
      if (!access) return closeSession(session, CloseCode.Forbidden, 'access revoked');
      session.identity.user = user;
      session.spaceId = access.spaceId;
      setReadOnly(session, access.role === 'viewer');
    } catch (err) {
      log.warn({ msg: 'collab: re-checking access failed', docId: session.docName, err });
    }
  }

  function affected(change: AccessChange): Session[] {
    const out: Session[] = [];
    for (const set of byDoc.values()) {
      for (const s of set) {
        if (change.kind === 'docs' || (change.kind === 'space' && s.spaceId === change.spaceId) || (change.kind === 'user' && s.identity?.user.id === change.userId)) {
          out.push(s);
        }
      }
    }
    return out;
  }

  const stopAccessWatch = deps.accessChanges.on((change) => {
    for (const s of affected(change)) void recheck(s);
  });

  // API changes reach live editors at once (their update is in the log already: never stored again).
  const stopUpdates = docs.onUpdate((docId, update) => {
    const apply = (document: Document) => {
      if (document.isDestroyed) return;
      Y.applyUpdate(document, update, API_ORIGIN);
      sizes.set(document, (sizes.get(document) ?? 0) + update.byteLength);
    };
    const live = hocuspocus.documents.get(docId);
    if (live) return apply(live);
    hocuspocus.loadingDocuments.get(docId)?.then(apply, () => undefined);
  });

  const housekeeping = setInterval(() => {
    const now = Date.now();
    for (const cs of sockets) if (now - cs.lastSeen > 2 * timeoutMs) cs.ws.terminate();
  }, timeoutMs).unref();
  const rechecks = setInterval(() => {
    for (const s of affected({ kind: 'docs' })) void recheck(s);
  }, options.recheckEveryMs ?? 60_000).unref();

  return {
    liveRevisions,
    handleUpgrade(request, socket, head) {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== COLLAB_PATH) return false;
      if (closing) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request));
      return true;
    },
    stats() {
      return { sockets: sockets.size, documents: hocuspocus.getDocumentsCount(), connections: hocuspocus.getConnectionsCount() };
    },
    async closeAll() {
      if (closing) return;
      closing = true;
      clearInterval(housekeeping);
      clearInterval(rechecks);
      stopAccessWatch();
      stopUpdates();
      for (const cs of sockets) closeSocket(cs, CloseCode.ShuttingDown, 'server shutting down');
      await liveRevisions.stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
