import { waitingHandoffAsks, type WaitingAsk } from '../domain/handoff-asks.ts';
import type { UserRow } from '../domain/model.ts';
import { waitingThreads, type WaitingThread } from '../domain/threads.ts';
import type { CommandContext } from './transaction.ts';

/**
 * "Waiting on you": open threads that asked `user` something they have not answered, and the
 * unanswered "Blocked on @you" / "Decision needed from @you" items of handoff notes — on documents
 * in `readableSpaceIds` (the access policy's answer for this user, now) and not in the trash.
 */
export async function listWaiting(ctx: Pick<CommandContext, 'db'>, user: UserRow, readableSpaceIds: readonly string[]): Promise<{ threads: WaitingThread[]; handoffAsks: WaitingAsk[] }> {
  return {
    threads: await waitingThreads(ctx.db, user.id, readableSpaceIds),
    handoffAsks: await waitingHandoffAsks(ctx.db, user.id, readableSpaceIds),
  };
}
