import { and, documents, eq, inArray, isNull, outbox, type Db, type DbOrTx } from '@handoff/db';
import { conflict, unprocessable } from './errors.ts';
import type { DocRow, UserRow } from './model.ts';
import type { Clock } from './ports.ts';

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

/** Moves a document under another in the same space (or to the top with null); never into itself. */
export async function moveDoc(db: Db, clock: Clock, actor: UserRow, doc: DocRow, parentId: string | null) {
  if (parentId === doc.parentId) return doc;
  return db.transaction(async (tx) => {
    if (parentId !== null) {
      const parent = await tx.select().from(documents).where(eq(documents.id, parentId)).get();
      if (!parent || parent.spaceId !== doc.spaceId) throw unprocessable('The new parent must be a document in the same space.', { field: 'parentId' });
      if ((await descendantIds(tx, doc.id)).includes(parentId)) {
        throw unprocessable('A document cannot be moved under itself or one of its children.', { field: 'parentId' });
      }
    }
    const now = clock.now();
    await tx.update(documents).set({ parentId }).where(eq(documents.id, doc.id));
    await tx.insert(outbox).values({ topic: 'doc.moved', docId: doc.id, spaceId: doc.spaceId, payload: JSON.stringify({ parentId, actor: actor.id }), createdAt: now });
    return { ...doc, parentId };
  });
}

/** Moves a document and everything below it to the trash. */
export async function trashDoc(db: Db, clock: Clock, actor: UserRow, doc: DocRow) {
  if (doc.trashedAt) throw conflict('The document is already in the trash.');
  const now = clock.now();
  await db.transaction(async (tx) => {
    const ids = await descendantIds(tx, doc.id);
    const live = await tx
      .select({ id: documents.id })
      .from(documents)
      .where(and(inArray(documents.id, ids), isNull(documents.trashedAt)))
      .all();
    for (const { id } of live) {
      await tx.update(documents).set({ trashedAt: now }).where(eq(documents.id, id));
      await tx.insert(outbox).values({ topic: 'doc.trashed', docId: id, spaceId: doc.spaceId, payload: JSON.stringify({ actor: actor.id }), createdAt: now });
    }
  });
}

/** Restores a document and whatever was trashed with it; under a parent still in the trash it moves to the top. */
export async function restoreDoc(db: Db, clock: Clock, actor: UserRow, doc: DocRow): Promise<DocRow> {
  if (!doc.trashedAt) throw conflict('The document is not in the trash.');
  const now = clock.now();
  return db.transaction(async (tx) => {
    let parentId = doc.parentId;
    if (parentId) {
      const parent = await tx.select({ trashedAt: documents.trashedAt }).from(documents).where(eq(documents.id, parentId)).get();
      if (!parent || parent.trashedAt) parentId = null;
    }
    const ids = await descendantIds(tx, doc.id);
    const rows = await tx.select({ id: documents.id, trashedAt: documents.trashedAt }).from(documents).where(inArray(documents.id, ids)).all();
    for (const row of rows) {
      if (row.trashedAt !== doc.trashedAt) continue;
      await tx.update(documents).set({ trashedAt: null }).where(eq(documents.id, row.id));
      await tx.insert(outbox).values({ topic: 'doc.restored', docId: row.id, spaceId: doc.spaceId, payload: JSON.stringify({ actor: actor.id }), createdAt: now });
    }
    await tx.update(documents).set({ parentId }).where(eq(documents.id, doc.id));
    return { ...doc, parentId, trashedAt: null };
  });
}
