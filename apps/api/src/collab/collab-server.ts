import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Connection, Hocuspocus, type ConnectionConfiguration, type Document } from '@hocuspocus/server';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as Y from 'yjs';
import type { CollabLimits } from '../config.ts';
import type { Deps } from '../context.ts';
import { createLiveRevisions, type LiveRevisions, type LiveRevisionTimings } from '../jobs/live-revisions.ts';
import { isTrustedProxy, normalizeIp } from '../middleware/client-info.ts';
import { collabAccess, identify, Refused, resolveCredential, type CollabIdentity } from './collab-auth.ts';
import { accessScopeOf, type AccessScope } from '../domain/events.ts';
import { createGroupCommit } from './group-commit.ts';
import { applyRemoteUpdate, openHeadlessDoc, reportSkippedNodes, type HeadlessDoc } from './headless.ts';
import { presenceOf } from './presence.ts';
import { encodeAwarenessMessage, isEmptyUpdate, parseClientMessage, type ClientMessage } from './protocol.ts';

export const COLLAB_PATH = '/api/collab';

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
  /** Overrides of the connection and buffering limits (default: `config.limits.collab`). */
  limits?: Partial<CollabLimits>;
}

export interface CollabStats {
  sockets: number;
  documents: number;
  connections: number;
  /** Bytes received and not yet stored and forwarded (held before authentication included). */
  inFlightBytes: number;
  /** Live updates appended to the log, and in how many writes (group commit). */
  appended: { updates: number; writes: number };
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
  /** Some document on this socket authenticated once; before that, only a few bytes are held. */
  authenticated = false;
  preAuthBytes = 0;
  preAuthMessages = 0;
  /** Bytes received and not yet forwarded (or dropped). */
  inFlight = 0;
  paused = false;
  authTimer: NodeJS.Timeout | null = null;
  constructor(
    readonly ws: WebSocket,
    readonly gated: GatedSocket,
    readonly ip: string,
  ) {}
}

/** A live document's content check: a headless editor holding everything accepted so far. */
interface ContentCheck {
  h: HeadlessDoc | null;
  /** Accepted updates not yet applied to the live document (to rebuild the check from). */
  pending: Set<Uint8Array>;
}

interface SocketContext {
  socket: CollabSocket;
}

/** The origin of updates that came through the REST API (already in the log: never stored again). */
const API_ORIGIN = { source: 'handoff-api' };
const LOAD_ORIGIN = { source: 'handoff-load' };

const MAX_HELD_MESSAGES = 256;
const MAX_DROPPED = 1000;
/** Awareness client ids one connection may speak for (a provider uses one). */
const MAX_CLIENT_IDS = 4;

/** The client's address: the socket's peer, or behind a trusted proxy the nearest untrusted `X-Forwarded-For` hop. */
function clientIpOf(request: IncomingMessage, config: Deps['config']): string {
  const peer = normalizeIp(request.socket.remoteAddress);
  if (!peer) return 'unknown';
  if (!isTrustedProxy(config, peer)) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').slice(-32);
  let nearest = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]);
    if (!hop) break;
    nearest = hop;
    if (!isTrustedProxy(config, hop)) break;
  }
  return nearest;
}

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
 * checks that the shared node set can load the result (a headless editor per live document that
 * has every accepted update), then appends it to `doc_updates` with the sender's user id (group
 * commit: updates arriving while a write is in flight are written together next) before handing
 * it to Hocuspocus. Messages of one document on one socket reach Hocuspocus in order, each after
 * the previous one was stored; presence (awareness) carries the authenticated person's name.
 *
 * Bounded before authentication: a socket holds at most `maxPreAuthBytes` (and 16 messages) until
 * one of its documents authenticates, opens at most `maxDocumentsPerConnection` documents, and is
 * closed when none authenticated within `authTimeoutMs`; sockets per address and in total are
 * capped at the upgrade; bytes in flight per socket and in total pause reading (back-pressure).
 */
