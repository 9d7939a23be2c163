import { and, briefs, desc, documents, eq, inArray, isNotNull, type DbOrTx } from '@handoff/db';
import { REASON_ORDER, diffUrlOf, readingSecondsOf } from './build-brief.ts';
import { askKey, type BriefedThreads } from './brief-threads.ts';
import type { UserRow } from './model.ts';
import type { BriefDraft, BriefItemFacts, BriefReason, BriefThreadFacts, BriefWriter } from './ports.ts';

/*
 * Briefs as stored and shown. Building, writing and storing one is commands/create-brief.ts; when
 * one is shown, commands/get-brief.ts rechecks each item against what the reader may read *now*
 * (a brief can outlive a membership or a document) and each quoted comment against what became of
 * it (a deleted comment is never quoted, an edited one is quoted as it reads now), and
 * `showBrief` trims it to that.
 */

export type BriefRow = typeof briefs.$inferSelect;

/** An item as stored: its facts (without the revision text, which only a writer needs) and its summary. */
export type StoredBriefItem = Omit<BriefItemFacts, 'text'> & { summary: string };

/** A brief as the reader may see it now. */
export interface ShownBrief {
  row: BriefRow;
  writer: 'extractive' | 'llm';
  markdown: string;
  readingSeconds: number;
  items: StoredBriefItem[];
  omitted: number;
}

/** What an e-mail-ready page of a brief is made from. */
export interface BriefPage {
  markdown: string;
  readerName: string;
  timezone: string;
  until: number;
  readingSeconds: number;
  writer: 'extractive' | 'llm';
  /** `HANDOFF_PUBLIC_URL`, if set: links become absolute on it. */
  publicUrl?: string | undefined;
}

/** Renders a brief as an e-mail-ready HTML page (the implementation is chosen in server.ts). */
export type BriefPageRenderer = (page: BriefPage) => string;

/** How far back a brief may reach (an older `since` is moved up to this). */
export const MAX_WINDOW_MS = 90 * 24 * 3600_000;

/** Revisions stamped this long before a brief's end may have been committed after it was read. */
export const WINDOW_OVERLAP_MS = 60_000;

/** A stored brief's items (briefs stored before comments existed have no `threads`). */
export function storedItems(row: Pick<BriefRow, 'items'>): StoredBriefItem[] {
  return (JSON.parse(row.items) as StoredBriefItem[]).map((i) => ({ ...i, threads: i.threads ?? [] }));
}

/**
 * The reader's last acknowledged brief (the latest window end): her next window starts there.
 * `briefed`: the revision each item brought the reader to, by document (an item only about
 * comments brings her to the current one: its revisions were told before or had nothing for her);
 * `briefedThreads`: the comments and asks it told of.
 */
export async function lastAcknowledged(
  db: DbOrTx,
  userId: string,
): Promise<{ until: number; briefed: Map<string, number>; briefedThreads: BriefedThreads } | null> {
  const row = await db
    .select({ until: briefs.until, items: briefs.items })
    .from(briefs)
    .where(and(eq(briefs.userId, userId), isNotNull(briefs.acknowledgedAt)))
    .orderBy(desc(briefs.until))
    .limit(1)
    .get();
  if (!row) return null;
  const items = storedItems(row);
  const threads = items.flatMap((i) => i.threads);
  return {
    until: row.until,
    briefed: new Map(items.map((i) => [i.docId, i.toRevision])),
    briefedThreads: {
      comments: new Set(threads.flatMap((t) => t.commentIds)),
      asks: new Set(threads.flatMap((t) => (t.reason === 'asked' && t.askedAt !== undefined ? [askKey(t.threadId, t.askedAt)] : []))),
    },
  };
}

/** Stores a brief; false if the reader's scheduled brief of that day exists already. */
export async function insertBrief(db: DbOrTx, row: BriefRow): Promise<boolean> {
  const inserted = await db.insert(briefs).values(row).onConflictDoNothing().returning({ id: briefs.id });
  return inserted.length > 0;
}

export async function latestBrief(db: DbOrTx, userId: string): Promise<BriefRow | null> {
  return (await db.select().from(briefs).where(eq(briefs.userId, userId)).orderBy(desc(briefs.createdAt), desc(briefs.id)).limit(1).get()) ?? null;
}

/** The reader's own brief by id (someone else's is as unknown as a missing one). */
export async function ownBrief(db: DbOrTx, userId: string, id: string): Promise<BriefRow | null> {
  return (await db.select().from(briefs).where(and(eq(briefs.id, id), eq(briefs.userId, userId))).get()) ?? null;
}

export async function markAcknowledged(db: DbOrTx, id: string, now: number): Promise<void> {
  await db.update(briefs).set({ acknowledgedAt: now }).where(eq(briefs.id, id));
}

/** The documents a stored brief tells of (items and omitted ones) or names (the reader's linked documents). */
export function briefDocIds(row: BriefRow): string[] {
  const items = storedItems(row);
  const omittedDocs = JSON.parse(row.omittedDocs) as string[];
  return [...new Set([...items.map((i) => i.docId), ...omittedDocs, ...items.flatMap((i) => (i.linkedVia ? [i.linkedVia.docId] : []))])];
}

