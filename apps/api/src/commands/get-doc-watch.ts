import { and, eq, or, watches } from '@handoff/db';
import type { DocRow, UserRow } from '../domain/model.ts';
import type { CommandContext } from './transaction.ts';

/** Whether `user` follows `doc` directly, and whether through its space. */
export async function getDocWatch(ctx: Pick<CommandContext, 'db'>, user: UserRow, doc: DocRow): Promise<{ watching: boolean; viaSpace: boolean }> {
  const rows = await ctx.db
    .select({ targetType: watches.targetType })
    .from(watches)
    .where(and(eq(watches.userId, user.id), or(and(eq(watches.targetType, 'doc'), eq(watches.targetId, doc.id)), and(eq(watches.targetType, 'space'), eq(watches.targetId, doc.spaceId)))))
    .all();
  return { watching: rows.some((r) => r.targetType === 'doc'), viaSpace: rows.some((r) => r.targetType === 'space') };
}
