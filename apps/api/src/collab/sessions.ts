import type { Connection } from '@hocuspocus/server';
import type { AccessScope } from '../domain/events.ts';
import type { ConnectionGate } from './connection-gate.ts';
import type { Session } from './session.ts';

/**
 * What collaboration tells the live-revision scheduler (jobs/live-revisions.ts implements it; it
 * is handed in by server.ts, so collab/ never imports jobs/).
 */
export interface LiveEdits {
  /** A live edit to `docId` was accepted (it is in the log). */
  edited(docId: string): void;
  /** No one may edit `docId` live any more: its revision can be written now. */
  editorsLeft(docId: string): void;
}

/**
 * The open document sessions, by document, and how one ends: refused, closed by the server (the
 * provider is told why), or closed by the client. The last writer of a document leaving tells the
 * live-revision scheduler; a socket left with no open document gets the authentication deadline again.
 */
export class Sessions {
  /** Open sessions by document id. */
  private readonly byDoc = new Map<string, Set<Session>>();
  /** Who speaks for each awareness client id, per document. */
  private readonly clientOwners = new Map<string, Map<number, Session>>();

  constructor(
    private readonly gate: ConnectionGate,
    private readonly liveEdits: LiveEdits,
  ) {}

  /** A session's connection opened: it counts from now on, and ends with `connection`. */
  opened(session: Session, connection: Connection) {
    session.state = 'open';
    session.connection = connection;
    const cs = session.socket;
    cs.authenticated = true;
    this.gate.stopAuthTimer(cs);
    connection.onClose(() => this.ended(session));
    let open = this.byDoc.get(session.docName);
    if (!open) this.byDoc.set(session.docName, (open = new Set()));
    open.add(session);
  }

  /** Auth or load refused: drop what was held; close the socket (with `code`) if nothing else is open on it. */
  refuse(session: Session, code?: number, reason?: string) {
    session.state = 'refused';
    this.dropHeld(session);
    if (code !== undefined && !session.socket.hasOtherOpen(session)) this.gate.closeSocket(session.socket, code, reason ?? 'refused');
  }

  /** Ends one document connection (the provider is told why); its socket too, if it carries nothing else. */
  close(session: Session, code: number, reason: string) {
    if (session.state !== 'open') return;
    session.state = 'closed';
    this.dropHeld(session);
    session.connection?.close({ code, reason });
    if (!session.socket.hasOtherOpen(session)) this.gate.closeSocket(session.socket, code, reason);
  }

  setReadOnly(session: Session, readOnly: boolean) {
    if (session.readOnly === readOnly) return;
    session.readOnly = readOnly;
    if (session.connection) session.connection.readOnly = readOnly;
    if (readOnly && !this.hasWriter(session.docName)) this.liveEdits.editorsLeft(session.docName);
  }

  /** The open sessions an access change of `scope` may concern. */
  affectedBy(scope: AccessScope): Session[] {
    const out: Session[] = [];
    for (const set of this.byDoc.values()) {
      for (const s of set) {
        if (scope.kind === 'docs' || (scope.kind === 'space' && s.spaceId === scope.spaceId) || (scope.kind === 'user' && s.identity?.user.id === scope.userId)) {
          out.push(s);
        }
      }
    }
    return out;
  }

  /** Who speaks for each awareness client id of `docName` (see presence.ts). */
  clientOwnersOf(docName: string): Map<number, Session> {
    let owners = this.clientOwners.get(docName);
    if (!owners) this.clientOwners.set(docName, (owners = new Map()));
    return owners;
  }

  dropHeld(session: Session) {
    for (const h of session.held) this.gate.release(session.socket, h.data.byteLength);
    session.held = [];
  }

  private ended(session: Session) {
    if (session.state === 'open') session.state = 'closed';
    const open = this.byDoc.get(session.docName);
    open?.delete(session);
    if (open && open.size === 0) this.byDoc.delete(session.docName);
    const owners = this.clientOwners.get(session.docName);
    for (const id of session.clientIds) if (owners?.get(id) === session) owners.delete(id);
    if (owners && owners.size === 0) this.clientOwners.delete(session.docName);
    if (!this.hasWriter(session.docName)) this.liveEdits.editorsLeft(session.docName);
    const cs = session.socket;
    if (!cs.closed && !cs.hasOpenSession()) this.gate.startAuthTimer(cs, () => !cs.hasOpenSession());
  }

  private hasWriter(docName: string) {
    for (const s of this.byDoc.get(docName) ?? []) if (s.state === 'open' && !s.readOnly) return true;
    return false;
  }
}
