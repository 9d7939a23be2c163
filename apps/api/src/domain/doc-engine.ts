import { and, documents, eq, revisions, type Db, type DbOrTx, type Tx } from '@handoff/db';
import { BodyStore, type LiveUpdate } from './body-store.ts';
import { decisionInputOf, decisionOf, decisionsOf, parseStoredDecision, resolveDecision, type DecisionInput, type DecisionValue } from './decisions.ts';
import { applyRemoteUpdate, bodyFromMarkdown, derive, editToContent, editToMarkdown, yieldToLoop, type DerivedBody } from './doc-body.ts';
import { moveInTree } from './doc-tree.ts';
import { KeyedLock } from './doc-lock.ts';
import { conflict, notFound, unprocessable } from './errors.ts';
import { HANDOFF_TEMPLATE_MARKDOWN } from '@handoff/shared/handoff-template';
import { writeRecipients } from './handoffs.ts';
import type { EventBus } from './event-bus.ts';
import { appendEvents } from './event-log.ts';
import type { DomainEvent } from './events.ts';
import { newId } from './ids.ts';
import { MarkdownParser } from './markdown-parser.ts';
import { knownHandles } from './mentions.ts';
import type { DocKind, DocRow, UserRow } from './model.ts';
import type { Clock } from './ports.ts';
import { RevisionWriter, type RevisionChange } from './revision-writer.ts';
import { WriteAdmission } from './write-admission.ts';

export { COMPACT_AFTER } from './body-store.ts';
export type { DecisionInput, DecisionStatus, DecisionValue } from './decisions.ts';

export interface CreateDocInput {
  spaceId: string;
  title: string;
  markdown?: string | undefined;
  parentId?: string | null | undefined;
  kind?: DocKind | undefined;
  decision?: DecisionInput | undefined;
  /** A handoff note's recipients (checked against the author's access by the caller: `checkRecipients`). */
  handoff?: { to: string[] } | undefined;
  message?: string | null | undefined;
}

export interface PatchDocInput {
  title?: string | undefined;
  markdown?: string | undefined;
  decision?: DecisionInput | undefined;
  /** Replaces a handoff note's recipients (a change that makes a revision, like a decision's). */
  handoff?: { to: string[] } | undefined;
  message?: string | null | undefined;
  baseRevision?: number | undefined;
  /** Moves the document (in the same transaction as the rest of the change). */
  parentId?: string | null | undefined;
}

export interface DocEngine {
  /** Creates a document at revision 1. */
  create(actor: UserRow, input: CreateDocInput): Promise<DocRow>;
  /**
   * Applies a change in one transaction (a move included); `changed` is false (and no revision is
   * made) when title, body and decision would not differ.
   */
  patch(actor: UserRow, docId: string, input: PatchDocInput): Promise<{ doc: DocRow; changed: boolean }>;
  /**
   * Restores the body, title and decision of an earlier revision as a new revision. The body is
   * rebuilt from that revision's stored Lexical JSON, node for node (never through Markdown).
   */
  restoreRevision(actor: UserRow, docId: string, revision: number): Promise<{ doc: DocRow; changed: boolean }>;
  /**
   * Writes a revision from the Y.Doc as it is now (live edits in the log since the last revision),
   * crediting everyone whose updates it includes; `changed` is false (nothing written) when the
   * body did not change.
   */
  snapshot(docId: string): Promise<{ doc: DocRow | null; changed: boolean }>;
  /** Appends one Yjs update made by `userId` (a live editor) to the document's log; returns its id. */
  appendUpdate(docId: string, update: Uint8Array, userId: string | null): Promise<number>;
  /** Appends several live updates (of any documents) in one statement — one write, one commit; returns their ids in order. */
  appendUpdates(entries: ReadonlyArray<LiveUpdate>): Promise<number[]>;
  /** Folds log updates that a revision already includes into the snapshot (jobs/compaction.ts). */
  compact(docId: string, minUpdates?: number): Promise<number>;
  /** The document's current Y.Doc state (snapshot merged with the update log). */
  loadState(db: DbOrTx, docId: string): Promise<Uint8Array>;
  decisionOf(db: DbOrTx, docId: string): Promise<DecisionValue | null>;
  /** The decision records of several documents at once (for lists). */
  decisionsOf(db: DbOrTx, docIds: string[]): Promise<Map<string, DecisionValue>>;
  /**
   * Called after an API change (PATCH, restore) appended `update` to the log and committed, so live
   * editors can receive it. Returns a function that removes the listener.
   */
  onUpdate(listener: (docId: string, update: Uint8Array) => void): () => void;
  /** The same engine (store, locks, admission, bus) with time from `clock` (the demo seed walks time forward). */
  withClock(clock: Clock): DocEngine;
}

