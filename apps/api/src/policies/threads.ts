import type { DbOrTx } from '@handoff/db';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import type { DocRow, SpaceRole, SpaceRow, UserRow } from '../domain/model.ts';
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
  /** The caller's role in the document's space. */
  role: SpaceRole;
}

/**
 * `read`: may read the document. `write`: may read it and it is not in the trash (what taking
 * back one's own comment needs). `comment`: that, and the space's comment right.
 */
type ThreadAction = 'read' | 'write' | 'comment';

/** The document, if the caller may `read`, `write` to (not trashed) or `comment` on it. */
export async function requireCommentableDoc(db: DbOrTx, user: UserRow, docId: string, action: ThreadAction): Promise<CommentableDoc> {
  const found = await docAccess(db, user, docId);
  if (!found || found.role === null) throw notFound('Document');
  const access = { ...found, role: found.role };
  if (action === 'read') return access;
  if (access.doc.trashedAt !== null) throw notFound('Document');
  if (action === 'write') return access;
  if (!can(user, 'comment', { space: access.space, membership: access.role })) {
    throw forbidden('Only editors may comment in this space.', 'commenting_restricted');
  }
  return access;
}

/** The thread and its document, if the caller may `action` it (404 for threads of unreadable documents). */
export async function requireThread(db: DbOrTx, user: UserRow, threadId: string, action: ThreadAction): Promise<CommentableDoc & { thread: ThreadRow }> {
  const thread = await threadById(db, threadId);
  if (!thread) throw notFound('Thread');
  try {
    return { ...(await requireCommentableDoc(db, user, thread.docId, action)), thread };
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') throw notFound('Thread');
    throw err;
  }
}

/**
 * The comment, its thread and document, if the caller may `edit` or `delete` it. Editing is
 * commenting: its author, with the space's comment right. Deleting is taking back what one wrote:
 * its author may always do it while the document is readable and not in the trash (even after the
 * space limited commenting to editors), and a space admin may delete anyone's (moderation).
 * Others who can see the comment get 403.
 */
export async function requireOwnComment(db: DbOrTx, user: UserRow, commentId: string, purpose: 'edit' | 'delete'): Promise<CommentableDoc & { thread: ThreadRow; comment: CommentRow }> {
  const comment = await commentById(db, commentId);
  if (!comment) throw notFound('Comment');
  let found: CommentableDoc & { thread: ThreadRow; role: SpaceRole };
  try {
    found = await requireThread(db, user, comment.threadId, purpose === 'edit' && comment.authorId === user.id ? 'comment' : 'write');
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') throw notFound('Comment');
    throw err;
  }
  if (comment.authorId === user.id) return { ...found, comment };
  if (purpose === 'delete' && found.role === 'admin') return { ...found, comment };
  throw forbidden(purpose === 'delete' ? 'Only its author or a space admin may delete a comment.' : 'Only its author may edit a comment.', 'not_author');
}
