import { describe, expect, test } from 'vitest';
import { addDays, daysBetween, isLocalDate, isoWeekdays, localDateIn, startOfLocalDay } from './local-time.ts';

describe('dates in a person\'s time zone', () => {
  test('the local date of an instant', () => {
    const t = Date.parse('2026-12-21T23:30:00Z');
    expect(localDateIn(t, 'UTC')).toBe('2026-12-21');
    expect(localDateIn(t, 'Asia/Kolkata')).toBe('2026-12-22');
    expect(localDateIn(t, 'America/Los_Angeles')).toBe('2026-12-21');
  });

  test('where a local day begins, across DST and in a half-hour zone', () => {
    expect(startOfLocalDay('2026-12-24', 'Europe/Berlin')).toBe('2026-12-23T23:00:00.000Z');
    expect(startOfLocalDay('2026-07-01', 'Europe/Berlin')).toBe('2026-06-30T22:00:00.000Z');
    // The day Berlin moves its clocks forward (29 March 2026) and the day after.
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfLocalDay('2026-12-24', 'Asia/Kolkata')).toBe('2026-12-23T18:30:00.000Z');
    expect(startOfLocalDay('2026-11-01', 'America/Los_Angeles')).toBe('2026-11-01T07:00:00.000Z');
    // Santiago skips midnight when its DST starts (6 September 2026): the day begins at 01:00.
    expect(startOfLocalDay('2026-09-06', 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
  });

  test('calendar arithmetic and validation', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-12-31', '2027-01-02')).toBe(2);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('24.12.2026')).toBe(false);
  });

  test('weekdays in ISO order, Monday first, named in the reader\'s language', () => {
    expect(isoWeekdays('en-GB').map((d) => d.short)).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    expect(isoWeekdays('de-DE').map((d) => d.long)[0]).toBe('Montag');
    expect(isoWeekdays('en-US').map((d) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
