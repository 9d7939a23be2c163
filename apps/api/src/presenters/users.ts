import type { ApiTokenRow } from '../domain/credentials.ts';
import { parseScopes } from '../domain/identity.ts';
import type { UserRow } from '../domain/model.ts';
import { iso, isoOrNull } from './time.ts';

/** The stored working days (a JSON array), or the default week when the column holds nonsense. */
function workDaysOf(stored: string): number[] {
  try {
    const days: unknown = JSON.parse(stored);
    if (Array.isArray(days) && days.length && days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) return days as number[];
  } catch {
    // fall through to the default
  }
  return [1, 2, 3, 4, 5];
}

/** The caller herself (`GET /api/me`, log-in, sign-up): with her working hours and delivery channels. */
export function presentUser(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    handle: u.handle,
    timezone: u.timezone,
    briefHour: u.briefHour,
    role: u.role,
    workDays: workDaysOf(u.workDays),
    workStart: u.workStart,
    workEnd: u.workEnd,
    awayUntil: isoOrNull(u.awayUntil),
    delivery: { email: u.deliveryEmail, webhookUrl: u.webhookUrl },
  };
}

export function presentPublicUser(u: Pick<UserRow, 'id' | 'name' | 'handle' | 'timezone'>) {
  return { id: u.id, name: u.name, handle: u.handle, timezone: u.timezone };
}

/** An API token without its secret (only its hash is stored anyway). */
export function presentToken(t: ApiTokenRow) {
  return {
    id: t.id,
    name: t.name,
    scopes: parseScopes(t.scopes),
    createdAt: iso(t.createdAt),
    expiresAt: isoOrNull(t.expiresAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
  };
}
