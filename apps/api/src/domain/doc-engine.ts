import * as Y from 'yjs';
import {
  and,
  asc,
  decisionOwners,
  desc,
  decisions,
  docSnapshots,
  docUpdates,
  documents,
  eq,
  gt,
  inArray,
  isNotNull,
  lte,
  mentions,
  outbox,
  revisionAuthors,
  revisions,
  sql,
  users,
  withWritePriority,
  type Db,
  type DbOrTx,
  type Tx,
} from '@handoff/db';
import {
  $collectMentions,
  $rootToMarkdown,
  $rootToPlainText,
  $setRootFromMarkdown,
  type MarkdownImportOptions,
} from '@handoff/shared/markdown';
import { applyRemoteUpdate, openHeadlessDoc, type HeadlessDoc } from '../collab/headless.ts';
import { $replaceChangedBlocks } from '../collab/block-patch.ts';
import { notFound, conflict, unprocessable } from './errors.ts';
import type { DocRow, UserRow } from './model.ts';
import { KeyedLock } from './doc-lock.ts';
import { MarkdownParser } from './markdown-parser.ts';
import { newId } from './ids.ts';
import { WriteAdmission } from './write-admission.ts';
import type { Clock } from './ports.ts';
import type { ReadCache } from './read-cache.ts';

export type DecisionStatus = 'proposed' | 'accepted' | 'superseded' | 'rejected';
export interface DecisionValue {
  status: DecisionStatus;
  owners: string[];
  supersedes: string | null;
  decidedAt: number | null;
}
export interface DecisionInput {
  status?: DecisionStatus | undefined;
  owners?: string[] | undefined;
  supersedes?: string | null | undefined;
  decidedAt?: string | null | undefined;
}

export interface CreateDocInput {
  spaceId: string;
  title: string;
  markdown?: string | undefined;
  parentId?: string | null | undefined;
  kind?: 'page' | 'decision' | undefined;
  decision?: DecisionInput | undefined;
  message?: string | null | undefined;
}

export interface PatchDocInput {
  title?: string | undefined;
  markdown?: string | undefined;
  decision?: DecisionInput | undefined;
  message?: string | null | undefined;
  baseRevision?: number | undefined;
}

export interface DocEngine {
  /** Creates a document at revision 1; pass `tx` to make it part of a larger transaction. */
  create(actor: UserRow, input: CreateDocInput, tx?: Tx): Promise<DocRow>;
  /** Applies a change; `changed` is false (and no revision is made) when nothing would differ. */
  patch(actor: UserRow, docId: string, input: PatchDocInput): Promise<{ doc: DocRow; changed: boolean }>;
  /** Restores the body, title and decision of an earlier revision as a new revision. */
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
  appendUpdates(entries: ReadonlyArray<{ docId: string; update: Uint8Array; userId: string | null }>): Promise<number[]>;
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
  /** Called after a revision was committed (by a PATCH, a restore or a snapshot of live edits). */
  onRevision(listener: (docId: string, revision: number) => void): () => void;
}

/** What a new revision changes besides the body (whose Y.Doc the caller passes). */
interface RevisionChange {
  /** Who made the change; null: the last person whose live edits the revision includes. */
  actorId: string | null;
  title: string;
  decisionBefore: DecisionValue | null;
  decisionAfter: DecisionValue | null;
  /** A Yjs update to append to the log with the revision (API edits; live edits are logged already). */
  update: Uint8Array | null;
  message: string | null;
  source: 'api' | 'live';
}

/** Fold the log into the snapshot once this many updates are covered by a revision. */
export const COMPACT_AFTER = 64;

/** Bodies kept open after a write, for the next write of the same document (see `openCurrentBody`). */
const WARM_BODIES = 16;
/** Larger bodies (encoded Y.Doc state) are not kept open. */
const WARM_MAX_BYTES = 1024 * 1024;

interface Derived {
  content: string;
  markdown: string;
  text: string;
  mentions: string[];
}

