import { insertSession, type NewSession, type SessionPolicy } from '../domain/credentials.ts';
import { unauthorized } from '../domain/errors.ts';
import type { AuthLimiter } from '../domain/login-limiter.ts';
import type { UserRow } from '../domain/model.ts';
import { argon2Passwords, verifyNothing, type PasswordHasher } from '../domain/passwords.ts';
import { userByEmail } from '../domain/users.ts';
import type { CommandContext } from './transaction.ts';

export interface LogInContext extends Pick<CommandContext, 'db' | 'clock'> {
  authLimiter: AuthLimiter;
  passwords?: PasswordHasher | undefined;
  config: { session: SessionPolicy };
}

/**
 * Logs in with e-mail and password and starts a session. The attempt is counted (per account and
 * address, and per address) BEFORE the password is verified: a burst of parallel guesses gets at
 * most the limit evaluated. An unknown or deactivated e-mail costs one verification too, so the
 * time taken does not tell whether an account exists.
 */
export async function logIn(ctx: LogInContext, input: { email: string; password: string }, clientIp: string): Promise<{ user: UserRow; session: NewSession }> {
  const passwords = ctx.passwords ?? argon2Passwords;
  await ctx.authLimiter.beforeLogin(input.email, clientIp);
  const user = await userByEmail(ctx.db, input.email);
  let valid = false;
  if (!user || user.deactivatedAt) await verifyNothing(passwords, input.password);
  else valid = await passwords.verify(user.passwordHash, input.password);
  if (!user || !valid) throw unauthorized('Wrong email or password.');
  await ctx.authLimiter.loginSucceeded(input.email, clientIp);
  const session = await insertSession(ctx.db, user.id, ctx.clock.now(), ctx.config.session);
  return { user, session };
}
