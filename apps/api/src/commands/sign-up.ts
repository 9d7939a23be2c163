import type { SignupMode } from '../domain/identity.ts';
import { insertSession, type NewSession, type SessionPolicy } from '../domain/credentials.ts';
import { conflict } from '../domain/errors.ts';
import { claimInvite, recordInviteUse, type InviteRow } from '../domain/invites.ts';
import type { AuthLimiter } from '../domain/login-limiter.ts';
import type { UserRow } from '../domain/model.ts';
import { argon2Passwords, type PasswordHasher } from '../domain/passwords.ts';
import { anyUserExists, insertUser, newUserRow, takenIdentifiers } from '../domain/users.ts';
import { signupRefused, signupRule } from '../policies/signup.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

export interface SignUpContext extends CommandContext {
  authLimiter: AuthLimiter;
  passwords?: PasswordHasher | undefined;
  config: { signup: SignupMode; session: SessionPolicy };
}

export interface SignupInput {
  email: string;
  name: string;
  handle: string;
  password: string;
  timezone: string;
  invite?: string | undefined;
}

const isUniqueViolation = (err: unknown) => /UNIQUE constraint failed/i.test(String((err as { message?: string })?.message ?? err));

/**
 * `POST /api/auth/signup`: an account and its first session. Attempts are counted per client
 * address before anything else; then the password is hashed, on every path, so that how long a
 * refusal takes says nothing about why. Then, in one transaction: the invite (if any) is claimed,
 * the handle and e-mail are checked, the user is inserted with the first-user rule enforced by the
 * INSERT itself, and the session is started; a refusal rolls the claim back, so a failed attempt
 * does not use up the invite. A taken handle is a 409 (handles are public to members); a taken
 * e-mail is `signup_refused`, like every other refusal.
 */
export async function signUp(ctx: SignUpContext, input: SignupInput, clientIp: string): Promise<{ user: UserRow; session: NewSession }> {
  await ctx.authLimiter.beforeSignup(clientIp);
  const passwordHash = await (ctx.passwords ?? argon2Passwords).hash(input.password);
  const rule = signupRule(ctx.config.signup, input.invite !== undefined);
  const email = input.email.toLowerCase();
  try {
    return await inTransaction(ctx, async (tx) => {
      const now = ctx.clock.now();
      let invite: InviteRow | null = null;
      if (rule.claimInvite) {
        invite = await claimInvite(tx, input.invite!, email, now);
        if (!invite) throw signupRefused();
      }
      if (rule.firstUserOnly && (await anyUserExists(tx))) throw signupRefused();
      const taken = await takenIdentifiers(tx, email, input.handle);
      if (taken.email) throw signupRefused();
      if (taken.handle) throw conflict('That handle is taken.', { field: 'handle' });
      const user = await insertUser(tx, newUserRow({ ...input, email }, passwordHash, now), { role: invite?.role ?? null, onlyIfFirst: rule.firstUserOnly });
      if (!user) throw signupRefused();
      if (invite) await recordInviteUse(tx, invite.id, user.id);
      const session = await insertSession(tx, user.id, now, ctx.config.session);
      return { user, session };
    });
  } catch (err) {
    // Another node inserted the same e-mail or handle between our check and our insert.
    if (isUniqueViolation(err)) throw signupRefused();
    throw err;
  }
}
