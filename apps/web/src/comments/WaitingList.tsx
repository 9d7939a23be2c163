import type { WaitingThread } from '../api/model.ts';
import { formatTime } from '../components/format-time.ts';
import { Link, threadPath } from '../router.tsx';
import { useSession } from '../session.tsx';
import { commentPreview } from './comment-markdown.ts';
import { nameIn, usePeople } from './use-people.ts';
import { askOf, lastComment } from './waiting.ts';

/** Threads waiting on the signed-in person: the document, the passage, who asked, the last word. */
export function WaitingList({ threads }: { threads: readonly WaitingThread[] }) {
  const { user } = useSession();
  const people = usePeople();
  return (
    <ol className="waiting-list" data-testid="waiting-list">
      {threads.map((thread) => {
        const ask = askOf(thread, user);
        const last = lastComment(thread);
        return (
          <li key={thread.id} className="waiting-item" data-testid="waiting-item" data-thread-id={thread.id} data-doc-id={thread.docId}>
            <Link to={threadPath(thread.docId, thread.id)} className="waiting-title" data-testid="waiting-link">
              {thread.docTitle || 'Untitled'}
            </Link>
            {thread.anchor ? (
              <q className="thread-quote" data-testid="waiting-quote">
                {thread.anchor.quote}
              </q>
            ) : (
              <span className="muted small-text">On the whole document</span>
            )}
            <p className="muted small-text" data-testid="waiting-asked-by">
              Asked by {nameIn(people, ask.by)} · {formatTime(ask.at, user.timezone)}
            </p>
            {last && (
              <p className="waiting-last small-text" data-testid="waiting-last">
                <span className="comment-author">{nameIn(people, last.authorId)}:</span> {commentPreview(last.markdown)}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