export interface DocEngineDeps {
  db: Db;
  clock: Clock;
  /** Committed `doc.created` / `doc.revised` events are published here (the read cache follows them). */
  events: EventBus;
  markdown?: MarkdownParser;
  admission?: WriteAdmission;
}

type Outcome = { doc: DocRow; changed: boolean };

/** The parts one engine shares across its `withClock` copies: one lock, one store, one admission, one set of listeners. */
interface Shared {
  db: Db;
  events: EventBus;
  lock: KeyedLock;
  bodies: BodyStore;
  writer: RevisionWriter;
  parser: MarkdownParser;
  admission: WriteAdmission;
  updateListeners: Set<(docId: string, update: Uint8Array) => void>;
}

function notify<A extends unknown[]>(set: Set<(...args: A) => void>, ...args: A) {
  for (const fn of set) {
    try {
      fn(...args);
    } catch {
      /* a listener's failure is its own; the change is committed */
    }
  }
}

/**
 * Every change to a document body goes through its Y.Doc here — the single source of truth that
 * live editors share. A facade over the body store (update log, snapshot, compaction), the revision
 * writer, decisions and mentions: it takes the document's lock and a write admission slot, computes
 * the body change outside the write transaction, then writes the revision and its event in one.
 * Markdown from the API is applied by a headless Lexical editor bound to the Y.Doc *as it was at
 * the revision the client started from*, and only the blocks that differ are replaced; the
 * resulting Yjs update is merged into the current state, so edits made meanwhile survive.
 */
export function createDocEngine(deps: DocEngineDeps): DocEngine {
  const lock = new KeyedLock();
  const bodies = new BodyStore(deps.db, deps.clock, lock);
  return engineWith(
    {
      db: deps.db,
      events: deps.events,
      lock,
      bodies,
      writer: new RevisionWriter(bodies),
      parser: deps.markdown ?? new MarkdownParser(),
      admission: deps.admission ?? new WriteAdmission(),
      updateListeners: new Set(),
    },
    deps.clock,
  );
}

/** One engine's parts with the clock its writes are stamped by. */
interface Engine extends Shared {
  clock: Clock;
}

function engineWith(s: Shared, clock: Clock): DocEngine {
  const e: Engine = { ...s, clock };
  const listen = <T>(set: Set<T>, fn: T) => {
    set.add(fn);
    return () => void set.delete(fn);
  };
  return {
    create: (actor, input) => create(e, actor, input),
    patch: (actor, docId, input) => patch(e, actor, docId, input),
    restoreRevision: (actor, docId, revision) => restoreRevision(e, actor, docId, revision),
    snapshot: (docId) => snapshot(e, docId),
    appendUpdate: (docId, update, userId) => s.bodies.appendUpdate(docId, update, userId),
    appendUpdates: (entries) => s.bodies.appendUpdates(entries),
    compact: (docId, minUpdates) => s.bodies.compact(docId, minUpdates),
    loadState: (tx, docId) => s.bodies.loadState(tx, docId),
    decisionOf,
    decisionsOf,
    onUpdate: (fn) => listen(s.updateListeners, fn),
    withClock: (other) => engineWith(s, other),
  };
}

type RecordEvent = (event: DomainEvent) => void;

/** One transaction whose events go to the outbox inside it and onto the bus after the commit. */
async function transact<T>(e: Engine, work: (tx: Tx, record: RecordEvent) => Promise<T>): Promise<T> {
  let events: DomainEvent[] = [];
  const result = await e.db.transaction(async (tx) => {
    events = [];
    const value = await work(tx, (event) => void events.push(event));
    await appendEvents(tx, events, e.clock.now());
    return value;
  });
  e.events.publish(events);
  return result;
}

