import { notFound } from '../domain/errors.ts';
import { assertNotLastAdmin, deleteMembership } from '../domain/spaces.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Removes a person's explicit membership (an admin removing them, or they leaving; authorized by
 * `authorizeMembershipChange`). The last explicit admin may not leave (409 `last_admin`). The
 * `space.membership` event takes the access away on open sockets, search and briefs at once.
 */
export async function removeMember(ctx: CommandContext, spaceId: string, userId: string): Promise<void> {
  await inTransaction(ctx, async (tx, emit) => {
    await assertNotLastAdmin(tx, spaceId, userId);
    if (!(await deleteMembership(tx, spaceId, userId))) throw notFound('Membership');
    emit({ topic: 'space.membership', spaceId, userId, role: null });
  });
}
