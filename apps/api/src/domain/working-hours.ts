import { DateTime } from 'luxon';

/*
 * Working hours and quiet hours (issue 11): when a person works, in her own time zone, and so when
 * Handoff may deliver to her. Everything is read from the wall clock of her IANA zone with luxon:
 *
 * - An instant is working time when its local weekday is one of `workDays`, its local time of day
 *   is in [workStart, workEnd) ("24:00" is the end of the day), and she is not away (`awayUntil`
 *   is unset or not after it).
 * - A working period starts at the first instant of the day whose local time is `workStart` or
 *   later: a start that a spring-forward skips (02:30 on the night 02:00 → 03:00) starts at 03:00,
 *   the first local time after it; a start repeated in autumn starts at its first occurrence.
 * - Nothing here touches the database: the scheduler, the delivery job and the settings API all
 *   call these same functions, so "when will it arrive" and "when is it sent" cannot disagree.
 */

export interface WorkingPerson {
  timezone: string;
  /** JSON text as stored ('[1,2,3,4,5]') or the parsed ISO weekdays (1 = Monday … 7 = Sunday). */
  workDays: string | readonly number[];
  /** "HH:MM", 24-hour; workEnd may be "24:00". */
  workStart: string;
  workEnd: string;
  /** On leave until this instant (ms), or null. */
  awayUntil: number | null;
  briefHour: number;
}

const MINUTE = 60_000;
const DAY_MS = 24 * 60 * MINUTE;
/** How many local days ahead a search for the next working period looks (a week always has one). */
const SEARCH_DAYS = 9;

/** The stored working days, or the default week (Monday to Friday) when they are unreadable. */
export function workDaysOf(days: string | readonly number[]): number[] {
  let parsed: unknown = days;
  if (typeof days === 'string') {
    try {
      parsed = JSON.parse(days);
    } catch {
      parsed = null;
    }
  }
  if (Array.isArray(parsed) && parsed.length && parsed.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) return [...(parsed as number[])];
  return [1, 2, 3, 4, 5];
}

/** "HH:MM" → minutes after local midnight (0 … 1440), or null for anything else. */
export function minutesOf(time: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 24 * 60 ? minutes : null;
}

interface Hours {
  zone: string;
  days: Set<number>;
  start: number;
  end: number;
  awayUntil: number | null;
}

/** The person's hours, or null when they cannot be read (an unknown zone, start not before end). */
function hoursOf(person: WorkingPerson): Hours | null {
  const start = minutesOf(person.workStart);
  const end = minutesOf(person.workEnd);
  if (start === null || end === null || start >= end) return null;
  if (!DateTime.now().setZone(person.timezone).isValid) return null;
  return { zone: person.timezone, days: new Set(workDaysOf(person.workDays)), start, end, awayUntil: person.awayUntil };
}

/** Milliseconds after local midnight of the wall-clock time at `local`. */
const wallMs = (local: DateTime) => ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;

function isWorking(h: Hours, ms: number): boolean {
  if (h.awayUntil !== null && h.awayUntil > ms) return false;
  const local = DateTime.fromMillis(ms, { zone: h.zone });
  if (!h.days.has(local.weekday)) return false;
  const wall = wallMs(local);
  return wall >= h.start * MINUTE && wall < h.end * MINUTE;
}

/**
 * The first instant of local date `date` (a DateTime at its midnight, in the zone) whose wall-clock
 * time is `minutes` after midnight or later. Luxon moves a time inside a spring-forward gap on by
 * the gap's length (02:30 → 03:30); the first local time at or after 02:30 is the end of the gap
 * (03:00), found here by bisecting for the change of offset.
 */
export function localTimeOn(date: DateTime, minutes: number): number {
  if (minutes >= 24 * 60) return localTimeOn(date.plus({ days: 1 }), minutes - 24 * 60);
  const wanted = date.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
  if (wanted.hour * 60 + wanted.minute === minutes && wanted.day === date.day) return wanted.toMillis();
  // In a gap: the transition lies within the few hours before luxon's answer.
  let lo = wanted.toMillis() - 3 * 60 * MINUTE;
  let hi = wanted.toMillis();
  const offsetAfter = wanted.offset;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (DateTime.fromMillis(mid, { zone: date.zoneName ?? 'UTC' }).offset === offsetAfter) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Midnight of the local date of `ms` in `zone`, as a luxon DateTime in that zone. */
const localDay = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).startOf('day');

