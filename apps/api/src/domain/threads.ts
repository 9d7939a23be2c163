import { and, asc, comments, count, desc, documents, eq, inArray, isNull, sql, threadAsks, threads, users, type DbOrTx } from '@handoff/db';
import { mentionedHandles } from '@handoff/shared/markdown';
import type { DocRow } from './model.ts';

/** Rows of comment threads (see `packages/db/src/schema/comments.ts`). */
export type ThreadRow = typeof threads.$inferSelect;
export type CommentRow = typeof comments.$inferSelect;
export type ThreadAskRow = typeof threadAsks.$inferSelect;

/** A thread with its comments (oldest first) and the people it asks. */
export interface ThreadWithComments {
  thread: ThreadRow;
  comments: CommentRow[];
  asks: ThreadAskRow[];
}

export async function insertThread(tx: DbOrTx, row: ThreadRow): Promise<void> {
  await tx.insert(threads).values(row);
}

export async function insertComment(tx: DbOrTx, row: CommentRow): Promise<void> {
  await tx.insert(comments).values(row);
}

export async function countThreads(tx: DbOrTx, docId: string): Promise<number> {
  const row = await tx.select({ n: count() }).from(threads).where(eq(threads.docId, docId)).get();
  return row?.n ?? 0;
}

/**
 * Records that `userIds` were asked something in `threadId` at `now` (a later ask moves `askedAt`
 * on, so the thread waits on them again until they reply). `addressed` marks the people a thread
 * was started for; a later mention never clears that mark.
 */
export async function recordAsks(tx: DbOrTx, threadId: string, userIds: readonly string[], askedBy: string, now: number, addressed: boolean): Promise<void> {
  const people = [...new Set(userIds)].filter((id) => id !== askedBy);
  if (!people.length) return;
  await tx
    .insert(threadAsks)
    .values(people.map((userId) => ({ threadId, userId, askedBy, addressed, askedAt: now })))
    .onConflictDoUpdate({
      target: [threadAsks.threadId, threadAsks.userId],
      set: { askedBy, askedAt: now, addressed: sql`${threadAsks.addressed} OR excluded.addressed` },
    });
}

/** Ids of the workspace members whose `@handle` appears in a comment. */
export async function mentionedUserIds(tx: DbOrTx, markdown: string): Promise<string[]> {
  const handles = mentionedHandles(markdown);
  if (!handles.length) return [];
  const rows = await tx.select({ id: users.id }).from(users).where(inArray(users.handle, handles.slice(0, 50))).all();
  return rows.map((r) => r.id);
}

/** Which of `ids` are users of the workspace. */
export async function existingUserIds(tx: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.select({ id: users.id }).from(users).where(inArray(users.id, [...ids])).all();
  return new Set(rows.map((r) => r.id));
}

export async function threadById(tx: DbOrTx, threadId: string): Promise<ThreadRow | null> {
  return (await tx.select().from(threads).where(eq(threads.id, threadId)).get()) ?? null;
}

export async function commentById(tx: DbOrTx, commentId: string): Promise<CommentRow | null> {
  return (await tx.select().from(comments).where(eq(comments.id, commentId)).get()) ?? null;
}

export async function touchThread(tx: DbOrTx, threadId: string, now: number): Promise<void> {
  await tx.update(threads).set({ updatedAt: now }).where(eq(threads.id, threadId));
}

export async function setThreadStatus(tx: DbOrTx, threadId: string, status: 'open' | 'resolved', actorId: string, now: number): Promise<ThreadRow | null> {
  const set = status === 'resolved' ? { status, resolvedBy: actorId, resolvedAt: now, updatedAt: now } : { status, resolvedBy: null, resolvedAt: null, updatedAt: now };
  return (await tx.update(threads).set(set).where(eq(threads.id, threadId)).returning().get()) ?? null;
}

export async function editComment(tx: DbOrTx, commentId: string, markdown: string, now: number): Promise<CommentRow | null> {
  return (await tx.update(comments).set({ markdown, editedAt: now }).where(eq(comments.id, commentId)).returning().get()) ?? null;
}

/** A deleted comment keeps its place in the thread (shown as deleted) but not its text. */
export async function deleteComment(tx: DbOrTx, commentId: string, now: number): Promise<void> {
  await tx.update(comments).set({ markdown: '', deletedAt: now }).where(eq(comments.id, commentId));
}

