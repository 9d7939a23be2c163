import type { IncomingMessage } from 'node:http';
import { Hocuspocus, type ConnectionConfiguration, type Document } from '@hocuspocus/server';
import type { AccessChecks } from './access-checks.ts';
import { Refused } from './collab-auth.ts';
import type { MessageGate } from './message-gate.ts';
import { CloseCode, type SocketContext } from './session.ts';
import type { Sessions } from './sessions.ts';
import type { UpdateGate } from './update-gate.ts';

const sessionOf = (context: unknown, documentName: string) => (context as SocketContext | undefined)?.socket.sessions.get(documentName);

/**
 * Hocuspocus, as this server uses it: its hooks only hand over to the parts that decide —
 * authentication to the access checks, loading to the update gate, an opened connection to the
 * sessions (and the messages held for it to the message gate). It is fed through the public
 * `handleConnection` with a GatedSocket per WebSocket (see session.ts); what is still not public
 * API is noted where it is used: `createDocument` here, `documents`/`loadingDocuments` (public
 * fields, no accessor) in collab-server.ts, and a `Connection` as an update's origin in update-gate.ts.
 */
export function createHocuspocus(parts: { sessions: Sessions; access: AccessChecks; updates: UpdateGate; messages: MessageGate; timeoutMs: number }): Hocuspocus {
  const { sessions, access, updates, messages } = parts;

  /**
   * A document that fails to load refuses every connection waiting for it, and its sockets close
   * (so providers retry with their backoff). Hocuspocus has no public hook for a failed load per
   * connection (onLoadDocument runs once per document), hence this override of `createDocument`.
   */
  class HandoffHocuspocus extends Hocuspocus {
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
        // Hocuspocus answers the refusal (reason `load-failed`); then the socket closes.
        const session = sessionOf(context, documentName);
        if (session) setImmediate(() => sessions.refuse(session, CloseCode.Internal, 'the document could not be loaded'));
        throw err;
      }
    }
  }

  return new HandoffHocuspocus({
    name: 'handoff',
    quiet: true,
    timeout: parts.timeoutMs,
    unloadImmediately: true,
    async onAuthenticate({ token, documentName, requestHeaders, connectionConfig, context }) {
      const session = sessionOf(context, documentName);
      if (!session) throw Refused.unauthorized;
      await access.authenticate(session, token, requestHeaders);
      connectionConfig.readOnly = session.readOnly;
    },
    onLoadDocument: ({ documentName, document }) => updates.load(documentName, document),
    async connected({ documentName, context, connection }) {
      const session = sessionOf(context, documentName);
      if (!session || session.state !== 'authenticating') {
        connection.close({ code: CloseCode.Internal, reason: 'connection state lost' });
        return;
      }
      sessions.opened(session, connection);
      messages.release(session);
    },
  });
}
