import { defaultSince, readingSecondsOf, type SharedWindow } from '../domain/build-brief.ts';
import { insertBrief, lastAcknowledged, MAX_WINDOW_MS, WINDOW_OVERLAP_MS, type BriefRow, type ShownBrief, type StoredBriefItem } from '../domain/brief-store.ts';
import { notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import type { UserRow } from '../domain/model.ts';
import type { BriefDraft, BriefWriter, WrittenBrief } from '../domain/ports.ts';
import { buildBrief } from './build-brief.ts';
import { showAsOfNow } from './get-brief.ts';
import type { CommandContext } from './transaction.ts';

export interface BriefContext extends Pick<CommandContext, 'db' | 'clock'> {
  /** The configured writer (extractive, or the LLM one). */
  briefWriter: BriefWriter;
  /** The offline writer: used when the configured one fails. */
  extractiveBriefWriter: BriefWriter;
  log?: { warn(obj: object): void };
}

/** Writes with the configured writer; any failure (or an answer of the wrong shape) falls back. */
async function writeSafely(ctx: BriefContext, draft: BriefDraft): Promise<WrittenBrief> {
  if (ctx.briefWriter !== ctx.extractiveBriefWriter) {
    try {
      const written = await ctx.briefWriter.write(draft);
      if (typeof written?.markdown === 'string' && written.markdown.trim() && typeof written.summaries === 'object' && written.summaries) return written;
      ctx.log?.warn({ msg: 'brief writer gave an empty answer; using the extractive writer', writer: ctx.briefWriter.name });
    } catch (err) {
      ctx.log?.warn({ msg: 'brief writer failed; using the extractive writer', writer: ctx.briefWriter.name, err });
    }
  }
  return ctx.extractiveBriefWriter.write(draft);
}

const storedItems = (draft: BriefDraft, written: WrittenBrief): StoredBriefItem[] =>
  draft.items.map(({ text: _text, ...facts }) => ({ ...facts, summary: written.summaries[facts.docId] ?? '' }));

/**
 * Builds, writes and stores the reader's brief over the changes after `since` (default: the end of
 * her last acknowledged brief, or 7 days ago; never more than 90 days back) up to now. With
 * `scheduledFor` (the reader's local date), returns null if that day's scheduled brief exists;
 * `window` shares the reading of the window's revisions between the briefs of one scheduler run.
 * (The writer may call a remote model, so nothing is held open while it writes: the brief is
 * stored in one statement afterwards. Briefs change nobody's access: no event.)
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
    // Continuing from the last acknowledged brief: look a little further back for revisions and
    // comments that were committed only after it was read, and count what it told of as seen.
    ...(acknowledged && since === acknowledged.until ? { overlapMs: WINDOW_OVERLAP_MS, briefed: acknowledged.briefed, briefedThreads: acknowledged.briefedThreads } : {}),
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
  return (await insertBrief(ctx.db, row)) ? row : null;
}

/**
 * `POST /api/briefs`: the reader's brief built now, as she may see it (rechecked like any shown
 * brief: a document trashed while it was written is left out).
 */
export async function createBriefNow(ctx: BriefContext, reader: UserRow, since: number | undefined): Promise<ShownBrief> {
  const row = await createBrief(ctx, reader, { since });
  // Only a scheduled brief can collide with another of its day; one asked for is always stored.
  if (!row) throw notFound('Brief');
  return showAsOfNow(ctx, reader, row);
}