/** Stores what the anchors resolved to, so lists that do not open the body (briefs) know it. */
export async function markOrphaned(tx: DbOrTx, threadIds: readonly string[], orphaned: boolean): Promise<void> {
  if (!threadIds.length) return;
  await tx.update(threads).set({ orphaned }).where(inArray(threads.id, [...threadIds]));
}

/** Attaches comments and asks to thread rows, keeping their order. */
async function withComments(db: DbOrTx, rows: ThreadRow[]): Promise<ThreadWithComments[]> {
  if (!rows.length) return [];
  const ids = rows.map((t) => t.id);
  const byThread = new Map<string, ThreadWithComments>(rows.map((thread) => [thread.id, { thread, comments: [], asks: [] }]));
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const [commentRows, askRows] = await Promise.all([
      db.select().from(comments).where(inArray(comments.threadId, chunk)).orderBy(asc(comments.createdAt), asc(comments.id)).all(),
      db.select().from(threadAsks).where(inArray(threadAsks.threadId, chunk)).orderBy(asc(threadAsks.askedAt)).all(),
    ]);
    for (const c of commentRows) byThread.get(c.threadId)?.comments.push(c);
    for (const a of askRows) byThread.get(a.threadId)?.asks.push(a);
  }
  return rows.map((t) => byThread.get(t.id)!);
}

/** The threads of a document, oldest first, with their comments and asks. */
export async function threadsOfDoc(db: DbOrTx, docId: string, status: 'open' | 'resolved' | 'all'): Promise<ThreadWithComments[]> {
  const where = status === 'all' ? eq(threads.docId, docId) : and(eq(threads.docId, docId), eq(threads.status, status));
  const rows = await db.select().from(threads).where(where).orderBy(asc(threads.createdAt), asc(threads.id)).all();
  if (!rows.length) return [];
  // One query for every comment of the document (its index) rather than per thread.
  const byThread = new Map<string, ThreadWithComments>(rows.map((thread) => [thread.id, { thread, comments: [], asks: [] }]));
  const [commentRows, askRows] = await Promise.all([
    db.select().from(comments).where(eq(comments.docId, docId)).orderBy(asc(comments.createdAt), asc(comments.id)).all(),
    db
      .select({ ask: threadAsks })
      .from(threadAsks)
      .innerJoin(threads, eq(threads.id, threadAsks.threadId))
      .where(eq(threads.docId, docId))
      .orderBy(asc(threadAsks.askedAt))
      .all(),
  ]);
  for (const c of commentRows) byThread.get(c.threadId)?.comments.push(c);
  for (const { ask } of askRows) byThread.get(ask.threadId)?.asks.push(ask);
  return rows.map((t) => byThread.get(t.id)!);
}

export async function threadWithComments(db: DbOrTx, threadId: string): Promise<ThreadWithComments | null> {
  const row = await threadById(db, threadId);
  return row ? (await withComments(db, [row]))[0]! : null;
}

/** A waiting thread with the document it is on. */
export interface WaitingThread extends ThreadWithComments {
  doc: Pick<DocRow, 'id' | 'title' | 'spaceId'>;
}

/**
 * Open threads that ask `userId` something (addressed or @mentioned) with no comment of theirs
 * since they were last asked, on documents in `spaceIds` that are not in the trash; most recently
 * asked first.
 */
export async function waitingThreads(db: DbOrTx, userId: string, spaceIds: readonly string[], limit = 200): Promise<WaitingThread[]> {
  if (!spaceIds.length) return [];
  const rows = await db
    .select({ thread: threads, doc: { id: documents.id, title: documents.title, spaceId: documents.spaceId } })
    .from(threadAsks)
    .innerJoin(threads, eq(threads.id, threadAsks.threadId))
    .innerJoin(documents, eq(documents.id, threads.docId))
    .where(
      and(
        eq(threadAsks.userId, userId),
        eq(threads.status, 'open'),
        isNull(documents.trashedAt),
        inArray(documents.spaceId, [...spaceIds]),
        sql`NOT EXISTS (SELECT 1 FROM ${comments} c WHERE c.thread_id = ${threads.id} AND c.author_id = ${userId} AND c.created_at >= ${threadAsks.askedAt} AND c.deleted_at IS NULL)`,
      ),
    )
    .orderBy(desc(threadAsks.askedAt))
    .limit(limit)
    .all();
  const full = await withComments(
    db,
    rows.map((r) => r.thread),
  );
  return full.map((t, i) => ({ ...t, doc: rows[i]!.doc }));
}
