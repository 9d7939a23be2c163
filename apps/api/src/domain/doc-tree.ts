import { and, documents, eq, inArray, isNull, type DbOrTx } from '@handoff/db';
import { conflict, unprocessable } from './errors.ts';
import type { DocMoved, DocRestored, DocTrashed } from './events.ts';
import type { DocRow, UserRow } from './model.ts';

/** The ids of `docId` and every document below it. */
export async function descendantIds(db: DbOrTx, docId: string): Promise<string[]> {
  const all = [docId];
  let frontier = [docId];
  while (frontier.length) {
    const children = await db.select({ id: documents.id }).from(documents).where(inArray(documents.parentId, frontier)).all();
    frontier = children.map((c) => c.id).filter((id) => !all.includes(id));
    all.push(...frontier);
  }
  return all;
}

/**
 * Moves a document under another in the same space (or to the top with null); never into itself.
 * Runs in the caller's transaction; returns the moved row and the event to record (none when the
 * parent stays the same).
 */
export async function moveInTree(tx: DbOrTx, actor: UserRow, doc: DocRow, parentId: string | null): Promise<{ doc: DocRow; event: DocMoved | null }> {
  if (parentId === doc.parentId) return { doc, event: null };
  if (parentId !== null) {
    const parent = await tx.select({ spaceId: documents.spaceId }).from(documents).where(eq(documents.id, parentId)).get();
    if (!parent || parent.spaceId !== doc.spaceId) throw unprocessable('The new parent must be a document in the same space.', { field: 'parentId' });
    if ((await descendantIds(tx, doc.id)).includes(parentId)) {
      throw unprocessable('A document cannot be moved under itself or one of its children.', { field: 'parentId' });
    }
  }
  await tx.update(documents).set({ parentId }).where(eq(documents.id, doc.id));
  return { doc: { ...doc, parentId }, event: { topic: 'doc.moved', docId: doc.id, spaceId: doc.spaceId, parentId, actor: actor.id } };
}

/** Moves a document and everything below it to the trash (in the caller's transaction); one event per document. */
export async function trashTree(tx: DbOrTx, actor: UserRow, doc: DocRow, now: number): Promise<DocTrashed[]> {
  if (doc.trashedAt) throw conflict('The document is already in the trash.');
  const ids = await descendantIds(tx, doc.id);
  const live = await tx
    .select({ id: documents.id })
    .from(documents)
    .where(and(inArray(documents.id, ids), isNull(documents.trashedAt)))
    .all();
  if (live.length) await tx.update(documents).set({ trashedAt: now }).where(inArray(documents.id, live.map((d) => d.id)));
  return live.map(({ id }) => ({ topic: 'doc.trashed', docId: id, spaceId: doc.spaceId, actor: actor.id }));
}

/**
 * Restores a document and whatever was trashed with it (in the caller's transaction); under a
 * parent still in the trash it moves to the top.
 */
export async function restoreTree(tx: DbOrTx, actor: UserRow, doc: DocRow): Promise<{ doc: DocRow; events: DocRestored[] }> {
  if (!doc.trashedAt) throw conflict('The document is not in the trash.');
  let parentId = doc.parentId;
  if (parentId) {
    const parent = await tx.select({ trashedAt: documents.trashedAt }).from(documents).where(eq(documents.id, parentId)).get();
    if (!parent || parent.trashedAt) parentId = null;
  }
  const ids = await descendantIds(tx, doc.id);
  const rows = await tx.select({ id: documents.id, trashedAt: documents.trashedAt }).from(documents).where(inArray(documents.id, ids)).all();
  const withIt = rows.filter((row) => row.trashedAt === doc.trashedAt).map((row) => row.id);
  if (withIt.length) await tx.update(documents).set({ trashedAt: null }).where(inArray(documents.id, withIt));
  await tx.update(documents).set({ parentId }).where(eq(documents.id, doc.id));
  return {
    doc: { ...doc, parentId, trashedAt: null },
    events: withIt.map((id) => ({ topic: 'doc.restored', docId: id, spaceId: doc.spaceId, actor: actor.id })),
  };
}
