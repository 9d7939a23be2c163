import { admitCommentWrite, type CommentAdmissionContext } from '../domain/comment-admission.ts';
import { answerHandoffAsks } from '../domain/handoff-asks.ts';
import { newId } from '../domain/ids.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { insertComment, mentionedUserIds, recordAsks, touchThread, type CommentRow, type ThreadRow } from '../domain/threads.ts';
import { checkCommentLength } from './create-thread.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/**
 * Replies in a thread (the caller was authorized to comment on its document). People @mentioned
 * are asked; the reply itself answers whatever the thread asked the caller.
 */
export async function addComment(ctx: CommandContext & CommentAdmissionContext, actor: UserRow, doc: DocRow, thread: ThreadRow, markdown: string): Promise<CommentRow> {
  checkCommentLength(markdown);
  return admitCommentWrite(ctx, actor.id, () => inTransaction(ctx, async (tx, emit) => {
    const now = ctx.clock.now();
    const comment: CommentRow = { id: newId(), threadId: thread.id, docId: doc.id, authorId: actor.id, markdown, createdAt: now, editedAt: null, deletedAt: null };
    await insertComment(tx, comment);
    await touchThread(tx, thread.id, now);
    if (doc.kind === 'handoff') await answerHandoffAsks(tx, doc.id, actor.id, now);
    const mentioned = (await mentionedUserIds(tx, markdown)).filter((id) => id !== actor.id);
    await recordAsks(tx, thread.id, mentioned, actor.id, now, false);
    emit({ topic: 'thread.changed', docId: doc.id, spaceId: doc.spaceId, threadId: thread.id, change: 'replied', commentId: comment.id, actor: actor.id, asked: mentioned });
    return comment;
  }));
}
