import type { UserRow } from '../domain/model.ts';
import { activeUsers } from '../domain/users.ts';
import type { CommandContext } from './transaction.ts';

/** Everyone in the workspace who is not deactivated, by name (presented as public profiles). */
export async function listUsers(ctx: Pick<CommandContext, 'db'>): Promise<UserRow[]> {
  return activeUsers(ctx.db);
}
