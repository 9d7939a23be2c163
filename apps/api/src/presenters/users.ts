import type { ApiTokenRow } from '../domain/credentials.ts';
import { parseScopes } from '../domain/identity.ts';
import type { UserRow } from '../domain/model.ts';
import { iso, isoOrNull } from './time.ts';

export function presentUser(u: UserRow) {
  return { id: u.id, email: u.email, name: u.name, handle: u.handle, timezone: u.timezone, briefHour: u.briefHour, role: u.role };
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
