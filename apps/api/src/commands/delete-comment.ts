import type { DocRow, UserRow } from '../domain/model.ts';
import { deleteComment as storeDelete, type CommentRow } from '../domain/threads.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/** Deletes a comment: it stays in its thread, shown as deleted, without its text. */
export async function deleteComment(ctx: CommandContext, actor: UserRow, doc: DocRow, comment: CommentRow): Promise<void> {
  if (comment.deletedAt !== null) return;
  await inTransaction(ctx, async (tx, emit) => {
    await storeDelete(tx, comment.id, ctx.clock.now());
    emit({ topic: 'thread.changed', docId: doc.id, spaceId: doc.spaceId, threadId: comment.threadId, change: 'deleted', commentId: comment.id, actor: actor.id, asked: [] });
  });
}
