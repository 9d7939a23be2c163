import { notFound } from '../domain/errors.ts';
import type { SpaceRole } from '../domain/model.ts';
import { assertNotLastAdmin, upsertMembership } from '../domain/spaces.ts';
import { userById } from '../domain/users.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Adds a person to a space or changes their role (authorized by `authorizeMembershipChange`).
 * The last explicit admin may not step down (409 `last_admin`); checked in the transaction that
 * changes the role, so two admins demoting each other cannot both succeed.
 */
export async function putMember(ctx: CommandContext, spaceId: string, userId: string, role: SpaceRole): Promise<{ userId: string; role: SpaceRole }> {
  return inTransaction(ctx, async (tx, emit) => {
    if (!(await userById(tx, userId))) throw notFound('User');
    if (role !== 'admin') await assertNotLastAdmin(tx, spaceId, userId);
    await upsertMembership(tx, spaceId, userId, role, ctx.clock.now());
    emit({ topic: 'space.membership', spaceId, userId, role });
    return { userId, role };
  });
}
