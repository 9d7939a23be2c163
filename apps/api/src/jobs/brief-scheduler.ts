import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { and, briefs, gte, inArray, isNull, or, users, type Db } from '@handoff/db';
import type { UserRow } from '../domain/model.ts';
import { createSharedWindow, type SharedWindow } from '../domain/build-brief.ts';
import type { Clock } from '../domain/clock.ts';
import { isBriefDay } from '../domain/working-hours.ts';
import type { Logger } from '../logger.ts';
import { createPeriodicRun, type PeriodicRun } from './periodic-run.ts';

/**
 * Builds each person's brief at their `briefHour` in their own time zone, once per local day.
 *
 * Every minute (the pattern's next time per croner, waited for on the Clock) the job asks, for every active person: in your time zone, is it
 * `briefHour` or later today, and have you had no brief since then (one you built yourself at
 * 08:30 counts; one from 00:30 does not)? The hour and the date are read from the wall clock in
 * the person's zone (luxon), so the brief comes at 08:00 local on both sides of a daylight-saving
 * change; a brief hour that a spring-forward skips comes at the first local time after it, and a
 * repeated autumn hour builds once. A brief missed while the server was down is caught up as soon
 * as it runs again, the same local day. The (user, local date) pair of a scheduled brief is a
 * unique key of `briefs`, so two API processes cannot both store one: the second insert is ignored.
 *
 * Quiet hours (issue 11): a brief is built only on a brief day (one of the person's working days,
 * see domain/working-hours.ts `isBriefDay`) and never while she is away (`awayUntil` still to
 * come): on the day she comes back it is built as soon as she is back. Weekends and leave build
 * nothing; the next brief starts at her last acknowledged one, so it covers the whole absence
 * (commands/create-brief.ts). Storing a brief plans its deliveries in the same transaction.
 *
 * Driving it by hand (tests, simulations, benchmarks): set the clock to the minute and call
 * `runDue()`; a brief's window ends at the clock's now, so pass no other `now` than the clock's.
 */
/** `runDue` builds every brief due at `now` (default: the clock's now), one after another, and says how many were stored; the timer runs it every minute. */
export type BriefScheduler = PeriodicRun<number>;

/**
 * When the person's brief of the local day of `now` is due (`dueAt`, ms) and that day (YYYY-MM-DD),
 * or null before their brief hour (or for an unknown time zone).
 */
export function dueBrief(person: Pick<UserRow, 'timezone' | 'briefHour'>, now: number): { date: string; dueAt: number } | null {
  const local = DateTime.fromMillis(now, { zone: person.timezone });
  if (!local.isValid || local.hour < person.briefHour) return null;
  // In a spring-forward gap luxon moves the hour forward (02:00 → 03:00); an autumn repeat takes the first.
  const dueAt = local.set({ hour: person.briefHour, minute: 0, second: 0, millisecond: 0 });
  return { date: local.toISODate()!, dueAt: Math.min(dueAt.toMillis(), now) };
}

export function createBriefScheduler(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  /**
   * Builds and stores one scheduled brief; resolves to false when that day's brief already existed.
   * `window` is shared by every brief of one run (the window's revisions are read once).
   */
  build: (reader: UserRow, scheduledFor: string, window: SharedWindow) => Promise<boolean>;
  /** Cron pattern (default: every minute, at second 0). */
  pattern?: string;
}): BriefScheduler {
  const { db, clock, log } = deps;
  const pattern = new Cron(deps.pattern ?? '0 * * * * *', { paused: true });

  async function runDue(now = clock.now()): Promise<number> {
    const people = await db.select().from(users).where(isNull(users.deactivatedAt)).all();
    const due = new Map<string, { person: UserRow; date: string; dueAt: number }>();
    for (const person of people) {
      if (person.awayUntil !== null && person.awayUntil > now) continue;
      const brief = dueBrief(person, now);
      if (brief && isBriefDay(person, brief.date)) due.set(person.id, { person, ...brief });
    }
    if (!due.size) return 0;
    const earliest = Math.min(...[...due.values()].map((d) => d.dueAt));
    const dates = [...new Set([...due.values()].map((d) => d.date))];
    const recent = await db
      .select({ userId: briefs.userId, createdAt: briefs.createdAt, scheduledFor: briefs.scheduledFor })
      .from(briefs)
      .where(and(inArray(briefs.userId, [...due.keys()]), or(gte(briefs.createdAt, earliest), inArray(briefs.scheduledFor, dates))))
      .all();
    for (const r of recent) {
      const d = due.get(r.userId);
      if (d && (r.createdAt >= d.dueAt || r.scheduledFor === d.date)) due.delete(r.userId);
    }
    let built = 0;
    const window = createSharedWindow(db);
    for (const { person, date } of due.values()) {
      try {
        if (await deps.build(person, date, window)) built++;
      } catch (err) {
        // One person's failure must not stop the others; the next minute tries again.
        log.error({ msg: 'scheduled brief failed', userId: person.id, scheduledFor: date, err });
      }
    }
    if (built) log.info({ msg: 'scheduled briefs built', count: built });
    return built;
  }

  return createPeriodicRun({
    clock,
    log,
    name: 'brief scheduler',
    // croner only computes the next time here; the wait is the Clock's, so a test can move time by hand.
    delayFrom: (now) => {
      const next = pattern.nextRun(new Date(now));
      return next ? next.getTime() - now : null;
    },
    run: runDue,
    failed: 0,
  });
}
