import { deleteSpaceWatch } from '../domain/spaces.ts';
import type { CommandContext } from './transaction.ts';

/** Stops following a space (idempotent; watches of single documents in it stay). */
export async function unwatchSpace(ctx: Pick<CommandContext, 'db'>, userId: string, spaceId: string): Promise<void> {
  await deleteSpaceWatch(ctx.db, userId, spaceId);
}
