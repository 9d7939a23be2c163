import { describe, expect, it } from 'vitest';
import { isBriefDay, isWorkingTime, nextScheduledDelivery, nextWorkingStart, plannedDelivery, type WorkingPerson } from './working-hours.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

const berlin: WorkingPerson = { timezone: 'Europe/Berlin', workDays: '[1,2,3,4,5]', workStart: '09:00', workEnd: '17:00', awayUntil: null, briefHour: 8 };
const kolkata: WorkingPerson = { timezone: 'Asia/Kolkata', workDays: [1, 2, 3, 4, 5], workStart: '09:00', workEnd: '17:30', awayUntil: null, briefHour: 8 };

describe('isWorkingTime', () => {
  it('is inside [workStart, workEnd) on a working day, in the person’s zone', () => {
    // Tuesday 10 March 2026, CET (UTC+1).
    expect(isWorkingTime(berlin, at('2026-03-10T07:59:59Z'))).toBe(false); // 08:59:59
    expect(isWorkingTime(berlin, at('2026-03-10T08:00:00Z'))).toBe(true); // 09:00
    expect(isWorkingTime(berlin, at('2026-03-10T15:59:59Z'))).toBe(true); // 16:59:59
    expect(isWorkingTime(berlin, at('2026-03-10T16:00:00Z'))).toBe(false); // 17:00
    expect(isWorkingTime(berlin, at('2026-03-14T10:00:00Z'))).toBe(false); // Saturday
  });
  it('reads half-hour zones', () => {
    expect(isWorkingTime(kolkata, at('2026-03-10T03:29:00Z'))).toBe(false); // 08:59 IST
    expect(isWorkingTime(kolkata, at('2026-03-10T03:30:00Z'))).toBe(true); // 09:00 IST
    expect(isWorkingTime(kolkata, at('2026-03-10T11:59:00Z'))).toBe(true); // 17:29 IST
    expect(isWorkingTime(kolkata, at('2026-03-10T12:00:00Z'))).toBe(false); // 17:30 IST
  });
  it('takes "24:00" as the end of the day, and is never working during leave', () => {
    const late = { ...berlin, workStart: '18:00', workEnd: '24:00' };
    expect(isWorkingTime(late, at('2026-03-10T22:59:00Z'))).toBe(true); // 23:59
    expect(isWorkingTime(late, at('2026-03-10T23:00:00Z'))).toBe(false); // 00:00 Wednesday
    const away = { ...berlin, awayUntil: at('2026-03-10T12:00:00Z') };
    expect(isWorkingTime(away, at('2026-03-10T11:59:00Z'))).toBe(false);
    expect(isWorkingTime(away, at('2026-03-10T12:00:00Z'))).toBe(true);
  });
  it('is never working for an unknown zone or unreadable hours', () => {
    expect(isWorkingTime({ ...berlin, timezone: 'Mars/Olympus_Mons' }, at('2026-03-10T10:00:00Z'))).toBe(false);
    expect(isWorkingTime({ ...berlin, workStart: '17:00', workEnd: '09:00' }, at('2026-03-10T10:00:00Z'))).toBe(false);
  });
});

