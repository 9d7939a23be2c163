import { notFound } from '../domain/errors.ts';
import type { SpaceRow, UserRow } from '../domain/model.ts';
import { updateSpace as storeSpaceChange, type SpaceChange } from '../domain/spaces.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Renames a space or makes it private or open (the caller was authorized as its admin). Emits
 * `space.changed`: making a space private takes access away from non-members at once (caches
 * forget, open sockets re-check).
 */
export async function updateSpace(ctx: CommandContext, actor: UserRow, spaceId: string, change: SpaceChange): Promise<SpaceRow> {
  return inTransaction(ctx, async (tx, emit) => {
    const updated = await storeSpaceChange(tx, spaceId, change, ctx.clock.now());
    if (!updated) throw notFound('Space');
    emit({ topic: 'space.changed', spaceId, actor: actor.id });
    return updated;
  });
}
