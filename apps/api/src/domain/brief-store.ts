import { and, briefs, desc, documents, eq, inArray, isNotNull, type DbOrTx } from '@handoff/db';
import { readingSecondsOf } from './build-brief.ts';
import type { UserRow } from './model.ts';
import type { BriefDraft, BriefItemFacts, BriefWriter } from './ports.ts';

/*
 * Briefs as stored and shown. Building, writing and storing one is commands/create-brief.ts; when
 * one is shown, commands/get-brief.ts rechecks each item against what the reader may read *now*
 * (a brief can outlive a membership or a document) and `showBrief` trims it to that.
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

/** The reader's last acknowledged brief (the latest window end): her next window starts there. */
export async function lastAcknowledged(db: DbOrTx, userId: string): Promise<{ until: number; briefed: Map<string, number> } | null> {
  const row = await db
    .select({ until: briefs.until, items: briefs.items })
    .from(briefs)
    .where(and(eq(briefs.userId, userId), isNotNull(briefs.acknowledgedAt)))
    .orderBy(desc(briefs.until))
    .limit(1)
    .get();
  if (!row) return null;
  const items = JSON.parse(row.items) as Array<{ docId: string; toRevision: number }>;
  return { until: row.until, briefed: new Map(items.map((i) => [i.docId, i.toRevision])) };
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

/** The documents a stored brief tells of (items and omitted ones). */
export function briefDocIds(row: BriefRow): string[] {
  const items = JSON.parse(row.items) as StoredBriefItem[];
  const omittedDocs = JSON.parse(row.omittedDocs) as string[];
  return [...new Set([...items.map((i) => i.docId), ...omittedDocs])];
}

/** Where those documents are now: their space, and whether they are in the trash. */
export async function docPlaces(db: DbOrTx, ids: readonly string[]): Promise<Array<{ id: string; spaceId: string; trashedAt: number | null }>> {
  if (!ids.length) return [];
  return db.select({ id: documents.id, spaceId: documents.spaceId, trashedAt: documents.trashedAt }).from(documents).where(inArray(documents.id, [...ids])).all();
}

/**
 * The brief as the reader may see it now, given the documents she may still read (`visible`):
 * items of others are dropped, and then the Markdown is rewritten from the remaining items by
 * the extractive writer (the stored text may mention what was dropped; an LLM's text cannot be
 * trimmed safely, so it is replaced too).
 */
export async function showBrief(reader: UserRow, row: BriefRow, visible: ReadonlySet<string>, extractive: BriefWriter): Promise<ShownBrief> {
  const items = JSON.parse(row.items) as StoredBriefItem[];
  const omittedDocs = JSON.parse(row.omittedDocs) as string[];
  const stored: ShownBrief = { row, writer: row.writer, markdown: row.markdown, readingSeconds: row.readingSeconds, items, omitted: row.omitted };
  const keptItems = items.filter((i) => visible.has(i.docId));
  const keptOmitted = omittedDocs.filter((id) => visible.has(id)).length;
  if (keptItems.length === items.length && keptOmitted === row.omitted) return stored;

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