async function create(e: Engine, actor: UserRow, input: CreateDocInput): Promise<DocRow> {
  const kind = input.kind ?? (input.decision ? 'decision' : 'page');
  if (input.decision && kind !== 'decision') throw unprocessable('Only decision records have a decision.', { field: 'decision' });
  if (input.handoff && kind !== 'handoff') throw unprocessable('Only handoff notes have recipients.', { field: 'handoff' });
  // A handoff note without a body starts from the template the editor offers.
  const markdown = kind === 'handoff' && !input.markdown?.trim() ? HANDOFF_TEMPLATE_MARKDOWN : (input.markdown ?? '');
  // Parsed before admission: large input goes to the parser's worker pool, which has its own
  // per-person fairness and time limit — a slow parse must not hold the admission slot.
  const tree = await e.parser.parse(markdown, actor.id);
  return e.admission.run(actor.id, async () => {
    await yieldToLoop();
    const body = bodyFromMarkdown(markdown, { ...(await knownHandles(e.db)), tree });
    const row = newDocRow(actor, input, kind, body.derived, e.clock.now());
    return transact(e, async (tx, record) => {
      if (input.parentId) {
        const parent = await tx.select({ spaceId: documents.spaceId }).from(documents).where(eq(documents.id, input.parentId)).get();
        if (!parent || parent.spaceId !== input.spaceId) throw unprocessable('The parent document must be in the same space.', { field: 'parentId' });
      }
      const decision = kind === 'decision' ? await resolveDecision(tx, row.id, null, input.decision ?? {}, row.createdAt) : null;
      record(await e.writer.writeFirst(tx, row, body, decision, input.message ?? null));
      if (kind === 'handoff') await writeRecipients(tx, row.id, input.handoff?.to ?? [], row.createdAt);
      return row;
    });
  });
}

function newDocRow(actor: UserRow, input: CreateDocInput, kind: DocKind, derived: DerivedBody, now: number): DocRow {
  return {
    id: newId(),
    spaceId: input.spaceId,
    parentId: input.parentId ?? null,
    kind,
    title: input.title,
    markdown: derived.markdown,
    content: derived.content,
    text: derived.text,
    revision: 1,
    createdBy: actor.id,
    updatedBy: actor.id,
    createdAt: now,
    updatedAt: now,
    trashedAt: null,
  };
}

/** What a change sets besides the body, worked out inside the write transaction (`doc`: the row after a move). */
type ChangeIn = (tx: Tx, record: RecordEvent) => Promise<Omit<RevisionChange, 'update'> & { doc?: DocRow }>;

/**
 * Writes a revision of `current` from its body as it is now with `update` (an API edit) applied.
 * The heavy work — opening the body, applying, deriving — runs outside the write transaction, in
 * slices between which the event loop runs; the transaction itself only catches up with live
 * updates appended meanwhile (re-deriving only then), works out the change (a move included) and
 * writes. Runs under the document's lock. Live editors get an API edit's update once it is committed
 * (`onUpdate`); everyone else follows the `doc.revised` event.
 */
async function reviseFromCurrent(e: Engine, current: DocRow, update: Uint8Array | null, change: ChangeIn): Promise<Outcome> {
  const { h, through } = await e.bodies.openCurrent(current);
  let kept = false;
  try {
    await yieldToLoop();
    if (update) applyRemoteUpdate(h, update);
    await yieldToLoop();
    let derived = derive(h);
    await yieldToLoop();
    const { written, ...result } = await transact(e, async (tx, record) => {
      if ((await e.bodies.catchUp(tx, current.id, h, through)) !== through) derived = derive(h);
      const { doc = current, ...rest } = await change(tx, record);
      const outcome = await e.writer.write(tx, doc, h.doc, { ...rest, update }, derived, e.clock.now());
      if (outcome.written) record(outcome.written.event);
      return outcome;
    });
    if (written) {
      e.bodies.keepWarm(current.id, h, result.doc.revision, written.through, written.bytes);
      kept = true;
      if (update) notify(e.updateListeners, current.id, update);
    }
    return result;
  } finally {
    if (!kept) h.dispose();
  }
}

