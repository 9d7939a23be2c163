import { notFound } from '../domain/errors.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { setThreadStatus, threadWithComments, type ThreadRow, type ThreadWithComments } from '../domain/threads.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Resolves (`resolved`, recording who and when) or reopens (`open`) a thread. Resolving clears it
 * from everyone's "waiting on you"; doing what is already done changes nothing.
 */
export async function setThreadResolution(ctx: CommandContext, actor: UserRow, doc: DocRow, thread: ThreadRow, status: 'open' | 'resolved'): Promise<ThreadWithComments> {
  if (thread.status !== status) {
    await inTransaction(ctx, async (tx, emit) => {
      const updated = await setThreadStatus(tx, thread.id, status, actor.id, ctx.clock.now());
      if (!updated) throw notFound('Thread');
      const change = status === 'resolved' ? 'resolved' : 'reopened';
      emit({ topic: 'thread.changed', docId: doc.id, spaceId: doc.spaceId, threadId: thread.id, change, commentId: null, actor: actor.id, asked: [] });
    });
  }
  return (await threadWithComments(ctx.db, thread.id))!;
}
