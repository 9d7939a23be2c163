// Small pieces shared by the palette and the results page: the kind badge, "updated 3 days ago",
// and the filter vocabularies.

import type { DocKind } from '../../api/model.ts';
import { formatTime } from '../format-time.ts';

export const KINDS: Array<{ value: DocKind; label: string }> = [
  { value: 'page', label: 'Pages' },
  { value: 'decision', label: 'Decisions' },
];

export function parseKind(value: string | null | undefined): DocKind | undefined {
  return value === 'page' || value === 'decision' ? value : undefined;
}

export type UpdatedWithin = 'day' | 'week' | 'month';

export const UPDATED_WITHIN: Array<{ value: UpdatedWithin; label: string; ms: number }> = [
  { value: 'day', label: 'Past day', ms: 24 * 3600_000 },
  { value: 'week', label: 'Past week', ms: 7 * 24 * 3600_000 },
  { value: 'month', label: 'Past month', ms: 30 * 24 * 3600_000 },
];

export function parseUpdatedWithin(value: string | null | undefined): UpdatedWithin | undefined {
  return UPDATED_WITHIN.some((o) => o.value === value) ? (value as UpdatedWithin) : undefined;
}

/** The ISO time `within` reaches back to from `now`, rounded down to the minute (stable across renders). */
export function updatedSinceIso(within: UpdatedWithin | undefined, now = Date.now()): string | undefined {
  const option = UPDATED_WITHIN.find((o) => o.value === within);
  if (!option) return undefined;
  const since = now - option.ms;
  return new Date(since - (since % 60_000)).toISOString();
}

export function KindTag({ kind }: { kind: DocKind }) {
  return (
    <span className={`badge search-kind kind-${kind}`} data-kind={kind}>
      {kind === 'decision' ? 'Decision' : 'Page'}
    </span>
  );
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 days ago", "in 2 hours", "just now". */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (!Number.isFinite(seconds)) return iso;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** A `<time>` reading "3 days ago", with the exact time in the reader's time zone on hover. */
export function UpdatedTime({ iso, timeZone }: { iso: string; timeZone: string }) {
  return (
    <time dateTime={iso} title={formatTime(iso, timeZone)}>
      {relativeTime(iso)}
    </time>
  );
}

export function resultCount(total: number): string {
  return `${total.toLocaleString()} ${total === 1 ? 'result' : 'results'}`;
}
