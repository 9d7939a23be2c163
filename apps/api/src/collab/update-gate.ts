import { Connection, type Document } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { DocEngine } from '../domain/doc-engine.ts';
import type { Logger } from '../logger.ts';
import { createGroupCommit } from './group-commit.ts';
import { applyRemoteUpdate, openHeadlessDoc, type HeadlessDoc } from '../domain/headless-doc.ts';
import { isEmptyUpdate } from './protocol.ts';
import { CloseCode, type Session } from './session.ts';

/** The origin of updates that came through the REST API (already in the log: never stored again). */
const API_ORIGIN = { source: 'handoff-api' };
const LOAD_ORIGIN = { source: 'handoff-load' };

/** A live document's content check: a headless editor holding everything accepted so far. */
interface ContentCheck {
  h: HeadlessDoc | null;
  /** Accepted updates not yet applied to the live document (to rebuild the check from). */
  pending: Set<Uint8Array>;
}

/** What happens to one update message. */
export type UpdateVerdict =
  /** Refused: nothing stored; the session is closed with `code`. */
  | { kind: 'refuse'; code: number; reason: string }
  /** Nothing new (or only what is already on its way to the log): forward once `ready`. */
  | { kind: 'known'; ready: Promise<void> }
  /** New content on its way to the log: forward once `ready`, then call `stored` (or `failed` if `ready` rejects). */
  | { kind: 'new'; ready: Promise<void>; stored(): void; failed(): void };

export interface UpdateGate {
  /** Loads a document's stored body into Hocuspocus's `document` and starts its content check (throws `{ reason: 'load-failed' }`). */
  load(documentName: string, document: Document): Promise<void>;
  /** Decides an update from an open session (in arrival order; its append to the log starts now). */
  admit(session: Session, document: Document, step2: boolean, update: Uint8Array): UpdateVerdict;
  /** Applies an update the REST API already stored to a live document. */
  applyStored(document: Document, update: Uint8Array): void;
  /** Live updates appended to the log, and in how many writes (group commit). */
  readonly appended: { updates: number; writes: number };
}

/**
 * The durable update gate: an update is validated (the document stays under `maxDocumentBytes`,
 * and the shared node set can load the result — a headless editor per live document holds every
 * accepted update), then appended to `doc_updates` with its author (group commit), and only then
 * may Hocuspocus apply, broadcast and acknowledge it.
 */
export function createUpdateGate(deps: { docs: Pick<DocEngine, 'loadState' | 'appendUpdate' | 'appendUpdates'>; db: Parameters<DocEngine['loadState']>[0]; log: Logger; maxDocumentBytes: number }): UpdateGate {
  const { docs, db, log, maxDocumentBytes } = deps;
  /** An upper bound of each live document's encoded size (exact when it is recomputed). */
  const sizes = new WeakMap<Document, number>();
  const checks = new WeakMap<Document, ContentCheck>();
  const appended = { updates: 0, writes: 0 };
  const commits = createGroupCommit(async (entries) => {
    await docs.appendUpdates(entries);
    appended.updates += entries.length;
    appended.writes++;
  });

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

  return {
    appended,

    async load(documentName, document) {
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
        // A client connection's update passed this gate, so the check has it already. (Hocuspocus
        // applies a client's update with its `Connection` as the origin: the one internal detail
        // this relies on, as its public hooks run only after an update was applied.)
        if (!entry.h || origin instanceof Connection) return;
        try {
          applyRemoteUpdate(entry.h, update);
        } catch {
          dropCheck(entry);
        }
      });
      document.on('destroy', () => dropCheck(entry));
    },

    admit(session, document, step2, received) {
      const entry = checkOf(document);
      let update = received;
      // A sync step 2 repeats what the client has; only what the server lacks is new. Known
      // content may still be on its way to the log: it is forwarded after everything before it.
      if (step2 && Y.snapshotContainsUpdate(Y.snapshot(entry.h!.doc), update)) return { kind: 'known', ready: commits.barrier() };
      if (session.readOnly) return { kind: 'refuse', code: CloseCode.Forbidden, reason: 'read-only: you may view this document but not edit it' };
      if (step2) update = Y.diffUpdate(update, Y.encodeStateVector(entry.h!.doc));
      if (isEmptyUpdate(update)) return { kind: 'known', ready: commits.barrier() };
      if (!fits(document, update)) return { kind: 'refuse', code: CloseCode.DocumentTooLarge, reason: `document too large (limit ${maxDocumentBytes} bytes)` };
      if (!loadable(entry, update)) {
        log.warn({ msg: 'collab: refused an update the editor cannot load', docId: session.docName, userId: session.identity?.user.id });
        return { kind: 'refuse', code: CloseCode.InvalidContent, reason: 'the change is not valid editor content (unknown node type?); it was not saved' };
      }
      entry.pending.add(update);
      return {
        kind: 'new',
        ready: commits.append({ docId: session.docName, update, userId: session.identity!.user.id }),
        stored() {
          entry.pending.delete(update);
          sizes.set(document, (sizes.get(document) ?? 0) + update.byteLength);
        },
        failed() {
          entry.pending.delete(update);
          dropCheck(entry); // it holds the update that was not stored
        },
      };
    },

    applyStored(document, update) {
      if (document.isDestroyed) return;
      Y.applyUpdate(document, update, API_ORIGIN);
      sizes.set(document, (sizes.get(document) ?? 0) + update.byteLength);
    },
  };
}
