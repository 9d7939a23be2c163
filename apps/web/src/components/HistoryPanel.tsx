import { useEffect, useRef, useState } from 'react';
import type { Doc } from '../api/model.ts';
import { useDiff, useRestoreRevision, useRevisions } from '../api/queries.ts';
import { errorMessage, useSession } from '../session.tsx';
import { DiffView } from './DiffView.tsx';
import { formatTime } from './format-time.ts';
import { ConfirmDialog, Modal } from './Modal.tsx';
import { nameOf, useUsers } from './use-users.ts';

/**
 * Every revision of a document (who, when, why), a diff between any two of them (by default the
 * last change), and for editors a restore of any earlier revision, which becomes a new revision.
 */
export function HistoryPanel({
  doc,
  canEdit,
  requested,
}: {
  doc: Doc;
  canEdit: boolean;
  /** Two revisions to compare first (a link to a diff, `?diff=a..b`). */
  requested?: { from: number; to: number } | null;
}) {
  const { user } = useSession();
  const users = useUsers();
  // Reloaded when a change made here gives the document a new revision (see queries.ts).
  const revisions = useRevisions(doc.id);
  const restoreRevision = useRestoreRevision();
  // The two revisions compared; null means "the default": the previous one against the latest.
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(requested ?? null);
  const [wide, setWide] = useState(false);
  const [restoring, setRestoring] = useState<{ revision: number; pending: boolean; error: string | null } | null>(null);

  // A newly requested diff (another link to this document) replaces the pair being compared.
  const requestedKey = requested ? `${requested.from}..${requested.to}` : null;
  const diffSectionRef = useRef<HTMLElement | null>(null);
  const scrolledTo = useRef<string | null>(null);
  const requestedFrom = requested?.from;
  const requestedTo = requested?.to;
  useEffect(() => {
    if (requestedFrom !== undefined && requestedTo !== undefined) setPicked({ from: requestedFrom, to: requestedTo });
  }, [requestedFrom, requestedTo]);

  const list = revisions.data ?? [];
  const latest = list[0]?.revision ?? null;
  const pair = picked ?? (list.length >= 2 && latest !== null ? { from: list[1]!.revision, to: latest } : null);
  const diff = useDiff(doc.id, pair);

  // Bring a requested diff into view once (on narrow screens the panels sit below the editor).
  const shownKey = pair && diff.isSuccess ? `${pair.from}..${pair.to}` : null;
  useEffect(() => {
    if (!requestedKey || shownKey !== requestedKey || scrolledTo.current === requestedKey) return;
    scrolledTo.current = requestedKey;
    diffSectionRef.current?.scrollIntoView({ block: 'start' });
  }, [requestedKey, shownKey]);

  function pick(side: 'from' | 'to', revision: number) {
    if (!pair) return;
    setPicked({ ...pair, [side]: revision });
  }

  async function restore() {
    if (!restoring) return;
    setRestoring({ ...restoring, pending: true, error: null });
    try {
      // The restored document replaces the page's copy; the revisions and the tree reload.
      await restoreRevision.mutateAsync({ docId: doc.id, revision: restoring.revision });
      setRestoring(null);
      setPicked(null); // show what the restore changed: the previous latest against the new one
    } catch (err) {
      setRestoring({ ...restoring, pending: false, error: errorMessage(err) });
    }
  }

  if (revisions.isPending) return <p className="muted">Loading the history…</p>;
  if (revisions.isError) {
    return (
      <p role="alert" className="error">
        {errorMessage(revisions.error)}{' '}
        <button type="button" className="link-button" onClick={() => void revisions.refetch()}>
          Try again
        </button>
      </p>
    );
  }

  const byNumber = new Map(list.map((r) => [r.revision, r]));
  const fromRev = pair ? byNumber.get(pair.from) : undefined;
  const toRev = pair ? byNumber.get(pair.to) : undefined;

  return (
    <div className="history" data-testid="history">
      <div className="history-head">
        <span className="muted small-text">
          {list.length} {list.length === 1 ? 'revision' : 'revisions'}, newest first
        </span>
        <button type="button" className="link-button small-text" onClick={() => void revisions.refetch()} data-testid="history-refresh">
          Refresh
        </button>
      </div>
      <ol className="revision-list" data-testid="revision-list" aria-label="Revisions, newest first">
        {list.map((rev) => (
          <li
            key={rev.revision}
            className="revision"
            data-testid="revision-item"
            data-revision={rev.revision}
            aria-current={rev.revision === latest ? 'true' : undefined}
          >
            <div className="revision-head">
              <span>
                <strong>r{rev.revision}</strong>
                {rev.revision === latest && <span className="muted"> (current)</span>}
              </span>
              {pair && (
                <span className="revision-pick" role="group" aria-label={`Compare revision ${rev.revision}`}>
                  <label title={`Compare from revision ${rev.revision}`}>
                    <input
                      type="radio"
                      name={`diff-from-${doc.id}`}
                      checked={pair.from === rev.revision}
                      onChange={() => pick('from', rev.revision)}
                      data-testid="diff-from"
                    />
                    from
                  </label>
                  <label title={`Compare to revision ${rev.revision}`}>
                    <input
                      type="radio"
                      name={`diff-to-${doc.id}`}
                      checked={pair.to === rev.revision}
                      onChange={() => pick('to', rev.revision)}
                      data-testid="diff-to"
                    />
                    to
                  </label>
                </span>
              )}
            </div>
            <div className="muted small-text">
              {rev.authors.length ? rev.authors.map((id) => nameOf(users, id)).join(', ') : 'someone'} ·{' '}
              <time dateTime={rev.createdAt}>{formatTime(rev.createdAt, user.timezone)}</time>
            </div>
            <div className="revision-message" data-testid="revision-message">
              {rev.message ? rev.message : <span className="muted">No reason given</span>}
            </div>
            {canEdit && rev.revision !== latest && (
              <button
                type="button"
                className="small restore-button"
                aria-label={`Restore this revision (r${rev.revision})`}
                data-testid="restore-revision"
                onClick={() => setRestoring({ revision: rev.revision, pending: false, error: null })}
              >
                Restore this revision
              </button>
            )}
          </li>
        ))}
      </ol>

      {!pair && <p className="muted">This is the first revision: there is nothing to compare yet.</p>}

      {pair && (
        <section
          ref={diffSectionRef}
          className="diff-section"
          aria-live="polite"
          data-testid="diff-section"
          data-from={pair.from}
          data-to={pair.to}
        >
          <h4>
            Changes from r{pair.from} to r{pair.to}
            {pair.from > pair.to && <span className="muted"> (going back in time)</span>}
          </h4>
          {toRev && pair.to === pair.from + 1 && (
            <p className="muted small-text">
              {toRev.authors.map((id) => nameOf(users, id)).join(', ') || 'Someone'}
              {toRev.message ? `: “${toRev.message}”` : ''}
            </p>
          )}
          {fromRev && toRev && fromRev.title !== toRev.title && (
            <p className="diff-title" data-testid="diff-title">
              Title: <del>{fromRev.title}</del> → <ins>{toRev.title}</ins>
            </p>
          )}
          {pair.from === pair.to && <p className="muted">Pick two different revisions to compare.</p>}
          {pair.from !== pair.to && diff.isPending && <p className="muted">Comparing…</p>}
          {pair.from !== pair.to && diff.isError && (
            <p role="alert" className="error">
              {errorMessage(diff.error)}
            </p>
          )}
          {pair.from !== pair.to && diff.isSuccess && (
            <>
              <DiffView key={`${pair.from}-${pair.to}`} blocks={diff.data.blocks} />
              <button type="button" className="link-button small-text wide-view" onClick={() => setWide(true)} data-testid="diff-wide">
                Open in a wide view
              </button>
              {wide && (
                <Modal title={`Changes from r${pair.from} to r${pair.to}`} onClose={() => setWide(false)} wide testId="diff-dialog">
                  <DiffView blocks={diff.data.blocks} />
                </Modal>
              )}
            </>
          )}
        </section>
      )}

      {restoring && (
        <ConfirmDialog
          title={`Restore revision ${restoring.revision}?`}
          message={
            <p>
              The document goes back to how it was at revision {restoring.revision}, saved as a new revision r
              {(latest ?? 0) + 1}. Nothing is lost: every later revision stays in the history.
            </p>
          }
          confirmLabel="Restore"
          pending={restoring.pending}
          error={restoring.error}
          onConfirm={() => void restore()}
          onCancel={() => setRestoring(null)}
        />
      )}
    </div>
  );
}
