import type { BriefThread, PublicUser } from '../../api/model.ts';
import { Link } from '../../router.tsx';
import { nameOf } from '../use-users.ts';
import { safeDocHref } from './brief-markdown.ts';

/**
 * The comment threads a brief item brings news of: what someone asked the reader, or the new
 * replies in a thread she is in — with the passage it is about and a link to the thread.
 */
export function BriefThreads({ threads, others, users }: { threads: BriefThread[]; others: number; users: Map<string, PublicUser> }) {
  return (
    <ul className="brief-threads" data-testid="brief-threads">
      {threads.map((thread) => {
        const href = safeDocHref(thread.url);
        return (
          <li key={thread.threadId} className="brief-thread" data-testid="brief-thread" data-reason={thread.reason} data-thread-id={thread.threadId}>
            <p className="brief-thread-head small-text">
              <span className="brief-chip" data-reason={thread.reason}>
                {thread.reason === 'asked' ? 'asked you' : 'replies'}
              </span>{' '}
              {thread.reason === 'asked' && thread.askedBy && <>{nameOf(users, thread.askedBy)} asked you</>}
              {thread.reason === 'thread' && `${thread.newComments} new ${thread.newComments === 1 ? 'comment' : 'comments'}`}
              {thread.resolvedBy && <> · resolved by {nameOf(users, thread.resolvedBy)}</>}
            </p>
            {thread.quote !== null ? (
              <q className="thread-quote" data-orphaned={thread.orphaned}>
                {thread.quote}
              </q>
            ) : (
              <p className="muted small-text">On the whole document</p>
            )}
            {thread.orphaned && <p className="muted small-text">The text this thread was about has been deleted.</p>}
            {thread.replies.length > 0 && (
              <ul className="brief-thread-replies small-text">
                {thread.replies.map((reply) => (
                  <li key={reply.commentId}>
                    <span className="comment-author">{nameOf(users, reply.authorId)}:</span> {reply.text}
                  </li>
                ))}
              </ul>
            )}
            {href && (
              <Link to={href} className="small-text" data-testid="brief-thread-link">
                Open the thread
              </Link>
            )}
          </li>
        );
      })}
      {others > 0 && (
        <li className="muted small-text">
          and {others} more {others === 1 ? 'thread' : 'threads'}
        </li>
      )}
    </ul>
  );
}
