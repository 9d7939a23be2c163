import type { SpaceRole, SpaceRow, UserRow } from '../domain/model.ts';
import { requireSpace } from '../policies/access.ts';
import type { CommandContext } from './transaction.ts';

/**
 * One space as the caller may see it, with their role. The read is the policy's own look-up: a
 * space the caller may not see is as unknown as a missing one (404).
 */
export async function getSpace(ctx: Pick<CommandContext, 'db'>, user: UserRow, spaceId: string): Promise<{ space: SpaceRow; role: SpaceRole }> {
  return requireSpace(ctx.db, user, spaceId, 'viewer');
}
