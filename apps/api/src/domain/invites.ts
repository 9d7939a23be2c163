import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, invites, isNull, or, type DbOrTx } from '@handoff/db';
import { newId, sha256 } from './ids.ts';
import type { WorkspaceRole } from './users.ts';

/** Single-use invitations to join the workspace. Only a token's hash is stored. */

export type InviteRow = typeof invites.$inferSelect;

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function insertInvite(
  db: DbOrTx,
  createdBy: string,
  input: { email?: string | undefined; role: WorkspaceRole },
  now: number,
): Promise<{ token: string; row: InviteRow }> {
  const token = 'hi_' + randomBytes(32).toString('base64url');
  const row: InviteRow = {
    id: newId(),
    tokenHash: sha256(token),
    email: input.email?.toLowerCase() ?? null,
    role: input.role,
    createdBy,
    createdAt: now,
    expiresAt: now + INVITE_TTL_MS,
    usedAt: null,
    usedBy: null,
    revokedAt: null,
  };
  await db.insert(invites).values(row);
  return { token, row };
}

/** Invites not yet used or revoked (expired ones included, so admins see them lapse). */
export async function openInvites(db: DbOrTx): Promise<InviteRow[]> {
  return db
    .select()
    .from(invites)
    .where(and(isNull(invites.usedAt), isNull(invites.revokedAt)))
    .orderBy(desc(invites.createdAt))
    .limit(200)
    .all();
}

/** Revokes an invite not used or revoked yet; false if there is no such invite. */
export async function markInviteRevoked(db: DbOrTx, inviteId: string, now: number): Promise<boolean> {
  const rows = await db
    .update(invites)
    .set({ revokedAt: now })
    .where(and(eq(invites.id, inviteId), isNull(invites.usedAt), isNull(invites.revokedAt)))
    .returning({ id: invites.id });
  return rows.length > 0;
}

/**
 * Claims an invite for `email` in one statement: only an unused, unrevoked, unexpired invite meant
 * for that address (or for anyone) is marked used. Null when there is no such invite.
 */
export async function claimInvite(db: DbOrTx, token: string, email: string, now: number): Promise<InviteRow | null> {
  const row = await db
    .update(invites)
    .set({ usedAt: now })
    .where(
      and(
        eq(invites.tokenHash, sha256(token)),
        isNull(invites.usedAt),
        isNull(invites.revokedAt),
        gt(invites.expiresAt, now),
        or(isNull(invites.email), eq(invites.email, email)),
      ),
    )
    .returning()
    .get();
  return row ?? null;
}

export async function recordInviteUse(db: DbOrTx, inviteId: string, userId: string): Promise<void> {
  await db.update(invites).set({ usedBy: userId }).where(eq(invites.id, inviteId));
}
