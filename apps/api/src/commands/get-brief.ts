import { briefCommentIds, briefDocIds, docPlaces, latestBrief, ownBrief, showBrief, type BriefRow, type ShownBrief } from '../domain/brief-store.ts';
import { commentsNow } from '../domain/brief-threads.ts';
import { notFound } from '../domain/errors.ts';
import type { UserRow } from '../domain/model.ts';
import type { BriefWriter } from '../domain/ports.ts';
import { readableSpaceIds } from '../policies/access.ts';
import type { CommandContext } from './transaction.ts';

export interface GetBriefContext extends Pick<CommandContext, 'db'> {
  /** Rewrites a brief some of whose items the reader may no longer read. */
  extractiveBriefWriter: BriefWriter;
}

/**
 * One of the reader's briefs (`latest`, or by id; someone else's is a 404 like a missing one), as
 * she may see it now: every item is rechecked against the spaces the access policy lets her read
 * today, items in the trash are dropped, and so are comments deleted since (edited ones are
 * quoted as they read now).
 */
export async function getBrief(ctx: GetBriefContext, reader: UserRow, which: { latest: true } | { id: string }): Promise<ShownBrief> {
  const row = 'id' in which ? await ownBrief(ctx.db, reader.id, which.id) : await latestBrief(ctx.db, reader.id);
  if (!row) throw notFound('Brief');
  return showAsOfNow(ctx, reader, row);
}

/** A stored brief of the reader's, trimmed to the documents she may read now and the comments that still exist. */
export async function showAsOfNow(ctx: GetBriefContext, reader: UserRow, row: BriefRow): Promise<ShownBrief> {
  const ids = briefDocIds(row);
  if (!ids.length) return showBrief(reader, row, new Set(), new Map(), ctx.extractiveBriefWriter);
  const commentIds = briefCommentIds(row);
  const [readable, docs, comments] = await Promise.all([
    readableSpaceIds(ctx.db, reader),
    docPlaces(ctx.db, ids),
    commentIds.length ? commentsNow(ctx.db, commentIds) : new Map<string, string>(),
  ]);
  const readableSpaces = new Set(readable);
  const visible = new Set(docs.filter((d) => d.trashedAt === null && readableSpaces.has(d.spaceId)).map((d) => d.id));
  return showBrief(reader, row, visible, comments, ctx.extractiveBriefWriter);
}
