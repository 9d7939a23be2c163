import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Brute-force protection for log-in: at most 5 failed attempts per email and address in 15
 * minutes, and 100 failed attempts per address in an hour. A success clears the first counter.
 */
export interface LoginLimiter {
  /** Seconds to wait if the caller is blocked now, else 0. */
  blockedFor(email: string, ip: string): Promise<number>;
  failed(email: string, ip: string): Promise<void>;
  succeeded(email: string, ip: string): Promise<void>;
}

export function createLoginLimiter(opts = { perAccount: 5, perAccountSeconds: 15 * 60, perIp: 100, perIpSeconds: 3600 }): LoginLimiter {
  const byAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: opts.perAccount, duration: opts.perAccountSeconds });
  const byIp = new RateLimiterMemory({ keyPrefix: 'login-ip', points: opts.perIp, duration: opts.perIpSeconds });
  const accountKey = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;
  const wait = (res: RateLimiterRes | null, limit: number) =>
    res && res.consumedPoints >= limit ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
  return {
    async blockedFor(email, ip) {
      const [a, b] = await Promise.all([byAccount.get(accountKey(email, ip)), byIp.get(ip)]);
      return Math.max(wait(a, opts.perAccount), wait(b, opts.perIp));
    },
    async failed(email, ip) {
      await Promise.allSettled([byAccount.penalty(accountKey(email, ip), 1), byIp.penalty(ip, 1)]);
    },
    async succeeded(email, ip) {
      await byAccount.delete(accountKey(email, ip));
    },
  };
}