describe('nextWorkingStart', () => {
  it('is the time itself inside working hours, else the next start', () => {
    expect(iso(nextWorkingStart(berlin, at('2026-03-10T10:00:00Z')))).toBe('2026-03-10T10:00:00.000Z');
    expect(iso(nextWorkingStart(berlin, at('2026-03-10T07:00:00Z')))).toBe('2026-03-10T08:00:00.000Z'); // 08:00 → 09:00
    expect(iso(nextWorkingStart(berlin, at('2026-03-10T16:00:00Z')))).toBe('2026-03-11T08:00:00.000Z'); // after work → tomorrow
    expect(iso(nextWorkingStart(berlin, at('2026-03-13T17:00:00Z')))).toBe('2026-03-16T08:00:00.000Z'); // Friday evening → Monday
  });
  it('follows daylight-saving changes: 09:00 CEST is 07:00 UTC after the switch', () => {
    expect(iso(nextWorkingStart(berlin, at('2026-03-27T17:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(nextWorkingStart(berlin, at('2026-10-23T17:00:00Z')))).toBe('2026-10-26T08:00:00.000Z');
  });
  it('starts a period whose start a spring-forward skips at the first local time after the gap', () => {
    const night = { ...berlin, workDays: [7], workStart: '02:30', workEnd: '06:00' };
    // Sunday 29 March 2026: 02:00 CET → 03:00 CEST; 02:30 does not exist, work starts at 03:00 CEST.
    expect(iso(nextWorkingStart(night, at('2026-03-28T23:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
    expect(isWorkingTime(night, at('2026-03-29T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(isWorkingTime(night, at('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
  });
  it('starts a period whose start autumn repeats at its first occurrence', () => {
    const night = { ...berlin, workDays: [7], workStart: '02:30', workEnd: '06:00' };
    // Sunday 25 October 2026: 03:00 CEST → 02:00 CET; 02:30 happens twice, first at 00:30 UTC.
    expect(iso(nextWorkingStart(night, at('2026-10-24T22:00:00Z')))).toBe('2026-10-25T00:30:00.000Z');
  });
  it('skips leave, and reads half-hour zones', () => {
    const away = { ...berlin, awayUntil: at('2026-03-20T12:00:00Z') };
    expect(iso(nextWorkingStart(away, at('2026-03-10T07:00:00Z')))).toBe('2026-03-20T12:00:00.000Z'); // back mid-Friday
    const awayTillSaturday = { ...berlin, awayUntil: at('2026-03-21T00:00:00Z') };
    expect(iso(nextWorkingStart(awayTillSaturday, at('2026-03-10T07:00:00Z')))).toBe('2026-03-23T08:00:00.000Z');
    expect(iso(nextWorkingStart(kolkata, at('2026-03-13T12:00:00Z')))).toBe('2026-03-16T03:30:00.000Z'); // Fri 17:30 IST → Mon 09:00
  });
});

describe('isBriefDay and plannedDelivery', () => {
  it('has a brief on working days only, and not on a day she is away all working day', () => {
    expect(isBriefDay(berlin, '2026-03-13')).toBe(true); // Friday
    expect(isBriefDay(berlin, '2026-03-14')).toBe(false); // Saturday
    const away = { ...berlin, awayUntil: at('2026-03-17T16:00:00Z') }; // until 17:00 Tuesday
    expect(isBriefDay(away, '2026-03-16')).toBe(false);
    expect(isBriefDay(away, '2026-03-17')).toBe(false); // back only when work ends
    expect(isBriefDay(away, '2026-03-18')).toBe(true);
    expect(isBriefDay({ ...berlin, awayUntil: at('2026-03-17T11:00:00Z') }, '2026-03-17')).toBe(true); // back at noon
  });
  it('delivers a brief built before work at the start of work, one built during work at once', () => {
    expect(plannedDelivery(berlin, at('2026-03-10T07:00:00Z'))).toEqual({ dueAt: at('2026-03-10T08:00:00Z'), localDate: '2026-03-10' });
    expect(plannedDelivery(berlin, at('2026-03-10T09:15:00Z'))).toEqual({ dueAt: at('2026-03-10T09:15:00Z'), localDate: '2026-03-10' });
    expect(plannedDelivery(kolkata, at('2026-03-10T02:30:00Z'))).toEqual({ dueAt: at('2026-03-10T03:30:00Z'), localDate: '2026-03-10' });
    // Built at 20:00 after work: delivered at the next morning's start, on that morning's date.
    expect(plannedDelivery(berlin, at('2026-03-10T19:00:00Z'))).toEqual({ dueAt: at('2026-03-11T08:00:00Z'), localDate: '2026-03-11' });
  });
});

describe('nextScheduledDelivery', () => {
  it('is today’s brief hour before it, the next brief day after today’s brief', () => {
    expect(nextScheduledDelivery(berlin, at('2026-03-10T05:00:00Z'), false)).toEqual({
      builtAt: at('2026-03-10T07:00:00Z'),
      dueAt: at('2026-03-10T08:00:00Z'),
      localDate: '2026-03-10',
    });
    expect(nextScheduledDelivery(berlin, at('2026-03-13T09:00:00Z'), true)?.localDate).toBe('2026-03-16'); // Friday → Monday
  });
  it('comes after leave', () => {
    const away = { ...berlin, awayUntil: at('2026-03-25T23:00:00Z') }; // until Thursday 00:00
    expect(nextScheduledDelivery(away, at('2026-03-16T06:00:00Z'), false)).toEqual({
      builtAt: at('2026-03-26T07:00:00Z'),
      dueAt: at('2026-03-26T08:00:00Z'),
      localDate: '2026-03-26',
    });
  });
});
