import { markApiTokenRevoked, ownApiToken } from '../domain/credentials.ts';
import { notFound } from '../domain/errors.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Revokes one of the caller's API tokens (someone else's is as unknown as a missing one: 404).
 * Revoking is idempotent; the first revocation emits `user.access` (reason `token`), so caches
 * forget the token and sockets opened with it close at once.
 */
export async function revokeToken(ctx: CommandContext, userId: string, tokenId: string): Promise<void> {
  await inTransaction(ctx, async (tx, emit) => {
    const row = await ownApiToken(tx, userId, tokenId);
    if (!row) throw notFound('Token');
    if (row.revokedAt !== null) return;
    await markApiTokenRevoked(tx, tokenId, ctx.clock.now());
    emit({ topic: 'user.access', userId, reason: 'token' });
  });
}