export function createCollabServer(deps: Deps, options: CollabOptions = {}): CollabServer {
  const { docs, db, log } = deps;
  const maxMessageBytes = options.maxMessageBytes ?? 2 * 1024 * 1024;
  const maxDocumentBytes = options.maxDocumentBytes ?? 10 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limits: CollabLimits = { ...DEFAULT_COLLAB_LIMITS, ...deps.config.limits?.collab, ...options.limits };

  const sockets = new Set<CollabSocket>();
  const perIp = new Map<string, number>();
  /** Open sessions by document id. */
  const byDoc = new Map<string, Set<Session>>();
  /** Who speaks for each awareness client id, per document. */
  const clientOwners = new Map<string, Map<number, Session>>();
  /** An upper bound of each live document's encoded size (exact when it is recomputed). */
  const sizes = new WeakMap<Document, number>();
  const checks = new WeakMap<Document, ContentCheck>();
  let inFlightTotal = 0;
  const paused = new Set<CollabSocket>();
  let closing = false;
  const appended = { updates: 0, writes: 0 };

  reportSkippedNodes((skipped) => log.warn({ msg: 'a stored document body has nodes the editor cannot load; they were skipped', skipped }));

  const liveRevisions = createLiveRevisions({ snapshot: (docId) => docs.snapshot(docId), log, timings: options.revisions });
  const commits = createGroupCommit(async (entries) => {
    await docs.appendUpdates(entries);
    appended.updates += entries.length;
    appended.writes++;
  });

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
        session.readOnly = access.role === 'viewer' || !identity.writable;
        connectionConfig.readOnly = session.readOnly;
        if (identity.expiresAt !== null) scheduleExpiry(session, identity.expiresAt);
      } catch (refusal) {
        refuse(session);
        throw refusal;
      }
    },

    async onLoadDocument({ documentName, document }) {
      let state: Uint8Array;
      let check: HeadlessDoc;
      try {
        state = await docs.loadState(db, documentName);
        if (state.byteLength) Y.applyUpdate(document, state, LOAD_ORIGIN);
        // The content check starts from the stored body; nodes the editor cannot load (stored
        // before this check existed) are deleted from it — and from the document, durably.
        check = openHeadlessDoc(state);
        if (check.skipped.length) {
          const heal = Y.encodeStateAsUpdate(check.doc, Y.encodeStateVector(document));
          await docs.appendUpdate(documentName, heal, null);
          Y.applyUpdate(document, heal, LOAD_ORIGIN);
          log.warn({ msg: 'collab: removed nodes the editor cannot load from a stored document', docId: documentName, skipped: check.skipped });
        }
      } catch (err) {
        log.error({ msg: 'collab: loading a document failed; refusing its connections', docId: documentName, err });
        throw { reason: 'load-failed' };
      }
      sizes.set(document, state.byteLength);
      const entry: ContentCheck = { h: check, pending: new Set() };
      checks.set(document, entry);
      // Whatever reaches the live document (REST edits, accepted updates) reaches the check too.
      document.on('update', (update: Uint8Array, origin: unknown) => {
        // A client connection's update passed this gate, so the check has it already.
        if (!entry.h || origin instanceof Connection) return;
        try {
          applyRemoteUpdate(entry.h, update);
        } catch {
          dropCheck(entry);
        }
      });
      document.on('destroy', () => dropCheck(entry));
    },

    async connected({ documentName, context, connection }) {
      const session = (context as SocketContext).socket.sessions.get(documentName);
      if (!session || session.state !== 'authenticating') {
        connection.close({ code: CloseCode.Internal, reason: 'connection state lost' });
        return;
      }
      const cs = session.socket;
      session.state = 'open';
      session.connection = connection;
      cs.authenticated = true;
      if (cs.authTimer) clearTimeout(cs.authTimer);
      cs.authTimer = null;
      connection.onClose(() => sessionClosed(session));
      let open = byDoc.get(documentName);
      if (!open) byDoc.set(documentName, (open = new Set()));
      open.add(session);
      const held = session.held;
      session.held = [];
      for (const h of held) {
        release(cs, h.data.byteLength);
        accept(session, h.message, h.data);
      }
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

  // ---- bytes in flight: counted per socket and in total; above the limits, sockets are not read ----

  function hold(cs: CollabSocket, bytes: number) {
    cs.inFlight += bytes;
    inFlightTotal += bytes;
    if (!cs.paused && (cs.inFlight > limits.maxInFlightBytes || inFlightTotal > limits.maxInFlightTotalBytes)) {
      cs.paused = true;
      paused.add(cs);
      cs.ws.pause();
    }
  }

  function release(cs: CollabSocket, bytes: number) {
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
  }

  function startAuthTimer(cs: CollabSocket) {
    if (cs.authTimer || cs.closed) return;
    cs.authTimer = setTimeout(() => {
      cs.authTimer = null;
      if (!hasOpenSession(cs)) closeSocket(cs, CloseCode.AuthTimeout, `no document authenticated within ${limits.authTimeoutMs} ms`);
    }, limits.authTimeoutMs);
    cs.authTimer.unref();
  }

  function hasOpenSession(cs: CollabSocket) {
    for (const s of cs.sessions.values()) if (s.state === 'open') return true;
    return false;
  }

  /** Auth or load refused: drop what was held; close the socket if nothing else is open on it. */
  function refuse(session: Session, code?: number, reason?: string) {
    session.state = 'refused';
    dropHeld(session);
    if (code !== undefined && !hasOtherOpen(session)) closeSocket(session.socket, code, reason ?? 'refused');
  }

  function dropHeld(session: Session) {
    for (const h of session.held) release(session.socket, h.data.byteLength);
    session.held = [];
  }

  function hasOtherOpen(session: Session) {
    for (const other of session.socket.sessions.values()) if (other !== session && other.state === 'open') return true;
    return false;
  }

  /** Ends one document connection (the provider is told why); its socket too, if it carries nothing else. */
  function closeSession(session: Session, code: number, reason: string) {
    if (session.state !== 'open') return;
    session.state = 'closed';
    dropHeld(session);
    session.connection?.close({ code, reason });
    if (!hasOtherOpen(session)) closeSocket(session.socket, code, reason);
  }

  function sessionClosed(session: Session) {
    if (session.state === 'open') session.state = 'closed';
    const open = byDoc.get(session.docName);
    open?.delete(session);
    if (open && open.size === 0) byDoc.delete(session.docName);
    const owners = clientOwners.get(session.docName);
    for (const id of session.clientIds) if (owners?.get(id) === session) owners.delete(id);
    if (owners && owners.size === 0) clientOwners.delete(session.docName);
    if (!hasWriter(session.docName)) liveRevisions.editorsLeft(session.docName);
    const cs = session.socket;
    if (!cs.closed && !hasOpenSession(cs)) startAuthTimer(cs);
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

  /** A message of a document whose connection is not open yet: held, within small fixed bounds before authentication. */
  function holdMessage(session: Session, message: ClientMessage, data: Uint8Array) {
    const cs = session.socket;
    // (Before the socket authenticated, onMessage bounded these already.)
    if (cs.authenticated && session.held.length >= MAX_HELD_MESSAGES) {
      closeSocket(cs, CloseCode.TooMany, 'too many messages before authentication');
      return;
    }
    session.held.push({ message, data });
    hold(cs, data.byteLength);
  }

  function forward(session: Session, data: Uint8Array) {
    if (session.state === 'open' && !session.socket.closed) session.socket.gated.emit('message', data);
  }

  // ---- the content check ----

  function dropCheck(entry: ContentCheck) {
    entry.h?.dispose();
    entry.h = null;
  }

  /** The check of `document`, rebuilt (live state + accepted, not yet applied updates) after it was dropped. */
  function checkOf(document: Document): ContentCheck {
    let entry = checks.get(document);
    if (!entry) checks.set(document, (entry = { h: null, pending: new Set() }));
    if (!entry.h) {
      const parts = [Y.encodeStateAsUpdate(document), ...entry.pending];
      entry.h = openHeadlessDoc(parts.length === 1 ? parts[0] : Y.mergeUpdates(parts));
    }
    return entry;
  }

  /** Whether the node set can load the document with `update` applied (which the check then holds). */
  function loadable(entry: ContentCheck, update: Uint8Array): boolean {
    const h = entry.h!;
    try {
      applyRemoteUpdate(h, update);
    } catch {
      dropCheck(entry);
      return false;
    }
    // Structs that wait for changes the server does not have could be anything once they apply.
    if (h.doc.store.pendingStructs !== null) {
      dropCheck(entry);
      return false;
    }
    return true;
  }

  /** Whether `update` keeps the document under the size limit (recounting exactly when the bound says no). */
  function fits(document: Document, update: Uint8Array): boolean {
    const bound = sizes.get(document) ?? 0;
    if (bound + update.byteLength <= maxDocumentBytes) return true;
    const exact = Y.encodeStateAsUpdate(document).byteLength;
    sizes.set(document, exact);
    return exact + update.byteLength <= maxDocumentBytes;
  }

  /**
   * One message of an open session, decided at once (in arrival order) and forwarded to Hocuspocus
   * in order once `ready`: an update when it is stored, anything else when everything before it is.
   */
  function accept(session: Session, message: ClientMessage, data: Uint8Array) {
    if (session.state !== 'open' || !session.connection) return;
    let ready: Promise<void> | null = null;
    let out = data;
    let stored: { update: Uint8Array; entry: ContentCheck; document: Document } | null = null;
    switch (message.kind) {
      case 'broadcast-stateless':
        return; // a server-side feature; clients may not fan out
      case 'awareness': {
        const states = presenceOf(session, message.states, clientOwnersOf(session.docName), MAX_CLIENT_IDS);
        if (!states.length) return;
        out = encodeAwarenessMessage(session.docName, states);
        break;
      }
      case 'update': {
        const document = session.connection.document;
        const entry = checkOf(document);
        let update = message.update;
        // A sync step 2 repeats what the client has; only what the server lacks is new. Known
        // content may still be on its way to the log: it is forwarded after everything before it.
        if (message.step2 && Y.snapshotContainsUpdate(Y.snapshot(entry.h!.doc), update)) {
          ready = commits.barrier();
          break;
        }
        if (session.readOnly) {
          closeSession(session, CloseCode.Forbidden, 'read-only: you may view this document but not edit it');
          return;
        }
        if (message.step2) update = Y.diffUpdate(update, Y.encodeStateVector(entry.h!.doc));
        if (isEmptyUpdate(update)) {
          ready = commits.barrier();
          break;
        }
        if (!fits(document, update)) {
          closeSession(session, CloseCode.DocumentTooLarge, `document too large (limit ${maxDocumentBytes} bytes)`);
          return;
        }
        if (!loadable(entry, update)) {
          log.warn({ msg: 'collab: refused an update the editor cannot load', docId: session.docName, userId: session.identity?.user.id });
          closeSession(session, CloseCode.InvalidContent, 'the change is not valid editor content (unknown node type?); it was not saved');
          return;
        }
        entry.pending.add(update);
        stored = { update, entry, document };
        ready = commits.append({ docId: session.docName, update, userId: session.identity!.user.id });
        break;
      }
      default:
        break;
    }
    const cs = session.socket;
    hold(cs, data.byteLength);
    const pass = ready;
    const step = async () => {
      try {
        if (pass) await pass;
      } catch (err) {
        log.error({ msg: 'collab: storing an update failed; the client keeps it and resends', docId: session.docName, err });
        if (stored) {
          stored.entry.pending.delete(stored.update);
          dropCheck(stored.entry); // it holds the update that was not stored
        }
        closeSession(session, CloseCode.Internal, 'the change could not be saved');
        return;
      }
      if (stored) {
        stored.entry.pending.delete(stored.update);
        sizes.set(stored.document, (sizes.get(stored.document) ?? 0) + stored.update.byteLength);
        forward(session, out);
        liveRevisions.edited(session.docName);
      } else {
        forward(session, out);
      }
    };
    session.chain = session.chain
      .then(step)
      .catch((err: unknown) => {
        log.error({ msg: 'collab: handling a message failed', docId: session.docName, err });
        closeSession(session, CloseCode.Internal, 'internal error');
      })
      .finally(() => release(cs, data.byteLength));
  }

  function clientOwnersOf(docName: string) {
    let owners = clientOwners.get(docName);
    if (!owners) clientOwners.set(docName, (owners = new Map()));
    return owners;
  }

  function onMessage(cs: CollabSocket, raw: RawData, isBinary: boolean) {
    if (cs.closed) return;
    cs.lastSeen = Date.now();
    if (!isBinary) return closeSocket(cs, CloseCode.Malformed, 'malformed message: text frames are not part of the protocol');
    const data = toBytes(raw);
    // Bounded before parsed: before any document authenticated, a socket gets a few small messages.
    if (!cs.authenticated) {
      cs.preAuthBytes += data.byteLength;
      if (++cs.preAuthMessages > MAX_PREAUTH_MESSAGES || cs.preAuthBytes > limits.maxPreAuthBytes) {
        return closeSocket(cs, CloseCode.TooMany, 'too many messages before authentication');
      }
    }
    let message: ClientMessage;
    try {
      message = parseClientMessage(data);
    } catch (err) {
      return closeSocket(cs, CloseCode.Malformed, `malformed message: ${err instanceof Error ? err.message : 'unreadable'}`);
    }
    let session = cs.sessions.get(message.docName);
    if (!session || session.state === 'closed') {
      if (!session && cs.sessions.size >= limits.maxDocumentsPerConnection) {
        return closeSocket(cs, CloseCode.TooMany, `too many documents on one socket (limit ${limits.maxDocumentsPerConnection})`);
      }
      session = { socket: cs, docName: message.docName, state: 'new', held: [], dropped: 0, chain: Promise.resolve(), readOnly: true, clientIds: new Set() };
      cs.sessions.set(message.docName, session);
    }
    switch (session.state) {
      case 'new':
        if (message.kind === 'auth') {
          session.state = 'authenticating';
          cs.gated.emit('message', data);
        } else {
          holdMessage(session, message, data);
        }
        return;
      case 'authenticating':
        return holdMessage(session, message, data);
      case 'refused':
        if (++session.dropped > MAX_DROPPED) closeSocket(cs, CloseCode.TooMany, 'too many messages for a refused document');
        return;
      case 'open':
        return accept(session, message, data);
    }
  }

  function onConnection(ws: WebSocket, request: IncomingMessage, ip: string) {
    const gated = new GatedSocket(ws);
    const cs = new CollabSocket(ws, gated, ip);
    sockets.add(cs);
    startAuthTimer(cs);
    ws.on('message', (raw: RawData, isBinary: boolean) => onMessage(cs, raw, isBinary));
    ws.on('error', (err: Error) => log.debug({ msg: 'collab: socket error', err: err.message }));
    ws.on('pong', () => (cs.lastSeen = Date.now()));
    ws.on('close', () => {
      cs.closed = true;
      if (cs.authTimer) clearTimeout(cs.authTimer);
      sockets.delete(cs);
      paused.delete(cs);
      inFlightTotal -= cs.inFlight;
      cs.inFlight = 0;
      const n = (perIp.get(cs.ip) ?? 1) - 1;
      if (n > 0) perIp.set(cs.ip, n);
      else perIp.delete(cs.ip);
      for (const s of cs.sessions.values()) s.held = [];
      cs.sessions.clear();
    });
    hocuspocus.handleConnection(gated as unknown as WebSocket, request, { socket: cs } satisfies SocketContext);
  }

  /**
   * An expiring credential (an API token with `expiresAt`) is re-checked, and so closed, when it
   * expires; one that expires later than the next periodic re-check is left to that re-check.
   */
  function scheduleExpiry(session: Session, expiresAt: number) {
    const delay = Math.max(0, expiresAt - deps.clock.now()) + 10;
    if (delay <= (options.recheckEveryMs ?? 60_000)) setTimeout(() => void recheck(session), delay).unref();
  }

  /** Re-checks one open connection against the current permissions. */
  async function recheck(session: Session) {
    if (session.state !== 'open' || !session.identity) return;
    try {
      const auth = await resolveCredential(deps, session.identity.credential);
      if (!auth) return closeSession(session, CloseCode.SignedOut, 'signed out');
      const access = await collabAccess(deps, auth.user, session.docName);
      if (!access) return closeSession(session, CloseCode.Forbidden, 'access revoked');
      session.identity.user = auth.user;
      session.spaceId = access.spaceId;
      setReadOnly(session, access.role === 'viewer' || !auth.writable);
    } catch (err) {
      log.warn({ msg: 'collab: re-checking access failed', docId: session.docName, err });
    }
  }

  function affected(change: AccessScope): Session[] {
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

  const stopAccessWatch = deps.events.subscribe((event) => {
    const scope = accessScopeOf(event);
    if (scope) for (const s of affected(scope)) void recheck(s);
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
    for (const cs of sockets) if (!cs.paused && now - cs.lastSeen > 2 * timeoutMs) cs.ws.terminate();
  }, timeoutMs).unref();
  const rechecks = setInterval(() => {
    for (const s of affected({ kind: 'docs' })) void recheck(s);
  }, options.recheckEveryMs ?? 60_000).unref();

  /** Refuses an upgrade before the WebSocket handshake (nothing is allocated for it). */
  function refuseUpgrade(socket: Duplex, status: string, reason: string) {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
  }

  return {
    liveRevisions,
    handleUpgrade(request, socket, head) {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== COLLAB_PATH) return false;
      if (closing) {
        refuseUpgrade(socket, '503 Service Unavailable', 'server shutting down');
        return true;
      }
      if (sockets.size >= limits.maxConnections) {
        refuseUpgrade(socket, '503 Service Unavailable', 'too many collaboration connections');
        return true;
      }
      const ip = clientIpOf(request, deps.config);
      const mine = perIp.get(ip) ?? 0;
      if (mine >= limits.maxConnectionsPerIp) {
        refuseUpgrade(socket, '429 Too Many Requests', 'too many collaboration connections from this address');
        return true;
      }
      perIp.set(ip, mine + 1);
      let done = false;
      const giveBack = () => {
        if (done) return;
        done = true;
        const n = (perIp.get(ip) ?? 1) - 1;
        if (n > 0) perIp.set(ip, n);
        else perIp.delete(ip);
      };
      socket.once('close', () => {
        if (!upgraded) giveBack();
      });
      let upgraded = false;
      wss.handleUpgrade(request, socket, head, (ws) => {
        upgraded = true;
        done = true; // from now on the socket's own close gives the slot back
        onConnection(ws, request, ip);
      });
      return true;
    },
    stats() {
      return {
        sockets: sockets.size,
        documents: hocuspocus.getDocumentsCount(),
        connections: hocuspocus.getConnectionsCount(),
        inFlightBytes: inFlightTotal,
        appended: { ...appended },
      };
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
