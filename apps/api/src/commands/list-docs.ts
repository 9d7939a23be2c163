import { and, desc, documents, eq, gte, inArray, isNotNull, isNull, lt, or, type SQL } from '@handoff/db';
import { decisionsOf, type DecisionValue } from '../domain/decisions.ts';
import { badRequest } from '../domain/errors.ts';
import { recipientsOf } from '../domain/handoffs.ts';
import type { DocKind, DocRow } from '../domain/model.ts';
import type { CommandContext } from './transaction.ts';

export interface ListDocsQuery {
  /** The spaces to list from (already narrowed to what the caller may read). */
  spaceIds: string[];
  /** The trash instead of live documents (the trash list). */
  trashed?: boolean | undefined;
  kind?: DocKind | undefined;
  /** ISO time: only documents changed since. */
  updatedSince?: string | undefined;
  parentId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

const encodeCursor = (updatedAt: number, id: string) => Buffer.from(`${updatedAt}:${id}`).toString('base64url');

function decodeCursor(cursor: string): { updatedAt: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const updatedAt = Number(at);
  if (!id || !Number.isSafeInteger(updatedAt)) throw badRequest('The cursor is not valid.', { fields: [{ path: 'cursor', code: 'invalid', message: 'Invalid cursor' }] });
  return { updatedAt, id };
}

/**
 * A page of documents (metadata only, bodies left empty), newest change first, with the decisions
 * of the decision records among them and the cursor of the next page. The decision log is this
 * with `kind: 'decision'`; the trash is this with `trashed: true`.
 */
export async function listDocs(ctx: Pick<CommandContext, 'db'>, q: ListDocsQuery): Promise<{ docs: Array<{ doc: DocRow; decision: DecisionValue | null; handoff: { to: string[] } | null }>; nextCursor: string | null }> {
  const where: SQL[] = [inArray(documents.spaceId, q.spaceIds), q.trashed ? isNotNull(documents.trashedAt) : isNull(documents.trashedAt)];
  if (q.kind) where.push(eq(documents.kind, q.kind));
  if (q.updatedSince) where.push(gte(documents.updatedAt, Date.parse(q.updatedSince)));
  if (q.parentId) where.push(eq(documents.parentId, q.parentId));
  if (q.cursor) {
    const at = decodeCursor(q.cursor);
    where.push(or(lt(documents.updatedAt, at.updatedAt), and(eq(documents.updatedAt, at.updatedAt), lt(documents.id, at.id)))!);
  }
  const rows = await ctx.db
    .select({
      id: documents.id,
      spaceId: documents.spaceId,
      parentId: documents.parentId,
      kind: documents.kind,
      title: documents.title,
      revision: documents.revision,
      createdBy: documents.createdBy,
      updatedBy: documents.updatedBy,
      createdAt: documents.createdAt,
      updatedAt: documents.updatedAt,
      trashedAt: documents.trashedAt,
    })
    .from(documents)
    .where(and(...where))
    .orderBy(desc(documents.updatedAt), desc(documents.id))
    .limit(q.limit + 1)
    .all();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const decisions = await decisionsOf(ctx.db, page.filter((r) => r.kind === 'decision').map((r) => r.id));
  const recipients = await recipientsOf(ctx.db, page.filter((r) => r.kind === 'handoff').map((r) => r.id));
  return {
    docs: page.map((r) => {
      const to = recipients.get(r.id);
      return { doc: { ...r, markdown: '', content: '{}', text: '' }, decision: decisions.get(r.id) ?? null, handoff: to ? { to } : null };
    }),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.updatedAt, last.id) : null,
  };
}
