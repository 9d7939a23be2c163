// The sentence that says how and when the next brief arrives, from `GET /api/me/delivery`'s `next`
// and the person's leave: "Next brief: Tomorrow 08:00 Europe/Berlin, by e-mail and chat".

import type { NextDelivery } from '../settings/delivery-model.ts';
import { daysBetween, localDateIn, shortDate, weekdayName } from '../settings/local-time.ts';

export interface NextBriefInput {
  next: NextDelivery | null;
  /** The person's leave (ISO), or null. */
  awayUntil: string | null;
  /** The person's time zone: "today" is the date there. */
  timeZone: string;
  now: Date | number;
  /** The reader's language (the browser's when undefined). */
  locale?: string;
}

export interface NextBriefText {
  /** Whether briefs are paused by the person's leave. */
  paused: boolean;
  text: string;
}

/** "Today", "Tomorrow", a weekday within the week to come, else a short date ("Mon 4 Jan"). */
export function relativeDay(date: string, today: string, locale?: string): string {
  const days = daysBetween(today, date);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  if (days > 1 && days < 7) return weekdayName(date, locale);
  return shortDate(date, locale, true);
}

/** "in the app", "by e-mail", "by chat", "by e-mail and chat". */
export function channelWords(channels: readonly string[]): string {
  const words = [channels.includes('email') && 'e-mail', channels.includes('webhook') && 'chat'].filter(
    (w): w is string => typeof w === 'string',
  );
  return words.length === 0 ? 'in the app' : `by ${words.join(' and ')}`;
}

/** "Tomorrow 08:00 Europe/Berlin, by e-mail" for a `next`. */
function whenAndHow(next: NextDelivery, today: string, locale?: string): string {
  const [date = '', time = ''] = next.local.split('T');
  return `${relativeDay(date, today, locale)} ${time} ${next.timezone.replaceAll('_', ' ')}, ${channelWords(next.channels)}`;
}

export function nextBriefText({ next, awayUntil, timeZone, now, locale }: NextBriefInput): NextBriefText {
  const today = localDateIn(now, timeZone);
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const awayMs = awayUntil ? Date.parse(awayUntil) : Number.NaN;
  if (!Number.isNaN(awayMs) && awayMs > nowMs) {
    const until = shortDate(localDateIn(awayMs, timeZone), locale);
    const after = next ? `. Then: ${whenAndHow(next, today, locale)}, covering your whole absence` : '';
    return { paused: true, text: `Paused while you're away until ${until}${after}` };
  }
  if (!next) return { paused: false, text: 'Next brief: none scheduled (no working days to come)' };
  return { paused: false, text: `Next brief: ${whenAndHow(next, today, locale)}` };
}
