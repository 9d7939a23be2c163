import type { UserRow } from '../domain/model.ts';

export function presentUser(u: UserRow) {
  return { id: u.id, email: u.email, name: u.name, handle: u.handle, timezone: u.timezone, briefHour: u.briefHour, role: u.role };
}

export function presentPublicUser(u: Pick<UserRow, 'id' | 'name' | 'handle' | 'timezone'>) {
  return { id: u.id, name: u.name, handle: u.handle, timezone: u.timezone };
}
