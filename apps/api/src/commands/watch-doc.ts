import { watches } from '@handoff/db';
import type { DocRow, UserRow } from '../domain/model.ts';
import type { CommandContext } from './transaction.ts';

/** Follows a document (nothing changes when already followed). */
export async function watchDoc(ctx: Pick<CommandContext, 'db' | 'clock'>, user: UserRow, doc: DocRow): Promise<void> {
  await ctx.db.insert(watches).values({ userId: user.id, targetType: 'doc', targetId: doc.id, createdAt: ctx.clock.now() }).onConflictDoNothing();
}
