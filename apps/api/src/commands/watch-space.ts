import { insertSpaceWatch } from '../domain/spaces.ts';
import type { CommandContext } from './transaction.ts';

/**
 * Follows every document of a space (briefs tell of its changes with the reason `watch`). The
 * caller was authorized to read the space. A watch changes nobody's access: no event.
 */
export async function watchSpace(ctx: Pick<CommandContext, 'db' | 'clock'>, userId: string, spaceId: string): Promise<void> {
  await insertSpaceWatch(ctx.db, userId, spaceId, ctx.clock.now());
}