function derive(h: HeadlessDoc): Derived {
  const { markdown, text, handles } = h.read(() => ({
    markdown: $rootToMarkdown(),
    text: $rootToPlainText(),
    handles: $collectMentions(),
  }));
  return { content: JSON.stringify(h.toJSON()), markdown, text, mentions: handles };
}

/** The handles of the mention nodes in a serialized Lexical state (the JSON a revision stores). */
function mentionsIn(content: string): string[] {
  const handles = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as { type?: unknown; handle?: unknown; children?: unknown; root?: unknown };
    if (n.type === 'mention' && typeof n.handle === 'string') handles.add(n.handle);
    if (Array.isArray(n.children)) n.children.forEach(walk);
    if (n.root) walk(n.root);
  };
  try {
    walk(JSON.parse(content));
  } catch {
    /* not JSON: no mentions */
  }
  return [...handles];
}

function isEmptyUpdate(update: Uint8Array): boolean {
  // An update with any struct or deletion is longer than two bytes: only tiny ones need a look.
  if (update.byteLength > 2) return false;
  const probe = new Y.Doc();
  Y.applyUpdate(probe, update);
  const empty = probe.store.clients.size === 0 && probe.store.pendingStructs === null;
  probe.destroy();
  return empty;
}

/**
 * Lets the event loop run (I/O, timers: live collaboration messages) between the heavy synchronous
 * steps of a body write. The local database client answers synchronously, so without this a whole
 * write — and several writes handing the write gate to one another — would run as one long chain
 * of microtasks that no socket can interrupt.
 */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Every change to a document body goes through its Y.Doc here — the single source of truth that
 * live editors share. Markdown from the API is applied by a headless Lexical editor bound to the
 * Y.Doc *as it was at the revision the client started from*, and only the blocks that differ are
 * replaced; the resulting Yjs update is merged into the current state, so edits made meanwhile
 * elsewhere in the document survive. Title, Markdown, Lexical JSON and text of each revision are
 * derived from the merged Y.Doc.
 */
