import { newId } from '../domain/ids.ts';
import type { SpaceRow, UserRow } from '../domain/model.ts';
import { insertSpace, upsertMembership } from '../domain/spaces.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/** Creates a space; its creator becomes its first (explicit) admin. */
export async function createSpace(ctx: CommandContext, creator: UserRow, input: { name: string; private?: boolean | undefined; commenting?: SpaceRow['commenting'] | undefined }): Promise<SpaceRow> {
  const now = ctx.clock.now();
  const space: SpaceRow = { id: newId(), name: input.name, private: input.private ?? false, commenting: input.commenting ?? 'readers', createdBy: creator.id, createdAt: now, updatedAt: now };
  await inTransaction(ctx, async (tx, emit) => {
    await insertSpace(tx, space);
    await upsertMembership(tx, space.id, creator.id, 'admin', now);
    emit({ topic: 'space.membership', spaceId: space.id, userId: creator.id, role: 'admin' });
  });
  return space;
}
