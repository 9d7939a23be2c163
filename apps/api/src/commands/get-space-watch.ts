import { watchesSpace } from '../domain/spaces.ts';
import type { CommandContext } from './transaction.ts';

/** Whether the person follows the space (`viaSpace`: a space watch is always its own reason). */
export async function getSpaceWatch(ctx: Pick<CommandContext, 'db'>, userId: string, spaceId: string): Promise<{ watching: boolean; viaSpace: boolean }> {
  const watching = await watchesSpace(ctx.db, userId, spaceId);
  return { watching, viaSpace: watching };
}
