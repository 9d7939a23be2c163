import * as Y from 'yjs';
import { and, desc, docUpdates, documents, eq, gt, isNotNull, revisionAuthors, revisions, type Tx } from '@handoff/db';
import type { BodyStore } from './body-store.ts';
import { writeDecision, type DecisionValue } from './decisions.ts';
import type { DerivedBody } from './doc-body.ts';
import type { DocCreated, DocRevised } from './events.ts';
import { mentionsIn, writeMentions } from './mentions.ts';
import { syncDocLinks } from './doc-links.ts';
import { writeHandoffAsks } from './handoff-asks.ts';
import type { DocRow } from './model.ts';

/** What a new revision changes besides the body (whose Y.Doc the caller passes). */
export interface RevisionChange {
  /** Who made the change; null: the last person whose live edits the revision includes. */
  actorId: string | null;
  title: string;
  decisionBefore: DecisionValue | null;
  decisionAfter: DecisionValue | null;
  /** A handoff note's recipients changed (written in this transaction): a revision even if nothing else did. */
  recipientsChanged?: boolean;
  /** A Yjs update to append to the log with the revision (API edits; live edits are logged already). */
  update: Uint8Array | null;
  message: string | null;
  source: 'api' | 'live';
}

export interface RevisionWritten {
  doc: DocRow;
  changed: boolean;
  /** When a revision was written: the log id it covers, its state's size and the event to record. */
  written?: { through: number; bytes: number; event: DocRevised };
}

/**
 * Writes revisions: the one place they are made, for new documents, API changes and live edits
 * alike. Runs inside the caller's transaction and returns the event the caller records there.
 */
export class RevisionWriter {
  constructor(private readonly bodies: BodyStore) {}

  /** Revision 1 of a new document: the row, its first log update, the revision, its author and mentions. */
  async writeFirst(
    tx: Tx,
    row: DocRow,
    body: { state: Uint8Array; derived: DerivedBody },
    decision: DecisionValue | null,
    message: string | null,
  ): Promise<DocCreated> {
    const now = row.createdAt;
    await tx.insert(documents).values(row);
    const through = await this.bodies.log(tx, row.id, body.state, row.createdBy, now);
    if (decision) await writeDecision(tx, row.id, decision);
    await tx.insert(revisions).values({
      docId: row.id,
      revision: 1,
      title: row.title,
      content: body.derived.content,
      markdown: body.derived.markdown,
      text: body.derived.text,
      decision: decision ? JSON.stringify(decision) : null,
      message,
      ydocState: Buffer.from(body.state),
      throughUpdateId: through,
      createdAt: now,
    });
    await tx.insert(revisionAuthors).values({ docId: row.id, revision: 1, userId: row.createdBy });
    await writeMentions(tx, row.id, 1, [], body.derived.mentions, row.createdBy, now);
    await syncDocLinks(tx, row.id, body.derived.content, now);
    if (row.kind === 'handoff') await writeHandoffAsks(tx, row.id, 1, body.derived.content, [row.createdBy], row.createdBy, now);
    return { topic: 'doc.created', docId: row.id, spaceId: row.spaceId, revision: 1, actor: row.createdBy };
  }

  /**
   * The next revision from `ydoc` (the document's Y.Doc as it is now, with `change.update` applied).
   * Credits the actor and everyone whose updates are in the log since the previous revision;
   * writes nothing (`changed: false`) when title, body and decision are all as they were.
   * `derived` is what `derive` returns for that body as it is now.
   */
  async write(tx: Tx, current: DocRow, ydoc: Y.Doc, change: RevisionChange, derived: DerivedBody, now: number): Promise<RevisionWritten> {
    const previous = await tx
      .select({ throughUpdateId: revisions.throughUpdateId })
      .from(revisions)
      .where(and(eq(revisions.docId, current.id), eq(revisions.revision, current.revision)))
      .get();
    const since = previous?.throughUpdateId ?? 0;
    const bodyChanged = derived.content !== current.content;
    const titleChanged = change.title !== current.title;
    const decisionChanged = JSON.stringify(change.decisionAfter) !== JSON.stringify(change.decisionBefore);
    if (!bodyChanged && !titleChanged && !decisionChanged && !change.recipientsChanged) return { doc: current, changed: false };

    const { authors, actorId } = await this.authorsSince(tx, current, since, change.actorId);
    const through = change.update
      ? await this.bodies.log(tx, current.id, change.update, actorId, now)
      : Math.max(since, await this.bodies.lastUpdateId(tx, current.id));
    const revision = current.revision + 1;
    const ydocState = Y.encodeStateAsUpdate(ydoc);
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
      throughUpdateId: through,
      createdAt: now,
    });
    await tx.insert(revisionAuthors).values([...authors].map((userId) => ({ docId: current.id, revision, userId })));
    const next: DocRow = { ...current, title: change.title, markdown: derived.markdown, content: derived.content, text: derived.text, revision, updatedBy: actorId, updatedAt: now };
    await tx
      .update(documents)
      .set({ title: next.title, markdown: next.markdown, content: next.content, text: next.text, revision, updatedBy: actorId, updatedAt: now })
      .where(eq(documents.id, current.id));
    await writeMentions(tx, current.id, revision, mentionsIn(current.content), derived.mentions, actorId, now);
    if (bodyChanged) await syncDocLinks(tx, current.id, derived.content, now);
    if (current.kind === 'handoff') await writeHandoffAsks(tx, current.id, revision, derived.content, [...authors], actorId, now);
    const event: DocRevised = {
      topic: 'doc.revised',
      docId: current.id,
      spaceId: current.spaceId,
      revision,
      actor: actorId,
      authors: [...authors],
      source: change.source,
      titleChanged,
      bodyChanged,
      decisionChanged,
    };
    return { doc: next, changed: true, written: { through, bytes: ydocState.byteLength, event } };
  }

  /**
   * Everyone who made a live edit since log id `since` is an author, with the actor; without an
   * actor (a revision of live edits), the last of them acts, else the document's last editor.
   */
  private async authorsSince(tx: Tx, current: DocRow, since: number, actor: string | null): Promise<{ authors: Set<string>; actorId: string }> {
    const live = and(eq(docUpdates.docId, current.id), gt(docUpdates.id, since), isNotNull(docUpdates.userId));
    const liveAuthors = await tx.selectDistinct({ userId: docUpdates.userId }).from(docUpdates).where(live).all();
    const lastLive = actor ? undefined : await tx.select({ userId: docUpdates.userId }).from(docUpdates).where(live).orderBy(desc(docUpdates.id)).limit(1).get();
    const actorId = actor ?? lastLive?.userId ?? current.updatedBy;
    return { actorId, authors: new Set([actorId, ...liveAuthors.map((a) => a.userId).filter((u): u is string => !!u)]) };
  }
}
