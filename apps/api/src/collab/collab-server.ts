import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Document } from '@hocuspocus/server';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { CollabLimits } from '../config.ts';
import type { Deps } from '../context.ts';
import { createAccessChecks } from './access-checks.ts';
import { createConnectionGate, DEFAULT_COLLAB_LIMITS, refuseUpgrade } from './connection-gate.ts';
import { reportSkippedNodes } from '../domain/headless-doc.ts';
import { createHocuspocus } from './hocuspocus.ts';
import { createMessageGate } from './message-gate.ts';
import { CloseCode, type SocketContext } from './session.ts';
import { Sessions, type LiveEdits } from './sessions.ts';
import { createUpdateGate } from './update-gate.ts';

export { CloseCode } from './session.ts';
export { DEFAULT_COLLAB_LIMITS } from './connection-gate.ts';
export type { LiveEdits } from './sessions.ts';

export const COLLAB_PATH = '/api/collab';

export interface CollabOptions {
  /** Largest WebSocket message accepted (default 2 MB). */
  maxMessageBytes?: number;
  /** Largest encoded Y.Doc state an update may grow a document to (default 10 MB). */
  maxDocumentBytes?: number;
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
  /** Closes every socket and stops (the caller then writes the revisions of pending live edits). */
  closeAll(): Promise<void>;
  stats(): CollabStats;
  /** Resolves once the access re-checks started so far (after a domain event, say) have finished. */
  accessRechecked(): Promise<void>;
}

/**
 * The collaboration endpoint: Hocuspocus's protocol on `GET /api/collab`, the same port as the API.
 * This factory only wires the parts together:
 * - connection-gate.ts: caps at the upgrade, bounds before authentication, back-pressure, keep-alive;
 * - message-gate.ts: every message parsed, held or dropped per document session, forwarded in order;
 * - access-checks.ts: authentication and access through policies/, re-checked on domain events;
 * - update-gate.ts: validate → append to the log (group commit) → only then Hocuspocus applies and acks;
 * - sessions.ts: open sessions by document, how they end, and what live revisions hear of it;
 * - hocuspocus.ts: the Hocuspocus instance and its hooks, which call the parts above.
 *
 * Durability before acknowledgement: Hocuspocus applies, broadcasts and acknowledges (SyncStatus)
 * an update in one step once it handles a message, so it never sees a raw socket (session.ts's
 * GatedSocket): a message reaches it only after the gates above let it through.
 */
export function createCollabServer(deps: Deps, liveEdits: LiveEdits, options: CollabOptions = {}): CollabServer {
  const { docs, log, clock } = deps;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limits: CollabLimits = { ...DEFAULT_COLLAB_LIMITS, ...deps.config.limits?.collab, ...options.limits };
  let closing = false;

  reportSkippedNodes((skipped) => log.warn({ msg: 'a stored document body has nodes the editor cannot load; they were skipped', skipped }));

  const connections = createConnectionGate({ config: deps.config, clock, limits, timeoutMs });
  const sessions = new Sessions(connections, liveEdits);
  const access = createAccessChecks(deps, sessions, { recheckEveryMs: options.recheckEveryMs ?? 60_000 });
  const updates = createUpdateGate({ docs, db: deps.db, log, maxDocumentBytes: options.maxDocumentBytes ?? 10 * 1024 * 1024 });
  const messages = createMessageGate({ connections, sessions, updates, liveEdits, clock, log, limits });
  const hocuspocus = createHocuspocus({ sessions, access, updates, messages, timeoutMs });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 2 * 1024 * 1024 });

  function onConnection(ws: WebSocket, request: IncomingMessage, ip: string) {
    const cs = connections.opened(ws, ip);
    connections.startAuthTimer(cs, () => !cs.hasOpenSession());
    ws.on('message', (raw: RawData, isBinary: boolean) => messages.received(cs, raw, isBinary));
    ws.on('error', (err: Error) => log.debug({ msg: 'collab: socket error', err: err.message }));
    ws.on('pong', () => (cs.lastSeen = clock.now()));
    ws.on('close', () => {
      connections.closed(cs);
      for (const s of cs.sessions.values()) s.held = [];
      cs.sessions.clear();
    });
    hocuspocus.handleConnection(cs.gated as unknown as WebSocket, request, { socket: cs } satisfies SocketContext);
  }

  // API changes reach live editors at once (their update is in the log already: never stored again).
  // `documents` and `loadingDocuments` are public fields of Hocuspocus 3 (no accessor exists).
  const stopUpdates = docs.onUpdate((docId, update) => {
    const apply = (document: Document) => updates.applyStored(document, update);
    const live = hocuspocus.documents.get(docId);
    if (live) return apply(live);
    hocuspocus.loadingDocuments.get(docId)?.then(apply, () => undefined);
  });

  // Comment threads are not in the Y.Doc: readers with the document open hear that its threads
  // changed on the connection's stateless channel and fetch them (authorized) from the API. The
  // message names the thread and the kind of change, nothing of its text.
  const stopThreads = deps.events.subscribe((event) => {
    if (event.topic !== 'thread.changed') return;
    hocuspocus.documents.get(event.docId)?.broadcastStateless(JSON.stringify({ type: 'threads', threadId: event.threadId, change: event.change }));
  });

  return {
    handleUpgrade(request, socket, head) {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== COLLAB_PATH) return false;
      if (closing) {
        refuseUpgrade(socket, { status: '503 Service Unavailable', reason: 'server shutting down' });
        return true;
      }
      const reserved = connections.reserve(request);
      if (!('ip' in reserved)) {
        refuseUpgrade(socket, reserved);
        return true;
      }
      const { ip } = reserved;
      let upgraded = false;
      socket.once('close', () => {
        if (!upgraded) connections.unreserve(ip);
      });
      wss.handleUpgrade(request, socket, head, (ws) => {
        upgraded = true; // from now on the socket's own close gives the slot back
        onConnection(ws, request, ip);
      });
      return true;
    },
    stats() {
      return {
        sockets: connections.sockets.size,
        documents: hocuspocus.getDocumentsCount(),
        connections: hocuspocus.getConnectionsCount(),
        inFlightBytes: connections.inFlightBytes,
        appended: { ...updates.appended },
      };
    },
    accessRechecked: () => access.settled(),
    async closeAll() {
      if (closing) return;
      closing = true;
      connections.stop();
      access.stop();
      stopUpdates();
      stopThreads();
      for (const cs of connections.sockets) connections.closeSocket(cs, CloseCode.ShuttingDown, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