/** The document, if it may take a body change now. */
async function writable(e: Engine, docId: string): Promise<DocRow> {
  const current = await e.db.select().from(documents).where(eq(documents.id, docId)).get();
  if (!current) throw notFound('Document');
  if (current.trashedAt) throw conflict('The document is in the trash; restore it first.');
  return current;
}

/** Title, decision and (in the same transaction) parent of an API change; the body comes as its update. */
function apiChange(e: Engine, actor: UserRow, current: DocRow, input: PatchDocInput): ChangeIn {
  return async (tx, record) => {
    let doc = current;
    if (input.parentId !== undefined) {
      const moved = await moveInTree(tx, actor, current, input.parentId);
      if (moved.event) record(moved.event);
      doc = moved.doc;
    }
    const decisionBefore = current.kind === 'decision' ? await decisionOf(tx, current.id) : null;
    const decisionAfter = input.decision ? await resolveDecision(tx, current.id, decisionBefore, input.decision, e.clock.now()) : decisionBefore;
    const recipientsChanged = input.handoff ? await writeRecipients(tx, current.id, input.handoff.to, e.clock.now()) : false;
    return { doc, actorId: actor.id, title: input.title ?? current.title, decisionBefore, decisionAfter, recipientsChanged, message: input.message ?? null, source: 'api' };
  };
}

async function patch(e: Engine, actor: UserRow, docId: string, input: PatchDocInput): Promise<Outcome> {
  // Parsed before admission (see `create`).
  const tree = input.markdown !== undefined ? await e.parser.parse(input.markdown, actor.id) : undefined;
  return e.admission.run(actor.id, () =>
    e.lock.run(docId, async () => {
      const current = await writable(e, docId);
      if (input.decision && current.kind !== 'decision') throw unprocessable('Only decision records have a decision.', { field: 'decision' });
      if (input.handoff && current.kind !== 'handoff') throw unprocessable('Only handoff notes have recipients.', { field: 'handoff' });
      let update: Uint8Array | null = null;
      if (input.markdown !== undefined) {
        const baseRevision = input.baseRevision ?? current.revision;
        const base = await e.bodies.revisionState(e.db, docId, baseRevision);
        if (!base) throw unprocessable(`Revision ${baseRevision} of this document does not exist.`, { field: 'baseRevision' });
        await yieldToLoop();
        update = await editToMarkdown(base, input.markdown, { ...(await knownHandles(e.db)), tree });
        await yieldToLoop();
      }
      // A move with nothing else changed commits without a revision; the caller gets the moved row.
      return reviseFromCurrent(e, current, update, apiChange(e, actor, current, input));
    }),
  );
}

async function restoreRevision(e: Engine, actor: UserRow, docId: string, revision: number): Promise<Outcome> {
  const old = await e.db.select().from(revisions).where(and(eq(revisions.docId, docId), eq(revisions.revision, revision))).get();
  if (!old) throw notFound('Revision');
  const stored = parseStoredDecision(old.decision);
  return e.admission.run(actor.id, () =>
    e.lock.run(docId, async () => {
      const current = await writable(e, docId);
      // From the body as it is now to the revision's, node for node: a Yjs update like any edit.
      const base = await e.bodies.loadState(e.db, docId);
      await yieldToLoop();
      const update = await editToContent(base, old.content);
      await yieldToLoop();
      return reviseFromCurrent(e, current, update, async (tx) => {
        const decisionBefore = current.kind === 'decision' ? await decisionOf(tx, docId) : null;
        const decisionAfter = stored ? await resolveDecision(tx, docId, decisionBefore, decisionInputOf(stored), e.clock.now()) : decisionBefore;
        return { actorId: actor.id, title: old.title, decisionBefore, decisionAfter, message: `Restored revision ${revision}`, source: 'api' };
      });
    }),
  );
}

async function snapshot(e: Engine, docId: string): Promise<{ doc: DocRow | null; changed: boolean }> {
  return e.lock.run(docId, async () => {
    const current = await e.db.select().from(documents).where(eq(documents.id, docId)).get();
    if (!current) return { doc: null, changed: false };
    return reviseFromCurrent(e, current, null, async (tx) => {
      const decision = current.kind === 'decision' ? await decisionOf(tx, docId) : null;
      return { actorId: null, title: current.title, decisionBefore: decision, decisionAfter: decision, message: null, source: 'live' };
    });
  });
}
