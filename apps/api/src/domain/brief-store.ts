import { and, briefs, desc, documents, eq, inArray, isNotNull, type Db } from '@handoff/db';
import type { UserRow } from './model.ts';
import { readableSpaceIds } from '../policies/access.ts';
import { buildBrief, defaultSince, readingSecondsOf, type SharedWindow } from './build-brief.ts';
import { newId } from './ids.ts';
import type { BriefDraft, BriefItemFacts, BriefWriter, Clock, WrittenBrief } from './ports.ts';

/*
 * Briefs as stored and shown: build → write → store, and, when shown, a recheck of every item
 * against what the reader may read *now* (a brief can outlive a membership or a document).
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

export interface BriefContext {
  db: Db;
  clock: Clock;
  /** The configured writer (extractive, or the LLM one). */
  writer: BriefWriter;
  /** The offline writer: used when the configured one fails, and to rewrite a rechecked brief. */
  fallback: BriefWriter;
  log?: { warn(obj: object): void };
}

/** How far back a brief may reach (an older `since` is moved up to this). */
export const MAX_WINDOW_MS = 90 * 24 * 3600_000;

/** Revisions stamped this long before a brief's end may have been committed after it was read. */
export const WINDOW_OVERLAP_MS = 60_000;

/** The reader's last acknowledged brief (the latest window end): her next window starts there. */
export async function lastAcknowledged(db: Db, userId: string): Promise<{ until: number; briefed: Map<string, number> } | null> {
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

/** Writes with the configured writer; any failure (or an answer of the wrong shape) falls back. */
async function writeSafely(ctx: BriefContext, draft: BriefDraft): Promise<WrittenBrief> {
  if (ctx.writer !== ctx.fallback) {
    try {
      const written = await ctx.writer.write(draft);
      if (typeof written?.markdown === 'string' && written.markdown.trim() && typeof written.summaries === 'object' && written.summaries) return written;
      ctx.log?.warn({ msg: 'brief writer gave an empty answer; using the extractive writer', writer: ctx.writer.name });
    } catch (err) {
      ctx.log?.warn({ msg: 'brief writer failed; using the extractive writer', writer: ctx.writer.name, err });
    }
  }
  return ctx.fallback.write(draft);
}

const storedItems = (draft: BriefDraft, written: WrittenBrief): StoredBriefItem[] =>
  draft.items.map(({ text: _text, ...facts }) => ({ ...facts, summary: written.summaries[facts.docId] ?? '' }));

/**
 * Builds, writes and stores the reader's brief over the changes after `since` (default: the end of
 * her last acknowledged brief, or 7 days ago; never more than 90 days back) up to now. With
 * `scheduledFor` (the reader's local date), returns null if that day's scheduled brief exists;
 * `window` shares the reading of the window's revisions between the briefs of one scheduler run.
 */
export async function createBrief(
  ctx: BriefContext,
  reader: UserRow,
  options: { since?: number | undefined; scheduledFor?: string | undefined; budgetSeconds?: number | undefined; window?: SharedWindow | undefined } = {},
): Promise<BriefRow | null> {
  const now = ctx.clock.now();
  const acknowledged = options.since === undefined ? await lastAcknowledged(ctx.db, reader.id) : null;
  const requested = options.since ?? acknowledged?.until ?? defaultSince(now);
  const since = Math.min(now, Math.max(requested, now - MAX_WINDOW_MS));
  const { draft, omittedDocIds } = await buildBrief(ctx.db, reader, {
    since,
    until: now,
    budgetSeconds: options.budgetSeconds,
    window: options.window,
    // Continuing from the last acknowledged brief: look a little further back for revisions that
    // were committed only after it was read, and count what it told of as seen.
    ...(acknowledged && since === acknowledged.until ? { overlapMs: WINDOW_OVERLAP_MS, briefed: acknowledged.briefed } : {}),
  });
  const written = await writeSafely(ctx, draft);
  const row: BriefRow = {
    id: newId(),
    userId: reader.id,
    since,
    until: now,
    writer: written.writer,
    readingSeconds: readingSecondsOf(written.markdown),
    markdown: written.markdown,
    items: JSON.stringify(storedItems(draft, written)),
    omitted: draft.omitted,
    omittedDocs: JSON.stringify(omittedDocIds),
    scheduledFor: options.scheduledFor ?? null,
    createdAt: now,
    acknowledgedAt: null,
  };
  const inserted = await ctx.db.insert(briefs).values(row).onConflictDoNothing().returning({ id: briefs.id });
  return inserted.length ? row : null;
}

export async function latestBrief(db: Db, userId: string): Promise<BriefRow | null> {
  return (await db.select().from(briefs).where(eq(briefs.userId, userId)).orderBy(desc(briefs.createdAt), desc(briefs.id)).limit(1).get()) ?? null;
}

/** The reader's own brief by id (someone else's is as unknown as a missing one). */
export async function ownBrief(db: Db, userId: string, id: string): Promise<BriefRow | null> {
  return (await db.select().from(briefs).where(and(eq(briefs.id, id), eq(briefs.userId, userId))).get()) ?? null;
}

/** "I am caught up": the next window starts at this brief's end. False if it is not the reader's. */
export async function acknowledgeBrief(db: Db, clock: Clock, userId: string, id: string): Promise<boolean> {
  const row = await ownBrief(db, userId, id);
  if (!row) return false;
  if (row.acknowledgedAt === null) await db.update(briefs).set({ acknowledgedAt: clock.now() }).where(eq(briefs.id, id));
  return true;
}

/**
 * The brief as the reader may see it now: items whose document she can no longer read (or that
 * went to the trash) are dropped, and then the Markdown is rewritten from the remaining items by
 * the extractive writer (the stored text may mention what was dropped; an LLM's text cannot be
 * trimmed safely, so it is replaced too).
 */
export async function showBrief(db: Db, reader: UserRow, row: BriefRow, extractive: BriefWriter): Promise<ShownBrief> {
  const items = JSON.parse(row.items) as StoredBriefItem[];
  const omittedDocs = JSON.parse(row.omittedDocs) as string[];
  const ids = [...new Set([...items.map((i) => i.docId), ...omittedDocs])];
  const stored: ShownBrief = { row, writer: row.writer, markdown: row.markdown, readingSeconds: row.readingSeconds, items, omitted: row.omitted };
  if (!ids.length) return stored;
  const [readable, docs] = await Promise.all([
    readableSpaceIds(db, reader),
    db.select({ id: documents.id, spaceId: documents.spaceId, trashedAt: documents.trashedAt }).from(documents).where(inArray(documents.id, ids)).all(),
  ]);
  const readableSpaces = new Set(readable);
  const visible = new Set(docs.filter((d) => d.trashedAt === null && readableSpaces.has(d.spaceId)).map((d) => d.id));
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
