import type { SpaceRole, SpaceRow, UserRow } from '../domain/model.ts';
import { spacesWithMembership } from '../domain/spaces.ts';
import { roleIn } from '../policies/access.ts';
import type { CommandContext } from './transaction.ts';

/** The spaces the caller can see, by name, with the caller's role in each. */
export async function listSpaces(ctx: Pick<CommandContext, 'db'>, user: UserRow): Promise<Array<{ space: SpaceRow; role: SpaceRole }>> {
  const visible: Array<{ space: SpaceRow; role: SpaceRole }> = [];
  for (const { space, membership } of await spacesWithMembership(ctx.db, user.id)) {
    const role = roleIn(user, space, membership);
    if (role !== null) visible.push({ space, role });
  }
  return visible;
}
