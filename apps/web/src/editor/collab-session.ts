// One document's live connection: the Y.Doc, the Hocuspocus provider on `/api/collab`, and what the
// page shows about it (connection state, unsaved changes, read-only scope, who is here).
// No React in here; Editor.tsx hands `lexicalProvider` to Lexical's CollaborationPlugin.

import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import type { Provider, ProviderAwareness } from '@lexical/yjs';
import * as Y from 'yjs';

export type ConnectionState = 'connecting' | 'connected' | 'offline';

export interface CollabStatus {
  connection: ConnectionState;
  /** The first sync with the server finished since the last (re)connect. */
  synced: boolean;
  /** Local changes the server has not acknowledged yet. */
  unsyncedChanges: number;
  /** The server granted a read-only connection. */
  readOnly: boolean;
  /** The server refused the connection (no access, or the document is gone). */
  refused: string | null;
}

/** Someone with the document open: what their awareness state says, nothing more. */
export interface Peer {
  clientId: number;
  userId: string | null;
  name: string;
  color: string;
  isSelf: boolean;
}

/** The extra fields every client puts into its awareness state (Lexical adds name and colour). */
export interface AwarenessData {
  userId: string;
}

/** The WebSocket endpoint on this host (the API serves it next to the HTTP routes). */
export function collabUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/collab`;
}

/**
 * The browser authenticates by its session cookie on the WebSocket handshake (the server accepts
 * it from this origin only). The provider's token stays empty: a non-empty token would be taken
 * for an API token instead of the cookie.
 */
const NO_TOKEN = null;

export class CollabSession {
  readonly doc = new Y.Doc();
  readonly socket: HocuspocusProviderWebsocket;
  readonly hocuspocus: HocuspocusProvider;
  /** The provider as Lexical's CollaborationPlugin expects it. */
  readonly lexicalProvider: Provider;

  private status: CollabStatus = {
    connection: 'connecting',
    synced: false,
    unsyncedChanges: 0,
    readOnly: false,
    refused: null,
  };
  private peers: Peer[] = [];
  private readonly statusListeners = new Set<() => void>();
  private readonly peerListeners = new Set<() => void>();
  private pendingDisconnect: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  constructor(
    readonly docId: string,
    url: string = collabUrl(),
  ) {
    // The socket connects when Lexical asks (connect()), not on construction.
    this.socket = new HocuspocusProviderWebsocket({ url, autoConnect: false });
    this.hocuspocus = new HocuspocusProvider({
      websocketProvider: this.socket,
      name: docId,
      document: this.doc,
      token: NO_TOKEN,
    });
    this.hocuspocus.attach();

    const hp = this.hocuspocus;
    hp.on('status', ({ status }: { status: WebSocketStatus }) => {
      const connection: ConnectionState =
        status === WebSocketStatus.Connected
          ? 'connected'
          : status === WebSocketStatus.Connecting
            ? 'connecting'
            : 'offline';
      this.setStatus({ connection, synced: connection === 'connected' ? this.status.synced : false });
    });
    hp.on('synced', ({ state }: { state: boolean }) => this.setStatus({ synced: state }));
    hp.on('unsyncedChanges', ({ number }: { number: number }) => this.setStatus({ unsyncedChanges: number }));
    hp.on('authenticated', ({ scope }: { scope: string }) =>
      this.setStatus({ readOnly: scope === 'readonly', refused: null }),
    );
    hp.on('authenticationFailed', ({ reason }: { reason: string }) =>
      this.setStatus({ refused: reason || 'The server refused the connection.' }),
    );
    hp.awareness?.on('change', this.refreshPeers);

    this.lexicalProvider = this.createLexicalProvider();
  }

  // ---- for React (useSyncExternalStore) ----

  getStatus = (): CollabStatus => this.status;

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  getPeers = (): Peer[] => this.peers;

  subscribePeers = (listener: () => void): (() => void) => {
    this.peerListeners.add(listener);
    return () => this.peerListeners.delete(listener);
  };

  /**
   * Messages the server sends on the connection's stateless channel (e.g. that the document's
   * comment threads changed). The payload is the server's string, unparsed.
   */
  subscribeStateless = (listener: (payload: string) => void): (() => void) => {
    const handler = ({ payload }: { payload: string }) => listener(payload);
    this.hocuspocus.on('stateless', handler);
    return () => this.hocuspocus.off('stateless', handler);
  };

  /** Closes the connection for good and frees the document. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.pendingDisconnect) clearTimeout(this.pendingDisconnect);
    this.hocuspocus.awareness?.off('change', this.refreshPeers);
    this.hocuspocus.destroy();
    this.socket.destroy();
    this.doc.destroy();
    this.statusListeners.clear();
    this.peerListeners.clear();
  }

  private setStatus(patch: Partial<CollabStatus>): void {
    const next = { ...this.status, ...patch };
    const same = (Object.keys(next) as (keyof CollabStatus)[]).every((k) => next[k] === this.status[k]);
    if (same) return;
    this.status = next;
    for (const listener of this.statusListeners) listener();
  }

  private refreshPeers = (): void => {
    const awareness = this.hocuspocus.awareness;
    if (!awareness) return;
    const self = this.doc.clientID;
    const peers: Peer[] = [];
    for (const [clientId, state] of awareness.getStates()) {
      const name = typeof state.name === 'string' ? state.name : null;
      if (!name) continue; // a client that has not announced itself yet
      const data = state.awarenessData as Partial<AwarenessData> | undefined;
      peers.push({
        clientId,
        userId: typeof data?.userId === 'string' ? data.userId : null,
        name,
        color: typeof state.color === 'string' ? state.color : 'gray',
        isSelf: clientId === self,
      });
    }
    peers.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name) || a.clientId - b.clientId);
    const key = (list: Peer[]) => list.map((p) => `${p.clientId}:${p.userId}:${p.name}:${p.color}`).join('|');
    if (key(peers) === key(this.peers)) return;
    this.peers = peers;
    for (const listener of this.peerListeners) listener();
  };

  /**
   * Lexical's provider contract on top of Hocuspocus: `sync` is Hocuspocus's `synced`, and
   * connect()/disconnect() drive the socket. A disconnect is deferred by a tick and cancelled by a
   * connect that follows at once, so React's StrictMode (unmount + mount of the same editor)
   * neither drops nor doubles the connection.
   */
  private createLexicalProvider(): Provider {
    const hp = this.hocuspocus;
    const syncWrappers = new Map<(isSynced: boolean) => void, (event: { state: boolean }) => void>();
    const provider = {
      awareness: hp.awareness as unknown as ProviderAwareness,
      connect: (): void => {
        if (this.destroyed) return;
        if (this.pendingDisconnect) {
          clearTimeout(this.pendingDisconnect);
          this.pendingDisconnect = null;
        }
        if (this.socket.status === WebSocketStatus.Disconnected || !this.socket.shouldConnect) {
          void this.socket.connect().catch(() => {
            // retried by the socket itself; the status shows "offline" meanwhile
          });
        }
      },
      disconnect: (): void => {
        if (this.destroyed || this.pendingDisconnect) return;
        this.pendingDisconnect = setTimeout(() => {
          this.pendingDisconnect = null;
          this.socket.disconnect();
        }, 0);
      },
      on: (type: string, callback: (...args: never[]) => void): void => {
        if (type === 'sync') {
          const cb = callback as unknown as (isSynced: boolean) => void;
          const wrapper = (event: { state: boolean }) => cb(event.state);
          syncWrappers.set(cb, wrapper);
          hp.on('synced', wrapper);
        } else {
          hp.on(type, callback);
        }
      },
      off: (type: string, callback: (...args: never[]) => void): void => {
        if (type === 'sync') {
          const cb = callback as unknown as (isSynced: boolean) => void;
          const wrapper = syncWrappers.get(cb);
          if (wrapper) {
            hp.off('synced', wrapper);
            syncWrappers.delete(cb);
          }
        } else {
          hp.off(type, callback);
        }
      },
    };
    return provider as unknown as Provider;
  }
}
