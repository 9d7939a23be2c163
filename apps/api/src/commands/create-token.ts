import { insertApiToken, type ApiTokenRow } from '../domain/credentials.ts';
import { badRequest } from '../domain/errors.ts';
import type { Scope } from '../domain/identity.ts';
import type { CommandContext } from './transaction.ts';

/**
 * Mints an API token for the caller (authorized: only from a log-in session). The secret is
 * returned once; only its hash is stored. A new credential takes nobody's access away: no event.
 */
export async function createToken(
  ctx: Pick<CommandContext, 'db' | 'clock'>,
  userId: string,
  input: { name: string; scopes?: readonly Scope[] | undefined; expiresAt?: number | null | undefined },
): Promise<{ token: string; row: ApiTokenRow }> {
  const now = ctx.clock.now();
  if (input.expiresAt != null && input.expiresAt <= now) {
    throw badRequest('expiresAt must be in the future.', { fields: [{ path: 'expiresAt', message: 'must be in the future' }] });
  }
  return insertApiToken(ctx.db, userId, input, now);
}
