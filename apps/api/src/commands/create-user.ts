import type { UserRow } from '../domain/model.ts';
import type { PasswordHasher } from '../domain/passwords.ts';
import { createUser as storeUser, type NewUser } from '../domain/users.ts';
import type { CommandContext } from './transaction.ts';

export interface CreateUserContext extends Pick<CommandContext, 'db' | 'clock'> {
  passwords?: PasswordHasher | undefined;
}

/**
 * Adds a person without an invite (`npx handoff create-user`, for workspaces whose sign-up is
 * closed). The very first person becomes the workspace admin; a taken e-mail or handle is a 409.
 * A new account takes nobody's access away: no event.
 */
export async function createUser(ctx: CreateUserContext, input: NewUser): Promise<UserRow> {
  return storeUser(ctx.db, ctx.clock, input, ctx.passwords);
}
