import { insertInvite, type InviteRow } from '../domain/invites.ts';
import type { WorkspaceRole } from '../domain/users.ts';
import type { CommandContext } from './transaction.ts';

/**
 * A single-use invite, valid for 7 days, optionally for one e-mail address (authorized by
 * `authorizeInviting`). The token is returned once, to be put in the sign-up URL.
 */
export async function createInvite(
  ctx: Pick<CommandContext, 'db' | 'clock'>,
  createdBy: string,
  input: { email?: string | undefined; role: WorkspaceRole },
): Promise<{ token: string; row: InviteRow }> {
  return insertInvite(ctx.db, createdBy, input, ctx.clock.now());
}
