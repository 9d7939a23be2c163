import { notFound } from '../domain/errors.ts';
import type { UserRow } from '../domain/model.ts';
import { updateProfile as storeProfile, type ProfileChange } from '../domain/users.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Changes the caller's name, time zone or brief hour. Emits `user.access` (reason `profile`): the
 * cached identity of their credentials carries the profile, so caches must drop it.
 */
export async function updateProfile(ctx: CommandContext, userId: string, change: ProfileChange): Promise<UserRow> {
  return inTransaction(ctx, async (tx, emit) => {
    const updated = await storeProfile(tx, userId, change, ctx.clock.now());
    if (!updated) throw notFound('User');
    emit({ topic: 'user.access', userId, reason: 'profile' });
    return updated;
  });
}