/** Is `ms` inside one of the person's working periods (and she is not away)? */
export function isWorkingTime(person: WorkingPerson, ms: number): boolean {
  const h = hoursOf(person);
  return h !== null && isWorking(h, ms);
}

/**
 * The start of the person's next working period at or after `ms`: `ms` itself when it is working
 * time; during leave, the first working time after it ends. Null when her hours cannot be read.
 */
export function nextWorkingStart(person: WorkingPerson, ms: number): number | null {
  const h = hoursOf(person);
  if (!h) return null;
  const from = Math.max(ms, h.awayUntil ?? ms);
  if (isWorking(h, from)) return from;
  let day = localDay(from, h.zone);
  for (let i = 0; i < SEARCH_DAYS; i++, day = day.plus({ days: 1 }).startOf('day')) {
    if (!h.days.has(day.weekday)) continue;
    const start = localTimeOn(day, h.start);
    if (start > from && isWorking(h, start)) return start;
  }
  return null;
}

/** The local date (YYYY-MM-DD) of `ms` in the person's zone. */
export function localDateOf(person: Pick<WorkingPerson, 'timezone'>, ms: number): string {
  return DateTime.fromMillis(ms, { zone: person.timezone }).toISODate() ?? new Date(ms).toISOString().slice(0, 10);
}

/**
 * Is `localDate` (YYYY-MM-DD) a day the person gets a scheduled brief: one of her working days,
 * and she is back from leave before that day's working hours end.
 */
export function isBriefDay(person: WorkingPerson, localDate: string): boolean {
  const h = hoursOf(person);
  if (!h) return false;
  const day = DateTime.fromISO(localDate, { zone: h.zone });
  if (!day.isValid || !h.days.has(day.weekday)) return false;
  return h.awayUntil === null || h.awayUntil < localTimeOn(day.startOf('day'), h.end);
}

/**
 * When a brief built at `builtAt` is delivered: at the start of the next working period at or
 * after it (at once inside working hours), on that period's local date. Null when the person's
 * hours cannot be read.
 */
export function plannedDelivery(person: WorkingPerson, builtAt: number): { dueAt: number; localDate: string } | null {
  const dueAt = nextWorkingStart(person, builtAt);
  return dueAt === null ? null : { dueAt, localDate: localDateOf(person, dueAt) };
}

/** When the brief of local date `localDate` is built: the brief hour there (the first time after it in a gap). */
export function briefTimeOn(person: WorkingPerson, localDate: string): number | null {
  const day = DateTime.fromISO(localDate, { zone: person.timezone });
  return day.isValid ? localTimeOn(day.startOf('day'), person.briefHour * 60) : null;
}

/**
 * When the person's next scheduled brief will be built and delivered, seen at `now`, by the
 * scheduler's rules: the brief hour of the next brief day (today's, unless `builtToday`), or her
 * return from leave if that is later that day; delivered at `plannedDelivery`. Null when none comes
 * within the next weeks (or her hours cannot be read).
 */
export function nextScheduledDelivery(
  person: WorkingPerson,
  now: number,
  builtToday: boolean,
): { builtAt: number; dueAt: number; localDate: string } | null {
  if (!hoursOf(person)) return null;
  let day = localDay(now, person.timezone);
  const lastDay = Math.max(now, person.awayUntil ?? now) + 15 * DAY_MS;
  for (; day.toMillis() <= lastDay; day = day.plus({ days: 1 }).startOf('day')) {
    const date = day.toISODate()!;
    if (!isBriefDay(person, date)) continue;
    if (date === localDateOf(person, now) && builtToday) continue;
    const briefAt = briefTimeOn(person, date);
    if (briefAt === null) continue;
    // The scheduler builds at the brief hour, or as soon as she is back, or now if it is overdue.
    const builtAt = Math.max(briefAt, person.awayUntil ?? briefAt, now);
    if (localDateOf(person, builtAt) !== date) continue;
    const planned = plannedDelivery(person, builtAt);
    if (planned) return { builtAt, ...planned };
  }
  return null;
}
