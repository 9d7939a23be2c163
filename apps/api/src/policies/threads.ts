import type { DbOrTx } from '@handoff/db';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import type { DocRow, SpaceRow, UserRow } from '../domain/model.ts';
import { commentById, threadById, type CommentRow, type ThreadRow } from '../domain/threads.ts';
import { docAccess } from './access.ts';
import { can } from './can.ts';

/**
 * Who may see and write comments. Everything about a thread is as visible as its document: a
 * document the caller may not read answers 404 for its threads and comments alike. Writing needs
 * the `comment` right of the space (readers or editors, by its `commenting` setting) and a
 * document that is not in the trash (a trashed document's threads answer 404 to writes).
 */

export interface CommentableDoc {
  doc: DocRow;
  space: SpaceRow;
}

async function docFor(db: DbOrTx, user: UserRow, docId: string, action: 'read' | 'comment'): Promise<CommentableDoc> {
  const access = await docAccess(db, user, docId);
  if (!access || access.role === null) throw notFound('Document');
  if (action === 'read') return access;
  if (access.doc.trashedAt !== null) throw notFound('Document');
  if (!can(user, 'comment', { space: access.space, membership: access.role })) {
    throw forbidden('Only editors may comment in this space.', 'commenting_restricted');
  }
  return access;
}

/** The document, if the caller may read (`read`) or comment on (`comment`) it. */
export const requireCommentableDoc = docFor;

/** The thread and its document, if the caller may `action` it (404 for threads of unreadable documents). */
export async function requireThread(db: DbOrTx, user: UserRow, threadId: string, action: 'read' | 'comment'): Promise<CommentableDoc & { thread: ThreadRow }> {
  const thread = await threadById(db, threadId);
  if (!thread) throw notFound('Thread');
  try {
    return { ...(await docFor(db, user, thread.docId, action)), thread };
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') throw notFound('Thread');
    throw err;
  }
}

/**
 * The comment, its thread and document, if the caller may change it: its author, or an admin of
 * the space (moderation). Others who can see it get 403.
 */
export async function requireOwnComment(db: DbOrTx, user: UserRow, commentId: string, allowAdmin: boolean): Promise<CommentableDoc & { thread: ThreadRow; comment: CommentRow }> {
  const comment = await commentById(db, commentId);
  if (!comment) throw notFound('Comment');
  let found: CommentableDoc & { thread: ThreadRow };
  try {
    found = await requireThread(db, user, comment.threadId, 'comment');
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') throw notFound('Comment');
    throw err;
  }
  if (comment.authorId === user.id) return { ...found, comment };
  const access = await docAccess(db, user, found.doc.id);
  if (allowAdmin && access?.role === 'admin') return { ...found, comment };
  throw forbidden(allowAdmin ? 'Only its author or a space admin may delete a comment.' : 'Only its author may edit a comment.', 'not_author');
}