export function createDocEngine(deps: { db: Db; clock: Clock; cache?: ReadCache; markdown?: MarkdownParser; admission?: WriteAdmission }): DocEngine {
  const { db, clock, cache } = deps;
  const markdownParser = deps.markdown ?? new MarkdownParser();
  const admission = deps.admission ?? new WriteAdmission();
  const lock = new KeyedLock();
  // Writes from this process never overlap: @handoff/db serializes them (see its write-gate.ts).
  const transaction = <T>(fn: (tx: Tx) => Promise<T>) => db.transaction(fn);

  /**
   * A headless editor holding the document's current body, opened *outside* any write transaction:
   * the latest revision's Y.Doc state (compact: garbage-collected when it was written) plus the log
   * updates after it — which compaction never folds, and which are few (live edits since that
   * revision) — instead of merging the whole log. `through` is the last log id it includes; the
   * caller's transaction catches up with anything appended after that (`catchUp`). Must run under
   * the document's lock (so no revision or compaction of it happens meanwhile).
   */
  async function openCurrentBody(current: DocRow): Promise<{ h: HeadlessDoc; through: number }> {
    const atRevision = and(eq(revisions.docId, current.id), eq(revisions.revision, current.revision));
    const rev = await db.select({ through: revisions.throughUpdateId }).from(revisions).where(atRevision).get();
    const kept = warm.get(current.id);
    if (kept) warm.delete(current.id);
    if (kept && rev && kept.revision === current.revision && kept.through === rev.through) {
      // Still exactly this revision's body: catch up with the live updates after it, if any.
      try {
        const through = await catchUp(db, current.id, kept.h, rev.through);
        return { h: kept.h, through };
      } catch (err) {
        kept.h.dispose();
        throw err;
      }
    }
    kept?.h.dispose();
    if (!rev) {
      // No revision row for the current revision (should not happen): the whole log, as it is.
      const last = await db.select({ id: sql<number | null>`max(${docUpdates.id})` }).from(docUpdates).where(eq(docUpdates.docId, current.id)).get();
      const state = await loadState(db, current.id);
      return { h: openHeadlessDoc(state), through: last?.id ?? 0 };
    }
    const base = await db.select({ state: revisions.ydocState }).from(revisions).where(atRevision).get();
    const later = await db
      .select({ id: docUpdates.id, update: docUpdates.update })
      .from(docUpdates)
      .where(and(eq(docUpdates.docId, current.id), gt(docUpdates.id, rev.through)))
      .orderBy(asc(docUpdates.id))
      .all();
    const state = mergeState(new Uint8Array(base!.state), later.map((row) => new Uint8Array(row.update)));
    return { h: openHeadlessDoc(state), through: later.length ? later[later.length - 1]!.id : rev.through };
  }

  /**
   * Headless editors of bodies this engine just wrote a revision from, by document (least recently
   * written first): the next write of that document starts from it instead of opening the stored
   * state again. Each holds exactly its revision's body — every change in it came through Yjs
   * (`applyRemoteUpdate`), as a collaborator's would — and is only ever used under the document's
   * lock, taken out of the map while in use.
   */
  const warm = new Map<string, { h: HeadlessDoc; revision: number; through: number }>();

  function keepWarm(docId: string, h: HeadlessDoc, revision: number, through: number, bytes: number) {
    if (bytes > WARM_MAX_BYTES) return h.dispose();
    warm.set(docId, { h, revision, through });
    while (warm.size > WARM_BODIES) {
      const [oldest, entry] = warm.entries().next().value!;
      warm.delete(oldest);
      entry.h.dispose();
    }
  }

  /**
   * Inside the write transaction: applies to `h` the log updates appended after `through` (live
   * edits that arrived while the body was computed outside it), so the revision holds everything
   * its `through_update_id` covers. Returns the last log id `h` now includes.
   */
  async function catchUp(tx: DbOrTx, docId: string, h: HeadlessDoc, through: number): Promise<number> {
    const later = await tx
      .select({ id: docUpdates.id, update: docUpdates.update })
      .from(docUpdates)
      .where(and(eq(docUpdates.docId, docId), gt(docUpdates.id, through)))
      .orderBy(asc(docUpdates.id))
      .all();
    for (const row of later) applyRemoteUpdate(h, new Uint8Array(row.update));
    return later.length ? later[later.length - 1]!.id : through;
  }

  async function knownHandles(tx: DbOrTx): Promise<MarkdownImportOptions> {
    const rows = await tx.select({ handle: users.handle }).from(users).all();
    const set = new Set(rows.map((r) => r.handle));
    return { isKnownHandle: (h: string) => set.has(h.toLowerCase()) };
  }

  const updateListeners = new Set<(docId: string, update: Uint8Array) => void>();
  const revisionListeners = new Set<(docId: string, revision: number) => void>();
  const listen = <T>(set: Set<T>, fn: T) => {
    set.add(fn);
    return () => void set.delete(fn);
  };
  function emit<A extends unknown[]>(set: Set<(...args: A) => void>, ...args: A) {
    for (const fn of set) {
      try {
        fn(...args);
      } catch {
        /* a listener's failure is its own; the change is committed */
      }
    }
  }

  /**
   * The snapshot plus the log after it. Compaction (jobs/compaction.ts) may fold the log into the
   * snapshot between the two reads when `tx` is not a transaction; the snapshot's position is then
   * read again, and a moved snapshot means reading both again.
   */
  async function loadState(tx: DbOrTx, docId: string): Promise<Uint8Array> {
    for (let attempt = 0; ; attempt++) {
      const snap = await tx.select().from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
      const after = snap?.throughUpdateId ?? 0;
      const log = await tx
        .select({ update: docUpdates.update })
        .from(docUpdates)
        .where(and(eq(docUpdates.docId, docId), gt(docUpdates.id, after)))
        .orderBy(asc(docUpdates.id))
        .all();
      const moved = await tx.select({ through: docSnapshots.throughUpdateId }).from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
      if ((moved?.through ?? 0) !== after && attempt < 5) continue;
      return mergeState(snap ? new Uint8Array(snap.state) : null, log.map((row) => new Uint8Array(row.update)));
    }
  }

  function mergeState(snapshotState: Uint8Array | null, log: Uint8Array[]): Uint8Array {
    const parts: Uint8Array[] = [];
    if (snapshotState) parts.push(snapshotState);
    parts.push(...log);
    if (parts.length === 0) return new Uint8Array();
    return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  }

  /** The decision records of several documents in two queries (documents without one are absent). */
  async function decisionsOf(tx: DbOrTx, docIds: string[]): Promise<Map<string, DecisionValue>> {
    const out = new Map<string, DecisionValue>();
    if (!docIds.length) return out;
    const rows = await tx.select().from(decisions).where(inArray(decisions.docId, docIds)).all();
    if (!rows.length) return out;
    const owners = await tx.select().from(decisionOwners).where(inArray(decisionOwners.docId, rows.map((r) => r.docId))).all();
    for (const row of rows) {
      const mine = owners.filter((o) => o.docId === row.docId).map((o) => o.userId).sort();
      out.set(row.docId, { status: row.status, owners: mine, supersedes: row.supersedes, decidedAt: row.decidedAt });
    }
    return out;
  }

  async function decisionOf(tx: DbOrTx, docId: string): Promise<DecisionValue | null> {
    return (await decisionsOf(tx, [docId])).get(docId) ?? null;
  }

  /** Validates a decision change against the database and merges it over the current value. */
  async function resolveDecision(tx: DbOrTx, docId: string, current: DecisionValue | null, input: DecisionInput): Promise<DecisionValue> {
    const base: DecisionValue = current ?? { status: 'proposed', owners: [], supersedes: null, decidedAt: null };
    const next: DecisionValue = { ...base };
    if (input.status !== undefined) next.status = input.status;
    if (input.owners !== undefined) {
      const owners = [...new Set(input.owners)].sort();
      if (owners.length) {
        const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, owners)).all();
        const missing = owners.filter((o) => !found.some((f) => f.id === o));
        if (missing.length) throw unprocessable('Some decision owners are not people in this workspace.', { owners: missing });
      }
      next.owners = owners;
    }
    if (input.supersedes !== undefined) {
      if (input.supersedes === docId) throw unprocessable('A decision cannot supersede itself.', { field: 'decision.supersedes' });
      if (input.supersedes !== null) {
        const target = await tx.select({ kind: documents.kind }).from(documents).where(eq(documents.id, input.supersedes)).get();
        if (!target || target.kind !== 'decision') {
          throw unprocessable('`supersedes` must name another decision record.', { field: 'decision.supersedes' });
        }
      }
      next.supersedes = input.supersedes;
    }
    if (input.decidedAt !== undefined) next.decidedAt = input.decidedAt === null ? null : Date.parse(input.decidedAt);
    else if (next.status !== base.status && (next.status === 'accepted' || next.status === 'rejected')) next.decidedAt = clock.now();
    return next;
  }

  async function writeDecision(tx: DbOrTx, docId: string, value: DecisionValue) {
    await tx
      .insert(decisions)
      .values({ docId, status: value.status, supersedes: value.supersedes, decidedAt: value.decidedAt })
      .onConflictDoUpdate({ target: decisions.docId, set: { status: value.status, supersedes: value.supersedes, decidedAt: value.decidedAt } });
    await tx.delete(decisionOwners).where(eq(decisionOwners.docId, docId));
    if (value.owners.length) await tx.insert(decisionOwners).values(value.owners.map((userId) => ({ docId, userId })));
  }

  /** Records people newly mentioned at `revision` (those not mentioned in the previous one). */
  async function writeMentions(tx: DbOrTx, doc: { id: string }, revision: number, before: string[], after: string[], actorId: string) {
    const fresh = after.filter((h) => !before.includes(h));
    if (!fresh.length) return;
    const people = await tx.select({ id: users.id }).from(users).where(inArray(users.handle, fresh)).all();
    if (!people.length) return;
    const now = clock.now();
    await tx
      .insert(mentions)
      .values(people.map((p) => ({ docId: doc.id, userId: p.id, revision, mentionedBy: actorId, createdAt: now })))
      .onConflictDoNothing();
  }

  async function create(actor: UserRow, input: CreateDocInput, outerTx?: Tx): Promise<DocRow> {
    const kind = input.kind ?? (input.decision ? 'decision' : 'page');
    if (input.decision && kind !== 'decision') throw unprocessable('Only decision records have a decision.', { field: 'decision' });
    // Parsed before admission: large input goes to the parser's worker pool, which has its own
    // per-person fairness and time limit — a slow parse must not hold the admission slot.
    const tree = await markdownParser.parse(input.markdown ?? '', actor.id);
    // Inside a caller's transaction (which holds the write gate) it neither queues nor yields.
    if (outerTx) return createNow(actor, input, kind, tree, outerTx);
    return admission.run(actor.id, async () => {
      await yieldToLoop();
      return createNow(actor, input, kind, tree);
    });
  }

  async function createNow(actor: UserRow, input: CreateDocInput, kind: 'page' | 'decision', tree: MarkdownImportOptions['tree'], outerTx?: Tx): Promise<DocRow> {
    const options = { ...(await knownHandles(outerTx ?? db)), tree };
    const h = openHeadlessDoc();
    let state: Uint8Array;
    let derived: Derived;
    try {
      h.update(() => $setRootFromMarkdown(input.markdown ?? '', options));
      state = Y.encodeStateAsUpdate(h.doc);
      derived = derive(h);
    } finally {
      h.dispose();
    }
    const now = clock.now();
    const id = newId();
    const write = async (tx: Tx) => {
      if (input.parentId) {
        const parent = await tx.select({ spaceId: documents.spaceId }).from(documents).where(eq(documents.id, input.parentId)).get();
        if (!parent || parent.spaceId !== input.spaceId) throw unprocessable('The parent document must be in the same space.', { field: 'parentId' });
      }
      const row: DocRow = {
        id,
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
      await tx.insert(documents).values(row);
      const [logged] = await tx
        .insert(docUpdates)
        .values({ docId: id, update: Buffer.from(state), userId: actor.id, createdAt: now })
        .returning({ id: docUpdates.id });
      let decision: DecisionValue | null = null;
      if (kind === 'decision') {
        decision = await resolveDecision(tx, id, null, input.decision ?? {});
        await writeDecision(tx, id, decision);
      }
      await tx.insert(revisions).values({
        docId: id,
        revision: 1,
        title: row.title,
        content: derived.content,
        markdown: derived.markdown,
        text: derived.text,
        decision: decision ? JSON.stringify(decision) : null,
        message: input.message ?? null,
        ydocState: Buffer.from(state),
        throughUpdateId: logged!.id,
        createdAt: now,
      });
      await tx.insert(revisionAuthors).values({ docId: id, revision: 1, userId: actor.id });
      await writeMentions(tx, row, 1, [], derived.mentions, actor.id);
      await tx.insert(outbox).values({
        topic: 'doc.created',
        docId: id,
        spaceId: row.spaceId,
        payload: JSON.stringify({ revision: 1, actor: actor.id }),
        createdAt: now,
      });
      return row;
    };
    return outerTx ? write(outerTx) : transaction(write);
  }

  /** The Yjs update that turns the body at `baseState` into `markdown`, block by block. */
  async function forkAndEdit(baseState: Uint8Array, markdown: string, options: MarkdownImportOptions): Promise<Uint8Array | null> {
    const fork = openHeadlessDoc(baseState);
    try {
      await yieldToLoop();
      const before = Y.encodeStateVector(fork.doc);
      let changed = false;
      fork.update(() => {
        changed = $replaceChangedBlocks(markdown, options);
      });
      if (!changed) return null;
      const update = Y.encodeStateAsUpdate(fork.doc, before);
      return isEmptyUpdate(update) ? null : update;
    } finally {
      fork.dispose();
    }
  }

  /**
   * Writes the next revision from `h` (the document's Y.Doc as it is now, with `change.update`
   * applied) — the one place revisions are made, for API changes and live edits alike. Credits the
   * actor and everyone whose updates are in the log since the previous revision. Runs inside the
   * caller's transaction; `derived` is what `derive(h)` returns for `h` as it is now.
   */
  async function writeRevision(
    tx: Tx,
    current: DocRow,
    h: HeadlessDoc,
    change: RevisionChange,
    derived: Derived,
  ): Promise<{ doc: DocRow; changed: boolean; written?: { through: number; bytes: number } }> {
    const previousRevision = await tx
      .select({ throughUpdateId: revisions.throughUpdateId })
      .from(revisions)
      .where(and(eq(revisions.docId, current.id), eq(revisions.revision, current.revision)))
      .get();
    const since = previousRevision?.throughUpdateId ?? 0;
    const bodyChanged = derived.content !== current.content;
    const titleChanged = change.title !== current.title;
    const decisionChanged = JSON.stringify(change.decisionAfter) !== JSON.stringify(change.decisionBefore);
    if (!bodyChanged && !titleChanged && !decisionChanged) return { doc: current, changed: false };

    // Live edits since the last revision are in the log too: everyone who made one is an author.
    const liveAuthors = await tx
      .selectDistinct({ userId: docUpdates.userId })
      .from(docUpdates)
      .where(and(eq(docUpdates.docId, current.id), gt(docUpdates.id, since), isNotNull(docUpdates.userId)))
      .all();
    const lastLive = change.actorId
      ? undefined
      : await tx
          .select({ userId: docUpdates.userId })
          .from(docUpdates)
          .where(and(eq(docUpdates.docId, current.id), gt(docUpdates.id, since), isNotNull(docUpdates.userId)))
          .orderBy(desc(docUpdates.id))
          .limit(1)
          .get();
    const actorId = change.actorId ?? lastLive?.userId ?? current.updatedBy;

    const now = clock.now();
    let throughUpdateId = since;
    if (change.update) {
      const [logged] = await tx
        .insert(docUpdates)
        .values({ docId: current.id, update: Buffer.from(change.update), userId: actorId, createdAt: now })
        .returning({ id: docUpdates.id });
      throughUpdateId = logged!.id;
    } else {
      const last = await tx.select({ id: sql<number | null>`max(${docUpdates.id})` }).from(docUpdates).where(eq(docUpdates.docId, current.id)).get();
      throughUpdateId = Math.max(throughUpdateId, last?.id ?? 0);
    }
    const revision = current.revision + 1;
    const ydocState = Y.encodeStateAsUpdate(h.doc);
    if (decisionChanged && change.decisionAfter) await writeDecision(tx, current.id, change.decisionAfter);
    await tx.insert(revisions).values({
      docId: current.id,
      revision,
      title: change.title,
      content: derived.content,
      markdown: derived.markdown,
      text: derived.text,
      decision: change.decisionAfter ? JSON.stringify(change.decisionAfter) : null,
      message: change.message,
      ydocState: Buffer.from(ydocState),
      throughUpdateId,
      createdAt: now,
    });
    const authors = new Set([actorId, ...liveAuthors.map((a) => a.userId).filter((u): u is string => !!u)]);
    await tx.insert(revisionAuthors).values([...authors].map((userId) => ({ docId: current.id, revision, userId })));
    const next: DocRow = {
      ...current,
      title: change.title,
      markdown: derived.markdown,
      content: derived.content,
      text: derived.text,
      revision,
      updatedBy: actorId,
      updatedAt: now,
    };
    await tx
      .update(documents)
      .set({ title: next.title, markdown: next.markdown, content: next.content, text: next.text, revision, updatedBy: actorId, updatedAt: now })
      .where(eq(documents.id, current.id));
    await writeMentions(tx, current, revision, mentionsIn(current.content), derived.mentions, actorId);
    await tx.insert(outbox).values({
      topic: 'doc.revised',
      docId: current.id,
      spaceId: current.spaceId,
      payload: JSON.stringify({ revision, actor: actorId, authors: [...authors], source: change.source, titleChanged, bodyChanged, decisionChanged }),
      createdAt: now,
    });
    return { doc: next, changed: true, written: { through: throughUpdateId, bytes: ydocState.byteLength } };
  }

  /** After a committed revision: forget the cached document, then tell live editors and jobs. */
  function committed(docId: string, result: { doc: DocRow | null; changed: boolean }, update: Uint8Array | null) {
    if (!result.changed || !result.doc) return;
    cache?.forgetDoc(docId);
    if (update) emit(updateListeners, docId, update);
    emit(revisionListeners, docId, result.doc.revision);
  }

  /**
   * Writes a revision of `current` from its body as it is now with `update` (an API edit) applied.
   * The heavy work — opening the body, applying, deriving — runs outside the write transaction, in
   * slices between which the event loop runs; the transaction itself only catches up with live
   * updates appended meanwhile (re-deriving only then) and writes. Runs under the document's lock.
   */
  async function reviseFromCurrent(current: DocRow, update: Uint8Array | null, change: (tx: Tx) => Promise<Omit<RevisionChange, 'update'>>) {
    const { h, through } = await openCurrentBody(current);
    let kept = false;
    try {
      await yieldToLoop();
      if (update) applyRemoteUpdate(h, update);
      await yieldToLoop();
      let derived = derive(h);
      await yieldToLoop();
      const { written, ...result } = await transaction(async (tx) => {
        if ((await catchUp(tx, current.id, h, through)) !== through) derived = derive(h);
        return writeRevision(tx, current, h, { ...(await change(tx)), update }, derived);
      });
      if (written && result.doc) {
        keepWarm(current.id, h, result.doc.revision, written.through, written.bytes);
        kept = true;
      }
      return result;
    } finally {
      if (!kept) h.dispose();
    }
  }

  async function patch(actor: UserRow, docId: string, input: PatchDocInput) {
    let update: Uint8Array | null = null;
    // Parsed before admission (see `create`).
    const tree = input.markdown !== undefined ? await markdownParser.parse(input.markdown, actor.id) : undefined;
    const result = await admission.run(actor.id, () =>
      lock.run(docId, async () => {
        const current = await db.select().from(documents).where(eq(documents.id, docId)).get();
        if (!current) throw notFound('Document');
        if (current.trashedAt) throw conflict('The document is in the trash; restore it first.');
        if (input.decision && current.kind !== 'decision') throw unprocessable('Only decision records have a decision.', { field: 'decision' });
        const options = await knownHandles(db);

        if (input.markdown !== undefined) {
          const baseRevision = input.baseRevision ?? current.revision;
          const base = await db
            .select({ state: revisions.ydocState })
            .from(revisions)
            .where(and(eq(revisions.docId, docId), eq(revisions.revision, baseRevision)))
            .get();
          if (!base) throw unprocessable(`Revision ${baseRevision} of this document does not exist.`, { field: 'baseRevision' });
          await yieldToLoop();
          update = await forkAndEdit(new Uint8Array(base.state), input.markdown, { ...options, tree });
          await yieldToLoop();
        }

        return reviseFromCurrent(current, update, async (tx) => {
          const decisionBefore = current.kind === 'decision' ? await decisionOf(tx, docId) : null;
          const decisionAfter = input.decision ? await resolveDecision(tx, docId, decisionBefore, input.decision) : decisionBefore;
          return {
            actorId: actor.id,
            title: input.title ?? current.title,
            decisionBefore,
            decisionAfter,
            message: input.message ?? null,
            source: 'api',
          };
        });
      }),
    );
    committed(docId, result, update);
    return result;
  }

  async function snapshot(docId: string) {
    const result = await lock.run(docId, async () => {
      const current = await db.select().from(documents).where(eq(documents.id, docId)).get();
      if (!current) return { doc: null, changed: false };
      return reviseFromCurrent(current, null, async (tx) => {
        const decision = current.kind === 'decision' ? await decisionOf(tx, docId) : null;
        return {
          actorId: null,
          title: current.title,
          decisionBefore: decision,
          decisionAfter: decision,
          message: null,
          source: 'live',
        };
      });
    });
    committed(docId, result, null);
    return result;
  }

  /** The hot path of live editing (one per keystroke batch): a single prepared-shape insert. */
  async function appendUpdate(docId: string, update: Uint8Array, userId: string | null): Promise<number> {
    const result = await db.run(
      sql`INSERT INTO doc_updates (doc_id, "update", user_id, created_at) VALUES (${docId}, ${Buffer.from(update.buffer, update.byteOffset, update.byteLength)}, ${userId}, ${clock.now()})`,
    );
    return Number(result.lastInsertRowid);
  }

  /** Group commit of live updates (collab/group-commit.ts): one multi-row insert, so one pass through the write gate. */
  async function appendUpdates(entries: ReadonlyArray<{ docId: string; update: Uint8Array; userId: string | null }>): Promise<number[]> {
    if (!entries.length) return [];
    const now = clock.now();
    const rows = entries.map(
      (e) => sql`(${e.docId}, ${Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength)}, ${e.userId}, ${now})`,
    );
    // Someone is waiting for this acknowledgement: the write gate's priority lane (alternating with REST writes).
    const ids = await withWritePriority(() =>
      db.all<{ id: number }>(sql`INSERT INTO doc_updates (doc_id, "update", user_id, created_at) VALUES ${sql.join(rows, sql`, `)} RETURNING id`),
    );
    // One statement: the rows get ascending ids in the order of VALUES.
    return ids.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /**
   * Folds the updates that the latest revision includes into the snapshot and deletes them from
   * the log; updates after its `through_update_id` are never touched (the next revision and its
   * authors are made from them). Returns how many were folded.
   */
  async function compact(docId: string, minUpdates = COMPACT_AFTER): Promise<number> {
    return lock.run(docId, () =>
      transaction(async (tx) => {
        const latest = await tx
          .select({ through: sql<number | null>`max(${revisions.throughUpdateId})` })
          .from(revisions)
          .where(eq(revisions.docId, docId))
          .get();
        const through = latest?.through ?? 0;
        if (!through) return 0;
        const covered = await tx
          .select({ update: docUpdates.update })
          .from(docUpdates)
          .where(and(eq(docUpdates.docId, docId), lte(docUpdates.id, through)))
          .orderBy(asc(docUpdates.id))
          .all();
        if (covered.length < minUpdates) return 0;
        const snap = await tx.select().from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
        const state = Buffer.from(mergeState(snap ? new Uint8Array(snap.state) : null, covered.map((c) => new Uint8Array(c.update))));
        const now = clock.now();
        await tx
          .insert(docSnapshots)
          .values({ docId, state, throughUpdateId: through, updatedAt: now })
          .onConflictDoUpdate({ target: docSnapshots.docId, set: { state, throughUpdateId: through, updatedAt: now } });
        await tx.delete(docUpdates).where(and(eq(docUpdates.docId, docId), lte(docUpdates.id, through)));
        return covered.length;
      }),
    );
  }

  async function restoreRevision(actor: UserRow, docId: string, revision: number) {
    const old = await db.select().from(revisions).where(and(eq(revisions.docId, docId), eq(revisions.revision, revision))).get();
    if (!old) throw notFound('Revision');
    const decision = old.decision ? (JSON.parse(old.decision) as DecisionValue) : undefined;
    return patch(actor, docId, {
      title: old.title,
      markdown: old.markdown,
      message: `Restored revision ${revision}`,
      decision: decision
        ? {
            status: decision.status,
            owners: decision.owners,
            supersedes: decision.supersedes,
            decidedAt: decision.decidedAt === null ? null : new Date(decision.decidedAt).toISOString(),
          }
        : undefined,
    });
  }

  return {
    create,
    patch,
    restoreRevision,
    snapshot,
    appendUpdate,
    appendUpdates,
    compact,
    loadState,
    decisionOf,
    decisionsOf,
    onUpdate: (fn) => listen(updateListeners, fn),
    onRevision: (fn) => listen(revisionListeners, fn),
  };
}
