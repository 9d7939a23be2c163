import type { InviteRow } from '../domain/invites.ts';
import { iso } from './time.ts';

/** Where the invitee signs up: `base` is the public URL when configured, else the request's origin. */
export function inviteUrl(base: string, token: string): string {
  while (base.endsWith('/')) base = base.slice(0, -1);
  return `${base}/signup?invite=${encodeURIComponent(token)}`;
}

/** A new invite, with its URL (the only time the token is shown). */
export function presentNewInvite(row: InviteRow, url: string) {
  return { id: row.id, url, expiresAt: iso(row.expiresAt), email: row.email, role: row.role };
}

export function presentInvite(row: InviteRow) {
  return { id: row.id, email: row.email, role: row.role, createdBy: row.createdBy, createdAt: iso(row.createdAt), expiresAt: iso(row.expiresAt) };
}
