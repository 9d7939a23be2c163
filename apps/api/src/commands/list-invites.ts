import { openInvites, type InviteRow } from '../domain/invites.ts';
import type { CommandContext } from './transaction.ts';

/** Invites not yet used or revoked, newest first (expired ones included, so admins see them lapse). */
export async function listInvites(ctx: Pick<CommandContext, 'db'>): Promise<InviteRow[]> {
  return openInvites(ctx.db);
}
