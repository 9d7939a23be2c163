import { useMarkHandoffAskDone, type WaitingHandoffAsk } from '../api/handoff-queries.ts';
import type { WaitingThread } from '../api/model.ts';
import { formatTime } from '../components/format-time.ts';
import { Link, docPath, threadPath } from '../router.tsx';
import { errorMessage, useSession } from '../session.tsx';
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

/**
 * Items of handoff notes waiting on the signed-in person: "Priya is blocked on you: …" and
 * "Decision needed from you: …", each linking to the note, with a Done button that answers it.
 */
export function HandoffAskList({ asks }: { asks: readonly WaitingHandoffAsk[] }) {
  const { user } = useSession();
  const people = usePeople();
  const done = useMarkHandoffAskDone();
  return (
    <ol className="waiting-list" data-testid="handoff-ask-list">
      {asks.map((ask) => {
        const key = `${ask.docId}:${ask.section}:${ask.text}`;
        const by = nameIn(people, ask.askedBy);
        const marking = done.isPending && done.variables?.docId === ask.docId && done.variables.text === ask.text && done.variables.section === ask.section;
        return (
          <li key={key} className="waiting-item" data-testid="handoff-ask" data-doc-id={ask.docId} data-section={ask.section}>
            <Link to={docPath(ask.docId)} className="waiting-title" data-testid="handoff-ask-link">
              {ask.title || 'Untitled'}
            </Link>
            <p className="handoff-ask-text" data-testid="handoff-ask-text">
              <strong>{ask.section === 'blocked' ? `${by} is blocked on you:` : 'Decision needed from you:'}</strong> {ask.text}
            </p>
            <p className="muted small-text">
              {ask.section === 'blocked' ? 'From the handoff note' : `Asked by ${by} in the handoff note`} · {formatTime(ask.askedAt, user.timezone)}{' '}
              <button
                type="button"
                className="small"
                disabled={marking}
                onClick={() => done.mutate({ docId: ask.docId, section: ask.section, text: ask.text })}
                data-testid="handoff-ask-done"
              >
                {marking ? 'Marking…' : 'Done'}
              </button>
            </p>
          </li>
        );
      })}
      {done.isError && (
        <li role="alert" className="error">
          {errorMessage(done.error)}
        </li>
      )}
    </ol>
  );
}
