import type { User, WaitingThread } from '../api/model.ts';
import { parseComment, type Inline } from './comment-markdown.ts';

function mentions(nodes: Inline[], handle: string): boolean {
  return nodes.some((node) => {
    if (node.type === 'mention') return node.handle === handle;
    if (node.type === 'text' || node.type === 'code') return false;
    return mentions(node.children, handle);
  });
}

/**
 * Who asked `me` in a waiting thread, and when: the latest comment by someone else that mentions
 * them, else whoever started the thread (it was addressed to them).
 */
export function askOf(thread: WaitingThread, me: Pick<User, 'id' | 'handle'>): { by: string; at: string } {
  for (let i = thread.comments.length - 1; i >= 0; i--) {
    const comment = thread.comments[i]!;
    if (comment.deleted || comment.authorId === me.id) continue;
    if (parseComment(comment.markdown).some((paragraph) => mentions(paragraph, me.handle))) return { by: comment.authorId, at: comment.createdAt };
  }
  return { by: thread.createdBy, at: thread.createdAt };
}

/** The thread's latest comment that was not deleted (null if all were). */
export function lastComment(thread: WaitingThread) {
  return thread.comments.findLast((c) => !c.deleted) ?? null;
}
