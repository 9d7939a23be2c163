import { DateTime } from 'luxon';
import { and, desc, documents, eq, gte, inArray, isNull, lt, or, users, type SQL } from '@handoff/db';
import { badRequest } from '../domain/errors.ts';
import { handoffCounts } from '../domain/handoff-asks.ts';
import { recipientsOf, type HandoffLogDay } from '../domain/handoffs.ts';
import type { CommandContext } from './transaction.ts';

export interface ListHandoffsQuery {
  /** The spaces to list from (already narrowed to what the caller may read). */
  spaceIds: string[];
  /** The caller's time zone: days and the `from`/`to` dates are hers. */
  timezone: string;
  /** First and last local date (YYYY-MM-DD), both included. */
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

const encodeCursor = (createdAt: number, id: string) => Buffer.from(`${createdAt}:${id}`).toString('base64url');

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const createdAt = Number(at);
  if (!id || !Number.isSafeInteger(createdAt)) throw badRequest('The cursor is not valid.', { fields: [{ path: 'cursor', code: 'invalid', message: 'Invalid cursor' }] });
  return { createdAt, id };
}

/** Midnight starting local date `date` in `zone` (ms). */
const startOfLocalDay = (date: string, zone: string) => DateTime.fromISO(date, { zone }).startOf('day').toMillis();

/**
 * The handoff log: handoff notes in `spaceIds` (not trashed), newest first, `limit` notes a page,
 * grouped by the local day (in the caller's zone) they were written, each with its author, its
 * recipients and how many items each section holds. Two queries a page.
 */
export async function listHandoffs(ctx: Pick<CommandContext, 'db'>, q: ListHandoffsQuery): Promise<{ days: HandoffLogDay[]; nextCursor: string | null }> {
  if (!q.spaceIds.length) return { days: [], nextCursor: null };
  const where: SQL[] = [eq(documents.kind, 'handoff'), isNull(documents.trashedAt), inArray(documents.spaceId, q.spaceIds)];
  if (q.from) where.push(gte(documents.createdAt, startOfLocalDay(q.from, q.timezone)));
  if (q.to) where.push(lt(documents.createdAt, DateTime.fromISO(q.to, { zone: q.timezone }).plus({ days: 1 }).startOf('day').toMillis()));
  if (q.cursor) {
    const at = decodeCursor(q.cursor);
    where.push(or(lt(documents.createdAt, at.createdAt), and(eq(documents.createdAt, at.createdAt), lt(documents.id, at.id)))!);
  }
  const rows = await ctx.db
    .select({
      doc: {
        id: documents.id,
        spaceId: documents.spaceId,
        parentId: documents.parentId,
        kind: documents.kind,
        title: documents.title,
        markdown: documents.markdown,
        revision: documents.revision,
        createdBy: documents.createdBy,
        updatedBy: documents.updatedBy,
        createdAt: documents.createdAt,
        updatedAt: documents.updatedAt,
        trashedAt: documents.trashedAt,
      },
      authorName: users.name,
    })
    .from(documents)
    .innerJoin(users, eq(users.id, documents.createdBy))
    .where(and(...where))
    .orderBy(desc(documents.createdAt), desc(documents.id))
    .limit(q.limit + 1)
    .all();
  const page = rows.slice(0, q.limit);
  const recipients = await recipientsOf(ctx.db, page.map((r) => r.doc.id));
  const days: HandoffLogDay[] = [];
  for (const { doc, authorName } of page) {
    const date = DateTime.fromMillis(doc.createdAt, { zone: q.timezone }).toISODate() ?? new Date(doc.createdAt).toISOString().slice(0, 10);
    let day = days[days.length - 1];
    if (!day || day.date !== date) days.push((day = { date, handoffs: [] }));
    day.handoffs.push({
      doc: { ...doc, markdown: '', content: '{}', text: '' },
      author: { id: doc.createdBy, name: authorName },
      to: recipients.get(doc.id) ?? [],
      counts: handoffCounts(doc.markdown),
    });
  }
  const last = page[page.length - 1];
  return { days, nextCursor: rows.length > q.limit && last ? encodeCursor(last.doc.createdAt, last.doc.id) : null };
}
