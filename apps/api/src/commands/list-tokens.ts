import { liveApiTokens, type ApiTokenRow } from '../domain/credentials.ts';
import type { CommandContext } from './transaction.ts';

/** The caller's API tokens that were not revoked, newest first (the secrets are never stored). */
export async function listTokens(ctx: Pick<CommandContext, 'db'>, userId: string): Promise<ApiTokenRow[]> {
  return liveApiTokens(ctx.db, userId);
}
