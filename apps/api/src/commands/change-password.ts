import { revokeOtherSessions } from '../domain/credentials.ts';
import { forbidden } from '../domain/errors.ts';
import type { Auth } from '../domain/identity.ts';
import type { AuthLimiter } from '../domain/login-limiter.ts';
import { argon2Passwords, type PasswordHasher } from '../domain/passwords.ts';
import { setPasswordHash } from '../domain/users.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

export interface ChangePasswordContext extends CommandContext {
  authLimiter: AuthLimiter;
  passwords?: PasswordHasher | undefined;
}

/**
 * Changes the caller's password and ends every other session of theirs, in one transaction with
 * its `user.access` event (caches forget, open sockets re-check). API tokens stay: they are
 * separate credentials, revoked one by one in /api/tokens. Attempts are counted per person
 * BEFORE the current password is verified (429 past the limit); a success clears the count.
 */
export async function changePassword(ctx: ChangePasswordContext, auth: Auth, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const passwords = ctx.passwords ?? argon2Passwords;
  await ctx.authLimiter.beforePasswordChange(auth.user.id);
  if (!(await passwords.verify(auth.user.passwordHash, input.currentPassword))) {
    throw forbidden('The current password is not right.', 'wrong_password');
  }
  const passwordHash = await passwords.hash(input.newPassword);
  await inTransaction(ctx, async (tx, emit) => {
    const now = ctx.clock.now();
    await setPasswordHash(tx, auth.user.id, passwordHash, now);
    await revokeOtherSessions(tx, auth.user.id, auth.sessionId, now);
    emit({ topic: 'user.access', userId: auth.user.id, reason: 'password' });
  });
  await ctx.authLimiter.passwordChangeSucceeded(auth.user.id);
}
