import { and, eq, views } from '@handoff/db';
import type { ReadCache } from '../domain/read-cache.ts';
import type { CommandContext } from './transaction.ts';

/**
 * Records that `userId` has seen `doc` at its current revision (briefs leave out what a reader has
 * seen). Never moves a view backwards; the cache remembers it so repeated reads write nothing.
 */
export async function recordView(
  ctx: Pick<CommandContext, 'db' | 'clock'> & { cache: ReadCache },
  userId: string,
  doc: { id: string; revision: number },
): Promise<void> {
  if (ctx.cache.hasSeen(userId, doc.id, doc.revision)) return;
  const seen = await ctx.db.select({ revision: views.revision }).from(views).where(and(eq(views.userId, userId), eq(views.docId, doc.id))).get();
  if (!seen || seen.revision < doc.revision) {
    const now = ctx.clock.now();
    await ctx.db
      .insert(views)
      .values({ userId, docId: doc.id, revision: doc.revision, seenAt: now })
      .onConflictDoUpdate({ target: [views.userId, views.docId], set: { revision: doc.revision, seenAt: now } });
  }
  ctx.cache.markSeen(userId, doc.id, Math.max(doc.revision, seen?.revision ?? 0));
}
