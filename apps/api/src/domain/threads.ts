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

type ThreadTuple = [string, string, string | null, string | null, string | null, number, ThreadRow['status'], string | null, number | null, number, number];
type CommentTuple = [string, string, string, string, number, number | null, number | null];
type AskTuple = [string, string, string, number, number];

const byCreated = (a: { createdAt: number; id: string }, b: { createdAt: number; id: string }) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The threads of a document, oldest first, with their comments (oldest first) and asks, in one
 * query that has SQLite build the rows as JSON arrays of positional arrays: a document with
 * thousands of comments costs three strings to parse instead of thousands of row objects to
 * materialize (which was most of the listing's time). Sorted here rather than in SQL (cheaper).
 */
export async function threadsOfDoc(db: DbOrTx, docId: string, status: 'open' | 'resolved' | 'all'): Promise<ThreadWithComments[]> {
  const ofStatus = status === 'all' ? sql`` : sql` AND t.status = ${status}`;
  const comments = status === 'all' ? sql`comments c WHERE c.doc_id = ${docId}` : sql`comments c JOIN threads t ON t.id = c.thread_id WHERE c.doc_id = ${docId}${ofStatus}`;
  const [row] = await db.all<{ threads: string; comments: string; asks: string }>(sql`
    SELECT
      (SELECT json_group_array(json_array(t.id, t.created_by, iif(t.anchor_start IS NULL, NULL, hex(t.anchor_start)),
                                          iif(t.anchor_end IS NULL, NULL, hex(t.anchor_end)), t.quote, t.orphaned, t.status,
                                          t.resolved_by, t.resolved_at, t.created_at, t.updated_at))
         FROM threads t WHERE t.doc_id = ${docId}${ofStatus}) AS threads,
      (SELECT json_group_array(json_array(c.id, c.thread_id, c.author_id, c.markdown, c.created_at, c.edited_at, c.deleted_at))
         FROM ${comments}) AS comments,
      (SELECT json_group_array(json_array(a.thread_id, a.user_id, a.asked_by, a.addressed, a.asked_at))
         FROM thread_asks a JOIN threads t ON t.id = a.thread_id WHERE t.doc_id = ${docId}${ofStatus}) AS asks`);
  const threadRows = (JSON.parse(row?.threads ?? '[]') as ThreadTuple[]).map(
    ([id, createdBy, start, end, quote, orphaned, threadStatus, resolvedBy, resolvedAt, createdAt, updatedAt]): ThreadRow => ({
      id,
      docId,
      createdBy,
      anchorStart: start === null ? null : Buffer.from(start, 'hex'),
      anchorEnd: end === null ? null : Buffer.from(end, 'hex'),
      quote,
      orphaned: orphaned !== 0,
      status: threadStatus,
      resolvedBy,
      resolvedAt,
      createdAt,
      updatedAt,
    }),
  );
  if (!threadRows.length) return [];
  const byThread = new Map<string, ThreadWithComments>(threadRows.sort(byCreated).map((thread) => [thread.id, { thread, comments: [], asks: [] }]));
  const commentRows = (JSON.parse(row?.comments ?? '[]') as CommentTuple[]).map(
    ([id, threadId, authorId, markdown, createdAt, editedAt, deletedAt]): CommentRow => ({ id, threadId, docId, authorId, markdown, createdAt, editedAt, deletedAt }),
  );
  for (const c of commentRows.sort(byCreated)) byThread.get(c.threadId)?.comments.push(c);
  const asks = (JSON.parse(row?.asks ?? '[]') as AskTuple[]).sort((a, b) => a[4] - b[4]);
  for (const [threadId, userId, askedBy, addressed, askedAt] of asks) byThread.get(threadId)?.asks.push({ threadId, userId, askedBy, addressed: addressed !== 0, askedAt });
  return [...byThread.values()];
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
