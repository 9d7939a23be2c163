import { notFound } from '../domain/errors.ts';
import { markInviteRevoked } from '../domain/invites.ts';
import type { CommandContext } from './transaction.ts';

/** Revokes an invite that was not used yet; a used, revoked or unknown one is a 404. */
export async function revokeInvite(ctx: Pick<CommandContext, 'db' | 'clock'>, inviteId: string): Promise<void> {
  if (!(await markInviteRevoked(ctx.db, inviteId, ctx.clock.now()))) throw notFound('Invite');
}
