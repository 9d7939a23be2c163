import { DateTime } from 'luxon';
import { and, desc, documents, eq, gte, inArray, isNull, max, ne, or, revisionAuthors, revisions, spaces, threads, users } from '@handoff/db';
import { handoffMarkdown } from '@handoff/shared/handoff-template';
import { decisionsOf, parseStoredDecision } from '../domain/decisions.ts';
import { recipientsOf } from '../domain/handoffs.ts';
import type { UserRow } from '../domain/model.ts';
import { localTimeOn, minutesOf, workDaysOf } from '../domain/working-hours.ts';
import type { CommandContext } from './transaction.ts';

/** Most documents, decisions and threads the draft lists. */
const DRAFT_ITEMS_MAX = 30;
const HOUR = 60 * 60_000;

export interface HandoffDraftResult {
  offer: boolean;
  /** Today in her zone (YYYY-MM-DD): the web app remembers a dismissed offer per day. */
  date: string;
  workEnd: string;
  draft: { title: string; markdown: string; to: string[] };
}

/** Markdown-escapes text for a link's label. */
const label = (text: string) => text.replace(/[\\`*_[\]<>#!|~&]/g, (c) => `\\${c}`);
const link = (doc: { id: string; title: string }) => `[${label(doc.title)}](/docs/${doc.id})`;

/**
 * The end-of-day offer (in the app only): `offer` is true during the last hour of the person's
 * working day (her `workDays`, `workEnd` in her zone; not while away) until she has written a
 * handoff note today. The draft lists under the template's headings what she changed today —
 * documents she wrote revisions of, decisions whose status she changed, open threads she started,
 * all in spaces she may read now (`readableSpaceIds`) — addressed to whom her previous note was.
 */
export async function handoffDraft(ctx: Pick<CommandContext, 'db' | 'clock'>, user: UserRow, readableSpaceIds: readonly string[]): Promise<HandoffDraftResult> {
  const now = ctx.clock.now();
  const local = DateTime.fromMillis(now, { zone: user.timezone });
  const today = local.startOf('day');
  const start = today.toMillis();
  const endMinutes = minutesOf(user.workEnd) ?? 17 * 60;
  const end = localTimeOn(today, endMinutes);
  const inLastHour = workDaysOf(user.workDays).includes(local.weekday) && now >= end - HOUR && now < end && !(user.awayUntil !== null && user.awayUntil > now);

  const writtenToday = await ctx.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.createdBy, user.id), eq(documents.kind, 'handoff'), isNull(documents.trashedAt), gte(documents.createdAt, start)))
    .limit(1)
    .get();
  const spaceIds = [...readableSpaceIds];
  const [changed, decisionLines, threadLines, previous] = spaceIds.length
    ? await Promise.all([changedDocs(ctx, user.id, start, spaceIds), decisionChanges(ctx, user.id, start, spaceIds), openThreads(ctx, user.id, start, spaceIds), previousRecipients(ctx, user.id, spaceIds)])
    : [[], { lines: [], ids: new Set<string>() }, [], { to: [], names: [] }];
  const done = [...decisionLines.lines, ...changed.filter((d) => !decisionLines.ids.has(d.id)).map(link)].slice(0, DRAFT_ITEMS_MAX);
  return {
    offer: inLastHour && !writtenToday,
    date: today.toISODate()!,
    workEnd: user.workEnd,
    draft: {
      title: `Handoff — ${local.toFormat('ccc d LLL yyyy')}`,
      markdown: handoffMarkdown({ done, next: threadLines, to: previous.names }),
      to: previous.to,
    },
  };
}

/** Documents (not handoff notes) she wrote revisions of since `start`, most recent first. */
async function changedDocs(ctx: Pick<CommandContext, 'db'>, userId: string, start: number, spaceIds: string[]) {
  return ctx.db
    .select({ id: documents.id, title: documents.title, at: max(revisions.createdAt) })
    .from(revisionAuthors)
    .innerJoin(revisions, and(eq(revisions.docId, revisionAuthors.docId), eq(revisions.revision, revisionAuthors.revision)))
    .innerJoin(documents, eq(documents.id, revisionAuthors.docId))
    .where(and(eq(revisionAuthors.userId, userId), gte(revisions.createdAt, start), ne(documents.kind, 'handoff'), isNull(documents.trashedAt), inArray(documents.spaceId, spaceIds)))
    .groupBy(documents.id)
    .orderBy(desc(max(revisions.createdAt)))
    .limit(DRAFT_ITEMS_MAX)
    .all();
}

/** Decisions whose status one of her revisions since `start` changed: "[Title](/docs/id): accepted" (the status now). */
async function decisionChanges(ctx: Pick<CommandContext, 'db'>, userId: string, start: number, spaceIds: string[]) {
  const mine = await ctx.db
    .select({ docId: revisions.docId, revision: revisions.revision, decision: revisions.decision, title: documents.title })
    .from(revisionAuthors)
    .innerJoin(revisions, and(eq(revisions.docId, revisionAuthors.docId), eq(revisions.revision, revisionAuthors.revision)))
    .innerJoin(documents, eq(documents.id, revisionAuthors.docId))
    .where(and(eq(revisionAuthors.userId, userId), gte(revisions.createdAt, start), eq(documents.kind, 'decision'), isNull(documents.trashedAt), inArray(documents.spaceId, spaceIds)))
    .orderBy(desc(revisions.createdAt))
    .limit(200)
    .all();
  const withPrevious = mine.filter((r) => r.revision > 1);
  const previous = withPrevious.length
    ? await ctx.db
        .select({ docId: revisions.docId, revision: revisions.revision, decision: revisions.decision })
        .from(revisions)
        .where(or(...withPrevious.map((r) => and(eq(revisions.docId, r.docId), eq(revisions.revision, r.revision - 1)))))
        .all()
    : [];
  const before = new Map(previous.map((p) => [`${p.docId}:${p.revision}`, parseStoredDecision(p.decision)?.status]));
  const ids = new Set<string>();
  const titles = new Map<string, string>();
  for (const r of withPrevious) {
    const status = parseStoredDecision(r.decision)?.status;
    if (status && status !== before.get(`${r.docId}:${r.revision - 1}`)) {
      ids.add(r.docId);
      titles.set(r.docId, r.title);
    }
  }
  const current = await decisionsOf(ctx.db, [...ids].slice(0, DRAFT_ITEMS_MAX));
  const lines = [...current].map(([id, d]) => `${link({ id, title: titles.get(id) ?? '' })}: now ${d.status}`);
  return { lines, ids };
}

/** Threads she started since `start` that are still open: "Open thread on [Title](/docs/id): “quote”". */
async function openThreads(ctx: Pick<CommandContext, 'db'>, userId: string, start: number, spaceIds: string[]) {
  const rows = await ctx.db
    .select({ id: documents.id, title: documents.title, quote: threads.quote })
    .from(threads)
    .innerJoin(documents, eq(documents.id, threads.docId))
    .where(and(eq(threads.createdBy, userId), eq(threads.status, 'open'), gte(threads.createdAt, start), isNull(documents.trashedAt), inArray(documents.spaceId, spaceIds)))
    .orderBy(desc(threads.createdAt))
    .limit(DRAFT_ITEMS_MAX)
    .all();
  return rows.map((r) => {
    const quote = r.quote ? r.quote.replace(/\s+/g, ' ').trim().slice(0, 80) : '';
    return `Open thread on ${link(r)}${quote ? `: “${label(quote)}”` : ''}`;
  });
}

/** The recipients of her previous handoff note (people who are still active, spaces she may still read) and how the note names them. */
async function previousRecipients(ctx: Pick<CommandContext, 'db'>, userId: string, spaceIds: string[]): Promise<{ to: string[]; names: string[] }> {
  const last = await ctx.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.createdBy, userId), eq(documents.kind, 'handoff'), isNull(documents.trashedAt)))
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(1)
    .get();
  if (!last) return { to: [], names: [] };
  const to = (await recipientsOf(ctx.db, [last.id])).get(last.id) ?? [];
  const spaceTo = to.filter((r) => r.startsWith('space:')).map((r) => r.slice('space:'.length)).filter((id) => spaceIds.includes(id));
  const userTo = to.filter((r) => !r.startsWith('space:'));
  const people = userTo.length ? await ctx.db.select({ id: users.id, handle: users.handle }).from(users).where(and(inArray(users.id, userTo), isNull(users.deactivatedAt))).all() : [];
  const named = spaceTo.length ? await ctx.db.select({ id: spaces.id, name: spaces.name }).from(spaces).where(inArray(spaces.id, spaceTo)).all() : [];
  return {
    to: [...people.map((p) => p.id), ...named.map((s) => `space:${s.id}`)].sort(),
    names: [...people.map((p) => `@${p.handle}`), ...named.map((s) => label(s.name))],
  };
}
