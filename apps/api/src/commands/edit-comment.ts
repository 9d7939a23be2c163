import { admitCommentWrite, type CommentAdmissionContext } from '../domain/comment-admission.ts';
import { conflict, notFound } from '../domain/errors.ts';
import type { DocRow, UserRow } from '../domain/model.ts';
import { editComment as storeEdit, mentionedUserIds, recordAsks, type CommentRow } from '../domain/threads.ts';
import { checkCommentLength } from './create-thread.ts';
import { inTransaction, type CommandContext } from './transaction.ts';

/** Changes the text of one's own comment (shown as edited). People newly @mentioned are asked. */
export async function editComment(ctx: CommandContext & CommentAdmissionContext, actor: UserRow, doc: DocRow, comment: CommentRow, markdown: string): Promise<CommentRow> {
  checkCommentLength(markdown);
  if (comment.deletedAt !== null) throw conflict('This comment was deleted.', undefined, 'comment_deleted');
  return admitCommentWrite(ctx, actor.id, () => inTransaction(ctx, async (tx, emit) => {
    const now = ctx.clock.now();
    const before = new Set(await mentionedUserIds(tx, comment.markdown));
    const edited = await storeEdit(tx, comment.id, markdown, now);
    if (!edited) throw notFound('Comment');
    const fresh = (await mentionedUserIds(tx, markdown)).filter((id) => !before.has(id) && id !== actor.id);
    await recordAsks(tx, comment.threadId, fresh, actor.id, now, false);
    emit({ topic: 'thread.changed', docId: doc.id, spaceId: doc.spaceId, threadId: comment.threadId, change: 'edited', commentId: comment.id, actor: actor.id, asked: fresh });
    return edited;
  }));
}
