import type { SpaceRole } from '../domain/model.ts';
import { membershipsOf } from '../domain/spaces.ts';
import type { CommandContext } from './transaction.ts';

/** The explicit members of a space (the caller was authorized to read it), oldest first. */
export async function listMembers(ctx: Pick<CommandContext, 'db'>, spaceId: string): Promise<Array<{ userId: string; role: SpaceRole }>> {
  return (await membershipsOf(ctx.db, spaceId)).map((m) => ({ userId: m.userId, role: m.role }));
}
