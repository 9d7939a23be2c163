import type { RawData } from 'ws';
import type { CollabLimits } from '../config.ts';
import type { Clock } from '../domain/clock.ts';
import type { Logger } from '../logger.ts';
import type { ConnectionGate } from './connection-gate.ts';
import { presenceOf } from './presence.ts';
import { encodeAwarenessMessage, parseClientMessage, type ClientMessage } from './protocol.ts';
import { CloseCode, newSession, type CollabSocket, type Session } from './session.ts';
import type { LiveEdits, Sessions } from './sessions.ts';
import type { UpdateGate, UpdateVerdict } from './update-gate.ts';

const MAX_HELD_MESSAGES = 256;
const MAX_DROPPED = 1000;
/** Awareness client ids one connection may speak for (a provider uses one). */
const MAX_CLIENT_IDS = 4;

export interface MessageGate {
  /** Every message a socket receives, before Hocuspocus sees anything of it. */
  received(cs: CollabSocket, raw: RawData, isBinary: boolean): void;
  /** A session's connection opened: the messages held for it go through, in order. */
  release(session: Session): void;
}

function toBytes(raw: RawData): Uint8Array {
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw;
}

/**
 * Each message is bounded (before authentication), parsed completely (malformed → the socket
 * closes), routed to its document's session and decided there in arrival order: held until the
 * session is open, dropped once refused, and — open — passed to Hocuspocus (through the socket's
 * `GatedSocket`) strictly in order, an update only after the update gate stored it. Presence is
 * rewritten to carry the authenticated person (presence.ts); client-side broadcasts are dropped.
 */
export function createMessageGate(deps: {
  connections: ConnectionGate;
  sessions: Sessions;
  updates: UpdateGate;
  liveEdits: LiveEdits;
  clock: Clock;
  log: Logger;
  limits: CollabLimits;
}): MessageGate {
  const { connections, sessions, updates, liveEdits, clock, log, limits } = deps;

  /** A message of a document whose connection is not open yet: held, within small fixed bounds before authentication. */
  function hold(session: Session, message: ClientMessage, data: Uint8Array) {
    const cs = session.socket;
    // (Before the socket authenticated, `withinPreAuth` bounded these already.)
    if (cs.authenticated && session.held.length >= MAX_HELD_MESSAGES) {
      connections.closeSocket(cs, CloseCode.TooMany, 'too many messages before authentication');
      return;
    }
    session.held.push({ message, data });
    connections.hold(cs, data.byteLength);
  }

  function forward(session: Session, data: Uint8Array) {
    if (session.state === 'open' && !session.socket.closed) session.socket.gated.emit('message', data);
  }

  /**
   * One message of an open session, decided at once (in arrival order) and forwarded to Hocuspocus
   * in order once ready: an update when it is stored, anything else when everything before it is.
   */
  function accept(session: Session, message: ClientMessage, data: Uint8Array) {
    if (session.state !== 'open' || !session.connection) return;
    let out = data;
    let verdict: UpdateVerdict | null = null;
    switch (message.kind) {
      case 'broadcast-stateless':
        return; // a server-side feature; clients may not fan out
      case 'awareness': {
        const states = presenceOf(session, message.states, sessions.clientOwnersOf(session.docName), MAX_CLIENT_IDS);
        if (!states.length) return;
        out = encodeAwarenessMessage(session.docName, states);
        break;
      }
      case 'update':
        verdict = updates.admit(session, session.connection.document, message.step2, message.update);
        if (verdict.kind === 'refuse') return sessions.close(session, verdict.code, verdict.reason);
        break;
      default:
        break;
    }
    const cs = session.socket;
    connections.hold(cs, data.byteLength);
    const step = async () => {
      if (verdict) {
        try {
          await verdict.ready;
        } catch (err) {
          log.error({ msg: 'collab: storing an update failed; the client keeps it and resends', docId: session.docName, err });
          if (verdict.kind === 'new') verdict.failed();
          sessions.close(session, CloseCode.Internal, 'the change could not be saved');
          return;
        }
      }
      if (verdict?.kind === 'new') {
        verdict.stored();
        forward(session, out);
        liveEdits.edited(session.docName);
      } else {
        forward(session, out);
      }
    };
    session.chain = session.chain
      .then(step)
      .catch((err: unknown) => {
        log.error({ msg: 'collab: handling a message failed', docId: session.docName, err });
        sessions.close(session, CloseCode.Internal, 'internal error');
      })
      .finally(() => connections.release(cs, data.byteLength));
  }

  return {
    received(cs, raw, isBinary) {
      if (cs.closed) return;
      cs.lastSeen = clock.now();
      if (!isBinary) return connections.closeSocket(cs, CloseCode.Malformed, 'malformed message: text frames are not part of the protocol');
      const data = toBytes(raw);
      // Bounded before parsed: before any document authenticated, a socket gets a few small messages.
      if (!connections.withinPreAuth(cs, data.byteLength)) return connections.closeSocket(cs, CloseCode.TooMany, 'too many messages before authentication');
      let message: ClientMessage;
      try {
        message = parseClientMessage(data);
      } catch (err) {
        return connections.closeSocket(cs, CloseCode.Malformed, `malformed message: ${err instanceof Error ? err.message : 'unreadable'}`);
      }
      let session = cs.sessions.get(message.docName);
      if (!session || session.state === 'closed') {
        if (!session && cs.sessions.size >= limits.maxDocumentsPerConnection) {
          return connections.closeSocket(cs, CloseCode.TooMany, `too many documents on one socket (limit ${limits.maxDocumentsPerConnection})`);
        }
        session = newSession(cs, message.docName);
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
          if (++session.dropped > MAX_DROPPED) connections.closeSocket(cs, CloseCode.TooMany, 'too many messages for a refused document');
          return;
        case 'open':
          return accept(session, message, data);
      }
    },

    release(session) {
      const cs = session.socket;
      const held = session.held;
      session.held = [];
      for (const h of held) {
        connections.release(cs, h.data.byteLength);
        accept(session, h.message, h.data);
      }
    },
  };
}
