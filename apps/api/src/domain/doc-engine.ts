import * as Y from 'yjs';
import {
  and,
  asc,
  decisionOwners,
  decisions,
  docSnapshots,
  docUpdates,
  documents,
  eq,
  gt,
  inArray,
  lte,
  mentions,
  outbox,
  revisionAuthors,
  revisions,
  sql,
  users,
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
import { conflict, notFound, unprocessable } from '../errors.ts';
import type { DocRow, UserRow } from './access.ts';
import { KeyedLock } from './doc-lock.ts';
import { newId } from './ids.ts';
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
  /** The document's current Y.Doc state (snapshot merged with the update log). */
  loadState(db: DbOrTx, docId: string): Promise<Uint8Array>;
  decisionOf(db: DbOrTx, docId: string): Promise<DecisionValue | null>;
}

interface Derived {
  content: string;
  markdown: string;
  text: string;
  mentions: string[];
}

/** After this many updates in the log that a revision already covers, fold them into the snapshot. */
const COMPACT_AFTER = 64;

function derive(h: HeadlessDoc): Derived {
  const { markdown, text, handles } = h.read(() => ({
    markdown: $rootToMarkdown(),
    text: $rootToPlainText(),
    handles: $collectMentions(),
  }));
  return { content: JSON.stringify(h.toJSON()), markdown, text, mentions: handles };
}

function isEmptyUpdate(update: Uint8Array): boolean {
  const probe = new Y.Doc();
  Y.applyUpdate(probe, update);
  const empty = probe.store.clients.size === 0 && probe.store.pendingStructs === null;
  probe.destroy();
  return empty && update.byteLength <= 2;
}

/**
 * Every change to a document body goes through its Y.Doc here — the single source of truth that
 * live editors share. Markdown from the API is applied by a headless Lexical editor bound to the
 * Y.Doc *as it was at the revision the client started from*, and only the blocks that differ are
 * replaced; the resulting Yjs update is merged into the current state, so edits made meanwhile
 * elsewhere in the document survive. Title, Markdown, Lexical JSON and text of each revision are
 * derived from the merged Y.Doc.
 */
