import { useEffect, useMemo, useRef, useState } from 'react';
import type { Thread } from '../api/model.ts';
import { useThreads } from '../api/queries.ts';
import { errorMessage, useSession } from '../session.tsx';
import { COMMENT_SHORTCUT } from './comment-shortcut.ts';
import type { CommentsController, CommentsState } from './comments-controller.ts';
import { ThreadCard } from './ThreadCard.tsx';
import { ThreadComposer } from './ThreadComposer.tsx';
import { useCommentsState } from './use-comments-state.ts';
import { usePeople } from './use-people.ts';

type Filter = 'open' | 'resolved';

/** Whether a thread has lost its text: as the live editor finds it, or as the server said. */
function isOrphaned(thread: Thread, live: CommentsState['live']): boolean {
  if (!thread.anchor) return false;
  return live ? !live.has(thread.id) : thread.anchor.orphaned;
}

/**
 * The threads in the order of the document: those on the whole document first, then those on
 * its text in the order of the text (where the live editor found it; else the oldest first),
 * and those whose text was deleted at the bottom.
 */
export function arrangeThreads(threads: readonly Thread[], live: CommentsState['live']): { placed: Thread[]; orphaned: Thread[] } {
  const whole = threads.filter((t) => !t.anchor);
  const anchored = threads.filter((t) => t.anchor && !isOrphaned(t, live));
  const orphaned = threads.filter((t) => isOrphaned(t, live));
  const position = (t: Thread) => live?.get(t.id) ?? { block: Number.MAX_SAFE_INTEGER, offset: 0 };
  anchored.sort((a, b) => {
    const pa = position(a);
    const pb = position(b);
    return pa.block - pb.block || pa.offset - pb.offset || a.createdAt.localeCompare(b.createdAt);
  });
  return { placed: [...whole, ...anchored], orphaned };
}

/**
 * The comments of a document beside its text: open or resolved threads, a composer for a new
 * one, and the threads whose text was deleted at the bottom with their original quote.
 */
export function CommentsSidebar({ docId, controller, restriction }: { docId: string; controller: CommentsController; restriction: string | null }) {
  const { user } = useSession();
  const people = usePeople();
  const query = useThreads(docId);
  const state = useCommentsState(controller);
  const [filter, setFilter] = useState<Filter>('open');
  const threads = query.data;

  // A thread put in focus (a click, a link to it) is shown: the list switches to its status. When
  // its status then changes, a resolved thread leaves focus (and the open list) and a reopened one
  // is followed to the open list.
  const activeId = state.activeThreadId;
  const activeStatus = threads?.find((t) => t.id === activeId)?.status;
  const request = `${activeId}:${state.revealRequest}:${state.focusCardRequest}`;
  const seen = useRef<{ request: string; status: Filter | undefined }>({ request: '', status: undefined });
  useEffect(() => {
    if (!activeStatus) return;
    const before = seen.current;
    seen.current = { request, status: activeStatus };
    if (before.request !== request || before.status === undefined) setFilter(activeStatus);
    else if (before.status !== activeStatus) {
      if (activeStatus === 'resolved') controller.select(null);
      else setFilter(activeStatus);
    }
  }, [activeStatus, request, controller]);

  /** Picking the other list takes the thread in focus out of focus when it is not in that list. */
  function pickFilter(next: Filter) {
    setFilter(next);
    if (activeStatus && activeStatus !== next) controller.select(null);
  }

  const counts = useMemo(
    () => ({ open: threads?.filter((t) => t.status === 'open').length ?? 0, resolved: threads?.filter((t) => t.status === 'resolved').length ?? 0 }),
    [threads],
  );
  const shown = useMemo(() => arrangeThreads(threads?.filter((t) => t.status === filter) ?? [], state.live), [threads, filter, state.live]);

  const card = (thread: Thread, orphaned: boolean) => (
    <ThreadCard
      key={thread.id}
      docId={docId}
      thread={thread}
      orphaned={orphaned}
      active={thread.id === state.activeThreadId}
      focusRequest={state.focusCardRequest}
      controller={controller}
      people={people}
      meId={user.id}
      timeZone={user.timezone}
      restriction={restriction}
    />
  );

  return (
    <section className="comments" aria-label="Comments" data-testid="comments" data-doc-id={docId}>
      <div className="comments-head">
        <h2>Comments</h2>
        <div className="comments-filter" role="group" aria-label="Show">
          {(['open', 'resolved'] as const).map((f) => (
            <button key={f} type="button" className="small" aria-pressed={filter === f} data-testid={`comments-filter-${f}`} onClick={() => pickFilter(f)}>
              {f === 'open' ? 'Open' : 'Resolved'} <span className="comments-count">{counts[f]}</span>
            </button>
          ))}
        </div>
      </div>

      {restriction ? (
        <p className="muted small-text" data-testid="comments-restricted">
          {restriction}
        </p>
      ) : (
        !state.draft && (
          <p className="comments-hint muted small-text">
            Select text and press <kbd>{COMMENT_SHORTCUT}</kbd> or “Comment”, or{' '}
            <button type="button" className="link-button" data-testid="comment-on-doc" onClick={() => controller.startDraft({ anchor: null })}>
              comment on the whole document
            </button>
            .
          </p>
        )
      )}
      {state.notice && (
        <p className="comments-notice small-text" role="status" data-testid="comments-notice">
          {state.notice}{' '}
          <button type="button" className="link-button" onClick={() => controller.setNotice(null)}>
            OK
          </button>
        </p>
      )}

      {state.draft && restriction === null && <ThreadComposer key={state.draft.anchor?.relative.start ?? 'document'} docId={docId} draft={state.draft} controller={controller} people={people} meId={user.id} />}

      {query.isPending && <p className="muted small-text">Loading comments…</p>}
      {query.isError && (
        <p role="alert" className="error small-text">
          {errorMessage(query.error)}{' '}
          <button type="button" className="link-button" onClick={() => void query.refetch()}>
            Try again
          </button>
        </p>
      )}
      {threads && shown.placed.length === 0 && shown.orphaned.length === 0 && (
        <p className="muted small-text" data-testid="comments-empty">
          {filter === 'open' ? 'No open comments.' : 'No resolved comments.'}
        </p>
      )}
      {shown.placed.length > 0 && (
        <ol className="thread-list" data-testid="thread-list">
          {shown.placed.map((t) => card(t, false))}
        </ol>
      )}
      {shown.orphaned.length > 0 && (
        <section className="orphaned-threads" aria-label="Comments on deleted text" data-testid="orphaned-threads">
          <h3 className="small-text">On text that was deleted</h3>
          <p className="muted small-text">Their text is no longer in the document; each keeps the passage it was about.</p>
          <ol className="thread-list">{shown.orphaned.map((t) => card(t, true))}</ol>
        </section>
      )}
    </section>
  );
}
