import { useEffect, useRef, useState } from 'react';
import type { Thread, ThreadComment } from '../api/model.ts';
import { useDeleteComment, useEditComment, useReply, useSetThreadStatus } from '../api/queries.ts';
import { formatTime } from '../components/format-time.ts';
import { errorMessage } from '../session.tsx';
import { CommentBox } from './CommentBox.tsx';
import { CommentMarkdown } from './CommentMarkdown.tsx';
import type { CommentsController } from './comments-controller.ts';
import { nameIn, type People } from './use-people.ts';

export interface ThreadCardProps {
  docId: string;
  thread: Thread;
  /** The anchored text is gone (the card says so and keeps the quote). */
  orphaned: boolean;
  active: boolean;
  /** Bumped when this card (if active) should scroll into view. */
  focusRequest: number;
  controller: CommentsController;
  people: People;
  meId: string;
  timeZone: string;
  /** Why the caller may not comment (null: they may). */
  restriction: string | null;
}

/**
 * One thread in the sidebar: what it is about (the quote, or the whole document), its comments,
 * who it asks, and — once it is in focus — the reply box, resolve / reopen, and edit / delete of
 * one's own comments.
 */
export function ThreadCard({ docId, thread, orphaned, active, focusRequest, controller, people, meId, timeZone, restriction }: ThreadCardProps) {
  const card = useRef<HTMLLIElement>(null);
  const setStatus = useSetThreadStatus(docId);
  const resolved = thread.status === 'resolved';
  const asked = thread.askedUserIds.map((id) => people.byId.get(id)).filter((u) => u !== undefined);

  useEffect(() => {
    if (active && focusRequest > 0) card.current?.scrollIntoView({ block: 'nearest' });
  }, [active, focusRequest]);

  return (
    <li
      ref={card}
      className="thread"
      data-testid="thread"
      data-thread-id={thread.id}
      data-status={thread.status}
      data-orphaned={orphaned}
      data-active={active}
      onClick={() => {
        if (!active) controller.select(thread.id, { reveal: true });
      }}
    >
      <ThreadSubject thread={thread} orphaned={orphaned} onSelect={() => controller.select(thread.id, { reveal: true })} />
      {asked.length > 0 && (
        <p className="thread-asked small-text" data-testid="thread-asked">
          Question for {asked.map((u) => `@${u.handle}`).join(', ')}
        </p>
      )}
      <ol className="thread-comments">
        {thread.comments.map((comment) => (
          <CommentItem
            key={comment.id}
            docId={docId}
            comment={comment}
            mine={comment.authorId === meId}
            canEdit={active && restriction === null}
            canDelete={active}
            people={people}
            timeZone={timeZone}
          />
        ))}
      </ol>
      {resolved && (
        <p className="thread-resolved small-text" data-testid="thread-resolved">
          Resolved by {nameIn(people, thread.resolvedBy)}
          {thread.resolvedAt && <> · {formatTime(thread.resolvedAt, timeZone)}</>}
        </p>
      )}
      {active && restriction === null && (
        <div className="thread-actions" onClick={(event) => event.stopPropagation()}>
          {!resolved && <ReplyForm docId={docId} threadId={thread.id} people={people} meId={meId} />}
          <div className="row">
            <button
              type="button"
              className="small"
              data-testid={resolved ? 'thread-reopen' : 'thread-resolve'}
              disabled={setStatus.isPending}
              onClick={() =>
                setStatus.mutate(
                  { threadId: thread.id, status: resolved ? 'open' : 'resolved' },
                  // A resolved thread leaves the open list: nothing stays in focus.
                  { onSuccess: (next) => next.status === 'resolved' && controller.select(null) },
                )
              }
            >
              {resolved ? 'Reopen' : 'Resolve'}
            </button>
          </div>
          {setStatus.isError && (
            <p role="alert" className="error small-text">
              {errorMessage(setStatus.error)}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

/** What the thread is about: the quoted text (struck through when deleted), or the whole document. */
function ThreadSubject({ thread, orphaned, onSelect }: { thread: Thread; orphaned: boolean; onSelect: () => void }) {
  if (!thread.anchor) {
    return (
      <button type="button" className="thread-subject muted small-text" onClick={onSelect}>
        On the whole document
      </button>
    );
  }
  return (
    <>
      <button type="button" className="thread-subject" onClick={onSelect} aria-label={`Show “${thread.anchor.quote}” in the document`}>
        <q className="thread-quote" data-testid="thread-quote">
          {thread.anchor.quote}
        </q>
      </button>
      {orphaned && (
        <p className="thread-orphaned-note small-text muted" data-testid="thread-orphaned-note">
          The text this thread was about has been deleted.
        </p>
      )}
    </>
  );
}

function CommentItem({
  docId,
  comment,
  mine,
  canEdit,
  canDelete,
  people,
  timeZone,
}: {
  docId: string;
  comment: ThreadComment;
  mine: boolean;
  /** Editing needs the right to comment. */
  canEdit: boolean;
  /** An author may delete their own comment even where only editors may comment now. */
  canDelete: boolean;
  people: People;
  timeZone: string;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const edit = useEditComment(docId);
  const remove = useDeleteComment(docId);
  const failure = edit.error ?? remove.error;

  function save() {
    if (editing === null || !editing.trim()) return;
    edit.mutate({ commentId: comment.id, markdown: editing }, { onSuccess: () => setEditing(null) });
  }

  return (
    <li className="comment" data-testid="comment" data-comment-id={comment.id} data-deleted={comment.deleted === true}>
      <div className="comment-head small-text">
        <span className="comment-author" data-testid="comment-author">
          {nameIn(people, comment.authorId)}
        </span>
        <time className="muted" dateTime={comment.createdAt}>
          {formatTime(comment.createdAt, timeZone)}
        </time>
        {comment.editedAt && !comment.deleted && (
          <span className="muted" data-testid="comment-edited" title={`Edited ${formatTime(comment.editedAt, timeZone)}`}>
            (edited)
          </span>
        )}
      </div>
      {comment.deleted ? (
        <p className="comment-deleted muted small-text" data-testid="comment-deleted">
          This comment was deleted.
        </p>
      ) : editing !== null ? (
        <div onClick={(event) => event.stopPropagation()}>
          <CommentBox
            value={editing}
            onChange={setEditing}
            onSubmit={save}
            onCancel={() => setEditing(null)}
            people={people.list}
            label="Edit your comment"
            autoFocus
            disabled={edit.isPending}
            testId="comment-edit-input"
          />
          <div className="row">
            <button type="button" className="primary small" data-testid="comment-edit-save" disabled={edit.isPending || !editing.trim()} onClick={save}>
              Save
            </button>
            <button type="button" className="small" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="comment-body" data-testid="comment-body">
          <CommentMarkdown markdown={comment.markdown} usersByHandle={people.byHandle} />
        </div>
      )}
      {mine && (canEdit || canDelete) && !comment.deleted && editing === null && (
        <div className="comment-tools small-text" onClick={(event) => event.stopPropagation()}>
          {confirmingDelete ? (
            <>
              <span>Delete this comment?</span>
              <button type="button" className="link-button danger-text" data-testid="comment-delete-confirm" disabled={remove.isPending} onClick={() => remove.mutate(comment.id)}>
                Delete
              </button>
              <button type="button" className="link-button" onClick={() => setConfirmingDelete(false)}>
                Keep
              </button>
            </>
          ) : (
            <>
              {canEdit && (
                <button type="button" className="link-button" data-testid="comment-edit" onClick={() => setEditing(comment.markdown)}>
                  Edit
                </button>
              )}
              {canDelete && (
                <button type="button" className="link-button" data-testid="comment-delete" onClick={() => setConfirmingDelete(true)}>
                  Delete
                </button>
              )}
            </>
          )}
        </div>
      )}
      {failure && (
        <p role="alert" className="error small-text">
          {errorMessage(failure)}
        </p>
      )}
    </li>
  );
}

function ReplyForm({ docId, threadId, people, meId }: { docId: string; threadId: string; people: People; meId: string }) {
  const [text, setText] = useState('');
  const reply = useReply(docId);
  const others = people.list.filter((u) => u.id !== meId);

  function submit() {
    if (!text.trim() || reply.isPending) return;
    reply.mutate({ threadId, markdown: text }, { onSuccess: () => setText('') });
  }

  return (
    <form
      className="reply-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <CommentBox
        value={text}
        onChange={setText}
        onSubmit={submit}
        people={others}
        label="Reply"
        placeholder="Reply — @ to mention someone"
        disabled={reply.isPending}
        testId="reply-input"
      />
      <div className="row">
        <button type="submit" className="primary small" data-testid="reply-submit" disabled={reply.isPending || !text.trim()}>
          Reply
        </button>
      </div>
      {reply.isError && (
        <p role="alert" className="error small-text">
          {errorMessage(reply.error)}
        </p>
      )}
    </form>
  );
}
