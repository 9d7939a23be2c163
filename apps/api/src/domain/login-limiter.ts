import { eq, lt, rateLimits, sql, type Db } from '@handoff/db';
import { DomainError, rateLimited } from './errors.ts';
import { sha256 } from './ids.ts';
import type { Clock } from './ports.ts';

/** At most `points` attempts per key in a fixed window of `windowSeconds`. */
export interface RateRule {
  points: number;
  windowSeconds: number;
}

/** The limits of the credential endpoints (config.authLimits). */
export interface AuthLimits {
  /** Log-in attempts per e-mail and client address (a success clears it). */
  loginPerAccount: RateRule;
  /** Log-in attempts per client address (successes are given back). */
  loginPerIp: RateRule;
  /** Sign-up attempts per client address, successful or not. */
  signupPerIp: RateRule;
  /** Password changes per user (a success clears it). */
  passwordChangePerUser: RateRule;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginPerAccount: { points: 5, windowSeconds: 15 * 60 },
  loginPerIp: { points: 100, windowSeconds: 60 * 60 },
  signupPerIp: { points: 20, windowSeconds: 60 * 60 },
  passwordChangePerUser: { points: 5, windowSeconds: 15 * 60 },
};

/**
 * A fixed-window counter per key, in the database (table `rate_limits`): it survives restarts and
 * holds across API nodes sharing the database. `consume` counts the attempt and reads the count in
 * one atomic statement, so parallel requests cannot all slip in under the limit. Keys are stored
 * hashed (they hold typed e-mails and addresses).
 */
export class DbRateLimiter {
  private sinceSweep = 0;
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly sweepEvery = 500,
  ) {}

  /** Counts one attempt; returns the seconds to wait when this attempt is over the limit, else 0. */
  async consume(key: string, rule: RateRule): Promise<number> {
    const now = this.clock.now();
    const resetAt = now + rule.windowSeconds * 1000;
    // SET expressions read the row as it was before the update: a lapsed window starts over at 1.
    const row = await this.db
      .insert(rateLimits)
      .values({ key: sha256(key), points: 1, resetAt })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          points: sql`CASE WHEN ${rateLimits.resetAt} <= ${now} THEN 1 ELSE ${rateLimits.points} + 1 END`,
          resetAt: sql`CASE WHEN ${rateLimits.resetAt} <= ${now} THEN excluded.reset_at ELSE ${rateLimits.resetAt} END`,
        },
      })
      .returning({ points: rateLimits.points, resetAt: rateLimits.resetAt })
      .get();
    if (++this.sinceSweep >= this.sweepEvery) {
      this.sinceSweep = 0;
      await this.db.delete(rateLimits).where(lt(rateLimits.resetAt, now));
    }
    if (!row || row.points <= rule.points) return 0;
    return Math.max(1, Math.ceil((row.resetAt - now) / 1000));
  }

  /** Gives one attempt back (a success that should not count against a shared budget). */
  async refund(key: string): Promise<void> {
    await this.db
      .update(rateLimits)
      .set({ points: sql`MAX(${rateLimits.points} - 1, 0)` })
      .where(eq(rateLimits.key, sha256(key)));
  }

  async reset(key: string): Promise<void> {
    await this.db.delete(rateLimits).where(eq(rateLimits.key, sha256(key)));
  }
}

/**
 * Brute-force protection of the credential endpoints: log-in, sign-up and password change. Every
 * `before…` counts the attempt BEFORE any password is hashed or verified and throws a 429 (with
 * `Retry-After`) when the caller is over a limit, so a burst of parallel guesses gets at most the
 * limit evaluated, and a right guess inside a locked burst is refused too.
 */
export interface AuthLimiter {
  beforeLogin(email: string, ip: string): Promise<void>;
  loginSucceeded(email: string, ip: string): Promise<void>;
  beforeSignup(ip: string): Promise<void>;
  beforePasswordChange(userId: string): Promise<void>;
  passwordChangeSucceeded(userId: string): Promise<void>;
}

function tooMany(what: string, wait: number): DomainError {
  return rateLimited(`Too many ${what}. Try again in ${wait} seconds.`, wait, { retryAfter: wait });
}

export function createAuthLimiter(db: Db, clock: Clock, limits: AuthLimits = DEFAULT_AUTH_LIMITS): AuthLimiter {
  const counters = new DbRateLimiter(db, clock);
  const accountKey = (email: string, ip: string) => `login-account\u0000${email.trim().toLowerCase()}\u0000${ip}`;
  const ipKey = (ip: string) => `login-ip\u0000${ip}`;
  return {
    async beforeLogin(email, ip) {
      const waitAccount = await counters.consume(accountKey(email, ip), limits.loginPerAccount);
      const waitIp = await counters.consume(ipKey(ip), limits.loginPerIp);
      const wait = Math.max(waitAccount, waitIp);
      if (wait > 0) throw tooMany('log-in attempts', wait);
    },
    async loginSucceeded(email, ip) {
      await counters.reset(accountKey(email, ip));
      await counters.refund(ipKey(ip));
    },
    async beforeSignup(ip) {
      const wait = await counters.consume(`signup-ip\u0000${ip}`, limits.signupPerIp);
      if (wait > 0) throw tooMany('sign-up attempts from your address', wait);
    },
    async beforePasswordChange(userId) {
      const wait = await counters.consume(`password-change\u0000${userId}`, limits.passwordChangePerUser);
      if (wait > 0) throw tooMany('password change attempts', wait);
    },
    async passwordChangeSucceeded(userId) {
      await counters.reset(`password-change\u0000${userId}`);
    },
  };
}
