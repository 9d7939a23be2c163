import { defaultSince, readingSecondsOf, type SharedWindow } from '../domain/build-brief.ts';
import { insertBrief, lastAcknowledged, latestBrief, MAX_WINDOW_MS, WINDOW_OVERLAP_MS, type BriefRow, type ShownBrief, type StoredBriefItem } from '../domain/brief-store.ts';
import { planDeliveries } from '../domain/deliveries.ts';
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
  /** Whether the server can send e-mail (SMTP_URL): scheduled briefs plan e-mail deliveries only then. */
  config?: { delivery: { smtpUrl: string | null } };
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
 * Where a brief starts when no `since` is asked for: at the end of the reader's last acknowledged
 * brief (however long ago: a brief after a weekend or leave covers all of it). Without one, 7 days
 * back; for a scheduled brief, further back to the end of her previous brief if that is older
 * (she was away, or no brief day came for a while), so that the absence is covered even by
 * someone who never acknowledges (an e-mail reader). Never more than 90 days back (`MAX_WINDOW_MS`).
 * An unacknowledged brief never moves the start forward: what it told of is told again.
 */
async function windowStart(ctx: BriefContext, reader: UserRow, now: number, scheduled: boolean, acknowledgedUntil: number | undefined): Promise<number> {
  if (acknowledgedUntil !== undefined) return acknowledgedUntil;
  const fallback = defaultSince(now);
  if (!scheduled) return fallback;
  const previous = await latestBrief(ctx.db, reader.id);
  return previous && previous.until < fallback ? previous.until : fallback;
}

/**
 * Builds, writes and stores the reader's brief over the changes after `since` (default: see
 * `windowStart`) up to now. With `scheduledFor` (the reader's local date), returns null if that
 * day's scheduled brief exists, and plans its deliveries (one per channel she has on, due at the
 * start of her next working period) in the transaction that stores it; a brief asked for is never
 * delivered. `window` shares the reading of the window's revisions between the briefs of one
 * scheduler run. (The writer may call a remote model, so nothing is held open while it writes:
 * the brief is stored afterwards, in one short transaction. Briefs change nobody's access: no event.)
 */
export async function createBrief(
  ctx: BriefContext,
  reader: UserRow,
  options: { since?: number | undefined; scheduledFor?: string | undefined; budgetSeconds?: number | undefined; window?: SharedWindow | undefined } = {},
): Promise<BriefRow | null> {
  const now = ctx.clock.now();
  const acknowledged = options.since === undefined ? await lastAcknowledged(ctx.db, reader.id) : null;
  const scheduled = options.scheduledFor !== undefined;
  const requested = options.since ?? (await windowStart(ctx, reader, now, scheduled, acknowledged?.until));
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
  const emailAvailable = Boolean(ctx.config?.delivery.smtpUrl);
  const stored = await ctx.db.transaction(async (tx) => {
    if (!(await insertBrief(tx, row))) return false;
    if (scheduled) await planDeliveries(tx, row, { emailAvailable });
    return true;
  });
  return stored ? row : null;
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
