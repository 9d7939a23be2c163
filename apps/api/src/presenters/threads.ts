import type { ResolvedAnchor } from '../domain/anchors.ts';
import type { CommentRow, ThreadWithComments, WaitingThread } from '../domain/threads.ts';
import { iso } from './time.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function presentComment(c: CommentRow) {
  return {
    id: c.id,
    threadId: c.threadId,
    authorId: c.authorId,
    markdown: c.deletedAt !== null ? '' : c.markdown,
    createdAt: iso(c.createdAt),
    ...(c.editedAt !== null ? { editedAt: iso(c.editedAt) } : {}),
    ...(c.deletedAt !== null ? { deleted: true } : {}),
  };
}

/**
 * A thread as the contract shows it. `resolved` is what its anchor covers now when the caller
 * resolved it against the body; without it the stored orphaned flag is shown and `current` is null.
 */
export function presentThread(t: ThreadWithComments, resolved?: ResolvedAnchor | null) {
  const { thread } = t;
  const anchored = thread.anchorStart && thread.anchorEnd;
  const orphaned = resolved ? resolved.orphaned : thread.orphaned;
  return {
    id: thread.id,
    docId: thread.docId,
    anchor: anchored
      ? {
          quote: thread.quote ?? '',
          orphaned,
          current: resolved && !resolved.orphaned ? resolved.text : null,
          relative: { start: b64(thread.anchorStart!), end: b64(thread.anchorEnd!) },
        }
      : null,
    status: thread.status,
    createdBy: thread.createdBy,
    ...(thread.resolvedBy ? { resolvedBy: thread.resolvedBy } : {}),
    ...(thread.resolvedAt !== null ? { resolvedAt: iso(thread.resolvedAt) } : {}),
    askedUserIds: t.asks.map((a) => a.userId),
    comments: t.comments.map(presentComment),
    createdAt: iso(thread.createdAt),
    updatedAt: iso(thread.updatedAt),
  };
}

export function presentWaitingThread(t: WaitingThread) {
  return { ...presentThread(t), docTitle: t.doc.title, spaceId: t.doc.spaceId };
}