/** Where those documents are now: their space, and whether they are in the trash. */
export async function docPlaces(db: DbOrTx, ids: readonly string[]): Promise<Array<{ id: string; spaceId: string; trashedAt: number | null }>> {
  if (!ids.length) return [];
  return db.select({ id: documents.id, spaceId: documents.spaceId, trashedAt: documents.trashedAt }).from(documents).where(inArray(documents.id, [...ids])).all();
}

/** The comments a stored brief quotes or counts. */
export function briefCommentIds(row: BriefRow): string[] {
  return storedItems(row).flatMap((i) => i.threads.flatMap((t) => t.commentIds));
}

/**
 * A stored thread as it may be shown now, given the text of its comments that still exist
 * (`comments`: id → text now): deleted comments are neither quoted nor counted, edited ones are
 * quoted as they read now. Null when nothing is left to tell (a thread that asked her stays).
 */
function threadNow(thread: BriefThreadFacts, comments: ReadonlyMap<string, string>): BriefThreadFacts | null {
  const commentIds = thread.commentIds.filter((id) => comments.has(id));
  const replies = thread.replies.filter((r) => comments.has(r.commentId)).map((r) => ({ ...r, text: comments.get(r.commentId)! }));
  if (thread.reason !== 'asked' && !commentIds.length) return null;
  return { ...thread, replies, commentIds };
}

const sameThread = (a: BriefThreadFacts, b: BriefThreadFacts | null) =>
  b !== null && a.commentIds.length === b.commentIds.length && a.replies.length === b.replies.length && a.replies.every((r, i) => r.text === b.replies[i]!.text);

/** An item with its threads as they may be shown now; null when nothing is left of it. */
function itemNow(item: StoredBriefItem, comments: ReadonlyMap<string, string>): { item: StoredBriefItem | null; changed: boolean } {
  if (!item.threads.length) return { item, changed: false };
  const checked = item.threads.map((t) => threadNow(t, comments));
  if (item.threads.every((t, i) => sameThread(t, checked[i]!))) return { item, changed: false };
  const threads = checked.filter((t): t is BriefThreadFacts => t !== null);
  const bodyChanged = item.fromRevision !== item.toRevision;
  if (!threads.length && !bodyChanged && !item.asks?.length) return { item: null, changed: true };
  // `asked` stays when a handoff note still asks her (see `asks`), whatever became of the threads.
  const reasons = new Set<BriefReason>(item.reasons.filter((r) => r !== 'thread' && (r !== 'asked' || (item.asks?.length ?? 0) > 0)));
  for (const t of threads) reasons.add(t.reason);
  const diffUrl = bodyChanged ? item.diffUrl : threads.length ? threads[0]!.url : diffUrlOf(item.docId, item.toRevision, item.toRevision);
  return { item: { ...item, threads, reasons: REASON_ORDER.filter((r) => reasons.has(r)), diffUrl }, changed: true };
}

/**
 * The brief as the reader may see it now, given the documents she may still read (`visible`) and
 * the text now of the comments it quotes that still exist (`comments`): items of others are
 * dropped, deleted comments are dropped (and a thread, or an item of threads only, left with
 * nothing), edited comments are quoted as they read now, a linked document of hers she may no
 * longer read is no longer named; then the Markdown is rewritten from the
 * remaining items by the extractive writer (the stored text may mention what was dropped; an
 * LLM's text cannot be trimmed safely, so it is replaced too).
 */
export async function showBrief(
  reader: UserRow,
  row: BriefRow,
  visible: ReadonlySet<string>,
  comments: ReadonlyMap<string, string>,
  extractive: BriefWriter,
): Promise<ShownBrief> {
  const items = storedItems(row);
  const omittedDocs = JSON.parse(row.omittedDocs) as string[];
  const stored: ShownBrief = { row, writer: row.writer, markdown: row.markdown, readingSeconds: row.readingSeconds, items, omitted: row.omitted };
  let changed = false;
  const keptItems: StoredBriefItem[] = [];
  for (const item of items) {
    if (!visible.has(item.docId)) {
      changed = true;
      continue;
    }
    const now = itemNow(item, comments);
    changed ||= now.changed;
    if (!now.item) continue;
    // Her linked document is named only while she may still read it (the reason stays).
    if (now.item.linkedVia && !visible.has(now.item.linkedVia.docId)) {
      const { linkedVia: _gone, ...rest } = now.item;
      keptItems.push(rest);
      changed = true;
    } else keptItems.push(now.item);
  }
  const keptOmitted = omittedDocs.filter((id) => visible.has(id)).length;
  if (!changed && keptOmitted === row.omitted) return stored;

  const draft: BriefDraft = {
    reader: { id: reader.id, name: reader.name, timezone: reader.timezone },
    since: row.since,
    until: row.until,
    items: keptItems.map(({ summary: _summary, ...facts }) => ({ ...facts, text: '' })),
    omitted: keptOmitted,
  };
  const written = await extractive.write(draft);
  return {
    row,
    writer: written.writer,
    markdown: written.markdown,
    readingSeconds: readingSecondsOf(written.markdown),
    items: keptItems.map((i) => ({ ...i, summary: written.summaries[i.docId] ?? i.summary })),
    omitted: keptOmitted,
  };
}
