import { describe, expect, test } from 'vitest';
import type { NextDelivery } from '../settings/delivery-model.ts';
import { channelWords, nextBriefText, relativeDay } from './next-brief.ts';

const berlin = 'Europe/Berlin';
// Monday 21 Dec 2026, 22:30 in Berlin (21:30 UTC).
const mondayEvening = Date.parse('2026-12-21T21:30:00Z');

const next = (local: string, channels: NextDelivery['channels'] = ['app'], timezone = berlin): NextDelivery => ({
  at: '2026-12-22T07:00:00.000Z',
  timezone,
  local,
  channels,
});

const text = (n: NextDelivery | null, { awayUntil = null as string | null, now = mondayEvening, timeZone = berlin } = {}) =>
  nextBriefText({ next: n, awayUntil, timeZone, now, locale: 'en-GB' });

describe('the next-brief line', () => {
  test('today, tomorrow, a weekday within the week, else a date', () => {
    expect(text(next('2026-12-21T23:00')).text).toBe('Next brief: Today 23:00 Europe/Berlin, in the app');
    expect(text(next('2026-12-22T08:00')).text).toBe('Next brief: Tomorrow 08:00 Europe/Berlin, in the app');
    expect(text(next('2026-12-24T08:00')).text).toBe('Next brief: Thursday 08:00 Europe/Berlin, in the app');
    expect(text(next('2026-12-27T09:30')).text).toBe('Next brief: Sunday 09:30 Europe/Berlin, in the app');
    expect(text(next('2026-12-28T08:00')).text).toBe('Next brief: Mon 28 Dec 08:00 Europe/Berlin, in the app');
  });

  test('"today" is the date in the person\'s zone, not the machine\'s or UTC', () => {
    // 23:30 UTC on Monday is already Tuesday 05:00 in Kolkata.
    const now = Date.parse('2026-12-21T23:30:00Z');
    const kolkata = next('2026-12-22T09:30', ['app'], 'Asia/Kolkata');
    expect(text(kolkata, { now, timeZone: 'Asia/Kolkata' }).text).toBe('Next brief: Today 09:30 Asia/Kolkata, in the app');
    expect(text(next('2026-12-22T08:00'), { now, timeZone: 'America/Los_Angeles' }).text).toContain('Tomorrow 08:00');
    expect(text(next('2026-12-22T08:00', ['app'], 'America/Los_Angeles')).text).toContain('America/Los Angeles');
  });

  test('channels: the app alone, e-mail, chat, both', () => {
    expect(channelWords(['app'])).toBe('in the app');
    expect(channelWords([])).toBe('in the app');
    expect(channelWords(['app', 'email'])).toBe('by e-mail');
    expect(channelWords(['app', 'webhook'])).toBe('by chat');
    expect(text(next('2026-12-22T08:00', ['app', 'email', 'webhook'])).text).toBe(
      'Next brief: Tomorrow 08:00 Europe/Berlin, by e-mail and chat',
    );
  });

  test('away in the future: paused until the day back (in the person\'s zone), then the brief that covers it', () => {
    // Back on Thursday 24 Dec at 00:00 in Berlin (23:00 UTC the day before).
    const away = text(next('2026-12-24T08:00', ['app', 'email']), { awayUntil: '2026-12-23T23:00:00.000Z' });
    expect(away.paused).toBe(true);
    expect(away.text).toBe(
      "Paused while you're away until 24 Dec. Then: Thursday 08:00 Europe/Berlin, by e-mail, covering your whole absence",
    );
    expect(text(null, { awayUntil: '2026-12-23T23:00:00.000Z' }).text).toBe("Paused while you're away until 24 Dec");
  });

  test('a leave that has ended changes nothing', () => {
    const back = text(next('2026-12-22T08:00'), { awayUntil: '2026-12-21T00:00:00.000Z' });
    expect(back.paused).toBe(false);
    expect(back.text).toBe('Next brief: Tomorrow 08:00 Europe/Berlin, in the app');
  });

  test('no brief to come', () => {
    expect(text(null).text).toBe('Next brief: none scheduled (no working days to come)');
  });

  test('relativeDay across a month and a year', () => {
    expect(relativeDay('2027-01-01', '2026-12-31', 'en-GB')).toBe('Tomorrow');
    expect(relativeDay('2027-01-03', '2026-12-31', 'en-GB')).toBe('Sunday');
    expect(relativeDay('2026-12-30', '2026-12-31', 'en-GB')).toBe('Wed 30 Dec');
  });
});
