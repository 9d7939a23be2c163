import { revokeSession } from '../domain/credentials.ts';
import type { Auth } from '../domain/identity.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Ends the caller's session (with an API token there is no session to end). `user.access` makes
 * caches forget the credential and open sockets re-check it at once.
 */
export async function logOut(ctx: CommandContext, auth: Auth): Promise<void> {
  await inTransaction(ctx, async (tx, emit) => {
    if (auth.sessionId) await revokeSession(tx, auth.sessionId, ctx.clock.now());
    emit({ topic: 'user.access', userId: auth.user.id, reason: 'logout' });
  });
}