export function createDocEngine(deps: { db: Db; clock: Clock; cache?: ReadCache }): DocEngine {
  const { db, clock, cache } = deps;
  const lock = new KeyedLock();

  async function knownHandles(tx: DbOrTx): Promise<MarkdownImportOptions> {
    const rows = await tx.select({ handle: users.handle }).from(users).all();
    const set = new Set(rows.map((r) => r.handle));
    return { isKnownHandle: (h: string) => set.has(h.toLowerCase()) };
  }

  async function loadState(tx: DbOrTx, docId: string): Promise<Uint8Array> {
    const snap = await tx.select().from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
    const after = snap?.throughUpdateId ?? 0;
    const log = await tx
      .select({ update: docUpdates.update })
      .from(docUpdates)
      .where(and(eq(docUpdates.docId, docId), gt(docUpdates.id, after)))
      .orderBy(asc(docUpdates.id))
      .all();
    const parts: Uint8Array[] = [];
    if (snap) parts.push(new Uint8Array(snap.state));
    for (const row of log) parts.push(new Uint8Array(row.update));
    if (parts.length === 0) return new Uint8Array();
    return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  }

  async function decisionOf(tx: DbOrTx, docId: string): Promise<DecisionValue | null> {
    const row = await tx.select().from(decisions).where(eq(decisions.docId, docId)).get();
    if (!row) return null;
    const owners = await tx.select({ userId: decisionOwners.userId }).from(decisionOwners).where(eq(decisionOwners.docId, docId)).all();
    return { status: row.status, owners: owners.map((o) => o.userId).sort(), supersedes: row.supersedes, decidedAt: row.decidedAt };
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
  async function writeMentions(tx: DbOrTx, doc: { id: string }, revision: number, before: string[], after: string[], actor: UserRow) {
    const fresh = after.filter((h) => !before.includes(h));
    if (!fresh.length) return;
    const people = await tx.select({ id: users.id }).from(users).where(inArray(users.handle, fresh)).all();
    if (!people.length) return;
    const now = clock.now();
    await tx
      .insert(mentions)
      .values(people.map((p) => ({ docId: doc.id, userId: p.id, revision, mentionedBy: actor.id, createdAt: now })))
      .onConflictDoNothing();
  }

  async function maybeCompact(tx: DbOrTx, docId: string, throughUpdateId: number) {
    const row = await tx
      .select({ n: sql<number>`count(*)` })
      .from(docUpdates)
      .where(and(eq(docUpdates.docId, docId), lte(docUpdates.id, throughUpdateId)))
      .get();
    if ((row?.n ?? 0) < COMPACT_AFTER) return;
    const snap = await tx.select().from(docSnapshots).where(eq(docSnapshots.docId, docId)).get();
    const covered = await tx
      .select({ update: docUpdates.update })
      .from(docUpdates)
      .where(and(eq(docUpdates.docId, docId), lte(docUpdates.id, throughUpdateId)))
      .orderBy(asc(docUpdates.id))
      .all();
    const parts = [...(snap ? [new Uint8Array(snap.state)] : []), ...covered.map((c) => new Uint8Array(c.update))];
    const state = Buffer.from(Y.mergeUpdates(parts));
    const now = clock.now();
    await tx
      .insert(docSnapshots)
      .values({ docId, state, throughUpdateId, updatedAt: now })
      .onConflictDoUpdate({ target: docSnapshots.docId, set: { state, throughUpdateId, updatedAt: now } });
    await tx.delete(docUpdates).where(and(eq(docUpdates.docId, docId), lte(docUpdates.id, throughUpdateId)));
  }

  async function create(actor: UserRow, input: CreateDocInput, outerTx?: Tx): Promise<DocRow> {
    const kind = input.kind ?? (input.decision ? 'decision' : 'page');
    if (input.decision && kind !== 'decision') throw unprocessable('Only decision records have a decision.', { field: 'decision' });
    const options = await knownHandles(outerTx ?? db);
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
      await writeMentions(tx, row, 1, [], derived.mentions, actor);
      await tx.insert(outbox).values({
        topic: 'doc.created',
        docId: id,
        spaceId: row.spaceId,
        payload: JSON.stringify({ revision: 1, actor: actor.id }),
        createdAt: now,
      });
      return row;
    };
    return outerTx ? write(outerTx) : db.transaction(write);
  }

  /** The Yjs update that turns the body at `baseState` into `markdown`, block by block. */
  function forkAndEdit(baseState: Uint8Array, markdown: string, options: MarkdownImportOptions): Uint8Array | null {
    const fork = openHeadlessDoc(baseState);
    try {
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

  async function patch(actor: UserRow, docId: string, input: PatchDocInput) {
    return lock.run(docId, async () => {
      const current = await db.select().from(documents).where(eq(documents.id, docId)).get();
      if (!current) throw notFound('Document');
      if (current.trashedAt) throw conflict('The document is in the trash; restore it first.');
      if (input.decision && current.kind !== 'decision') throw unprocessable('Only decision records have a decision.', { field: 'decision' });
      const options = await knownHandles(db);

      let update: Uint8Array | null = null;
      if (input.markdown !== undefined) {
        const baseRevision = input.baseRevision ?? current.revision;
        const base = await db
          .select({ state: revisions.ydocState })
          .from(revisions)
          .where(and(eq(revisions.docId, docId), eq(revisions.revision, baseRevision)))
          .get();
        if (!base) throw unprocessable(`Revision ${baseRevision} of this document does not exist.`, { field: 'baseRevision' });
        update = forkAndEdit(new Uint8Array(base.state), input.markdown, options);
      }

      return db.transaction(async (tx) => {
        const previousRevision = await tx
          .select({ throughUpdateId: revisions.throughUpdateId })
          .from(revisions)
          .where(and(eq(revisions.docId, docId), eq(revisions.revision, current.revision)))
          .get();
        const h = openHeadlessDoc(await loadState(tx, docId));
        try {
          const mentionedBefore = h.read(() => $collectMentions());
          if (update) applyRemoteUpdate(h, update);
          const derived = derive(h);
          const title = input.title ?? current.title;
          const decisionBefore = current.kind === 'decision' ? await decisionOf(tx, docId) : null;
          const decisionAfter = input.decision ? await resolveDecision(tx, docId, decisionBefore, input.decision) : decisionBefore;

          // Live edits since the last revision (issue: collaboration) are in the log too.
          const liveAuthors = await tx
            .selectDistinct({ userId: docUpdates.userId })
            .from(docUpdates)
            .where(and(eq(docUpdates.docId, docId), gt(docUpdates.id, previousRevision?.throughUpdateId ?? 0)))
            .all();
          const bodyChanged = derived.content !== current.content;
          const titleChanged = title !== current.title;
          const decisionChanged = JSON.stringify(decisionAfter) !== JSON.stringify(decisionBefore);
          if (!bodyChanged && !titleChanged && !decisionChanged) return { doc: current, changed: false };

          const now = clock.now();
          let throughUpdateId = previousRevision?.throughUpdateId ?? 0;
          if (update) {
            const [logged] = await tx
              .insert(docUpdates)
              .values({ docId, update: Buffer.from(update), userId: actor.id, createdAt: now })
              .returning({ id: docUpdates.id });
            throughUpdateId = logged!.id;
          } else {
            const last = await tx.select({ id: sql<number | null>`max(${docUpdates.id})` }).from(docUpdates).where(eq(docUpdates.docId, docId)).get();
            throughUpdateId = Math.max(throughUpdateId, last?.id ?? 0);
          }
          const revision = current.revision + 1;
          if (decisionChanged && decisionAfter) await writeDecision(tx, docId, decisionAfter);
          await tx.insert(revisions).values({
            docId,
            revision,
            title,
            content: derived.content,
            markdown: derived.markdown,
            text: derived.text,
            decision: decisionAfter ? JSON.stringify(decisionAfter) : null,
            message: input.message ?? null,
            ydocState: Buffer.from(Y.encodeStateAsUpdate(h.doc)),
            throughUpdateId,
            createdAt: now,
          });
          const authors = new Set([actor.id, ...liveAuthors.map((a) => a.userId).filter((u): u is string => !!u)]);
          await tx.insert(revisionAuthors).values([...authors].map((userId) => ({ docId, revision, userId })));
          const next: DocRow = {
            ...current,
            title,
            markdown: derived.markdown,
            content: derived.content,
            text: derived.text,
            revision,
            updatedBy: actor.id,
            updatedAt: now,
          };
          await tx
            .update(documents)
            .set({ title, markdown: next.markdown, content: next.content, text: next.text, revision, updatedBy: actor.id, updatedAt: now })
            .where(eq(documents.id, docId));
          await writeMentions(tx, current, revision, mentionedBefore, derived.mentions, actor);
          await tx.insert(outbox).values({
            topic: 'doc.revised',
            docId,
            spaceId: current.spaceId,
            payload: JSON.stringify({ revision, actor: actor.id, titleChanged, bodyChanged, decisionChanged }),
            createdAt: now,
          });
          await maybeCompact(tx, docId, throughUpdateId);
          cache?.forgetDoc(docId);
          return { doc: next, changed: true };
        } finally {
          h.dispose();
        }
      });
    });
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

  return { create, patch, restoreRevision, loadState, decisionOf };
}
