import { and, eq, watches } from '@handoff/db';
import type { DocRow, UserRow } from '../domain/model.ts';
import type { CommandContext } from './transaction.ts';

/** Stops following a document directly (following its space is left as it is). */
export async function unwatchDoc(ctx: Pick<CommandContext, 'db'>, user: UserRow, doc: DocRow): Promise<void> {
  await ctx.db.delete(watches).where(and(eq(watches.userId, user.id), eq(watches.targetType, 'doc'), eq(watches.targetId, doc.id)));
}
