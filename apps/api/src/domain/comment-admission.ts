import { rateLimited } from './errors.ts';
import { WriteAdmission } from './write-admission.ts';

/** Limits of comment writes: starting a thread, replying, editing (config.limits.commentWrites). */
export interface CommentWriteLimits {
  /**
   * Comment writes one person may make per minute (HANDOFF_COMMENT_WRITES_PER_MINUTE): a burst of
   * that many, then one each 60/n seconds; beyond, 429 with `Retry-After`.
   */
  perUserPerMinute: number;
  /** Comment writes one person may have waiting while others are stored (HANDOFF_COMMENT_WRITE_QUEUE_PER_USER; 429 beyond). */
  queuePerUser: number;
  /** Comment writes waiting in all (HANDOFF_COMMENT_WRITE_QUEUE; 503 beyond). */
  queueTotal: number;
}

export const DEFAULT_COMMENT_WRITE_LIMITS: CommentWriteLimits = { perUserPerMinute: 60, queuePerUser: 8, queueTotal: 256 };

/** Comment writes computing at once (each is a short transaction; starting one on a quote also reads the body). */
const CONCURRENCY = 4;
/** Past this many people with a bucket, full buckets (people who have not written for a minute) are forgotten. */
const SWEEP_AT = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Admission of comment writes, so that one account cannot flood a document, the database or other
 * people's "waiting on you": a token bucket per person (a burst of `perUserPerMinute`, refilled
 * at that rate; 429 beyond, before any work), then the same bounded, round-robin admission as
 * REST document writes (`WriteAdmission`: at most CONCURRENCY at once, `queuePerUser` waiting per
 * person → 429, `queueTotal` waiting in all → 503). Counted in this process's memory (like the
 * import and parser budgets): with several API nodes each node applies the limits.
 */
export class CommentAdmission {
  private readonly buckets = new Map<string, Bucket>();
  private readonly admission: WriteAdmission;

  constructor(private readonly limits: CommentWriteLimits = DEFAULT_COMMENT_WRITE_LIMITS) {
    this.admission = new WriteAdmission({ concurrency: CONCURRENCY, queuePerUser: limits.queuePerUser, queueTotal: limits.queueTotal });
  }

  /** Runs `write` for `userId` at time `now` (ms) once admitted; throws 429/503 at once when over a limit. */
  async run<T>(userId: string, now: number, write: () => Promise<T>): Promise<T> {
    this.take(userId, now);
    return this.admission.run(userId, write);
  }

  private take(userId: string, now: number): void {
    const capacity = Math.max(1, this.limits.perUserPerMinute);
    const perMs = capacity / 60_000;
    const bucket = this.buckets.get(userId) ?? { tokens: capacity, at: now };
    const tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    if (tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
      this.buckets.set(userId, { tokens, at: now });
      throw rateLimited(`You are writing comments faster than ${capacity} a minute; try again in ${wait} seconds.`, wait, { retryAfter: wait });
    }
    if (!this.buckets.has(userId) && this.buckets.size >= SWEEP_AT) this.sweep(now, capacity, perMs);
    this.buckets.set(userId, { tokens: tokens - 1, at: now });
  }

  private sweep(now: number, capacity: number, perMs: number): void {
    for (const [id, b] of this.buckets) if (b.tokens + (now - b.at) * perMs >= capacity) this.buckets.delete(id);
  }
}

/**
 * What a comment command needs to be admitted: its database handle (one admission per app), the
 * time, and the limits (the app's configuration; the defaults where a caller has none, e.g. the demo seed).
 */
export interface CommentAdmissionContext {
  db: object;
  clock: { now(): number };
  config?: { limits?: { commentWrites?: CommentWriteLimits | undefined } | undefined } | undefined;
}

/** One admission per app, found by the app's database handle (no wiring of its own needed). */
const perApp = new WeakMap<object, CommentAdmission>();

/** Runs a comment write of `userId` through the app's comment admission (see `CommentAdmission`). */
export function admitCommentWrite<T>(ctx: CommentAdmissionContext, userId: string, write: () => Promise<T>): Promise<T> {
  let admission = perApp.get(ctx.db);
  if (!admission) perApp.set(ctx.db, (admission = new CommentAdmission(ctx.config?.limits?.commentWrites ?? DEFAULT_COMMENT_WRITE_LIMITS)));
  return admission.run(userId, ctx.clock.now(), write);
}
