// Calendar arithmetic in a person's own time zone, with Intl only: the local date of an instant,
// the instant a local date begins, and weekday names in the reader's language (ISO order).

/** "YYYY-MM-DD": the calendar date of `instant` in `timeZone`. */
export function localDateIn(instant: Date | number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
}

/** The UTC milliseconds of a calendar date (its midnight in UTC), or NaN when it is not one. */
function dateUtc(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  return new Date(ms).getUTCDate() === day ? ms : Number.NaN;
}

/** Whether `date` is a real calendar date written "YYYY-MM-DD". */
export function isLocalDate(date: string): boolean {
  return !Number.isNaN(dateUtc(date));
}

/** Whole days from local date `from` to local date `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateUtc(to) - dateUtc(from)) / 86_400_000);
}

/** The local date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(dateUtc(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant (ISO, UTC) at which local date `date` begins in `timeZone`: its 00:00, or the first
 * minute that exists when a DST change skips midnight.
 */
export function startOfLocalDay(date: string, timeZone: string): string {
  const wall = dateUtc(date);
  if (Number.isNaN(wall)) throw new RangeError(`not a date: ${date}`);
  let ms = wall - offsetAt(wall, timeZone);
  ms = wall - offsetAt(ms, timeZone);
  // A skipped midnight lands the day before: move to the first instant of `date`.
  while (localDateIn(ms, timeZone) < date) ms += 15 * 60_000;
  return new Date(ms).toISOString();
}

/** A local date as a short day and month ("24 Dec", "Dec 24"), in the reader's language. */
export function shortDate(date: string, locale?: string, weekday = false): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    ...(weekday ? { weekday: 'short' as const } : {}),
  }).format(dateUtc(date));
}

/** The weekday of a local date, in full ("Thursday"). */
export function weekdayName(date: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'long' }).format(dateUtc(date));
}

/** ISO weekdays 1 (Monday) … 7 (Sunday) with their short and long names in the reader's language. */
export function isoWeekdays(locale?: string): Array<{ day: number; short: string; long: string }> {
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => {
    const date = `2024-01-0${i + 1}`;
    return {
      day: i + 1,
      short: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short' }).format(dateUtc(date)),
      long: weekdayName(date, locale),
    };
  });
}
