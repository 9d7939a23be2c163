import { useState } from 'react';
import type { Doc } from '../api/model.ts';
import { useRestoreRevision, useRevisions } from '../api/queries.ts';
import { errorMessage } from '../session.tsx';
import { DiffSection } from './DiffSection.tsx';
import { ConfirmDialog } from './Modal.tsx';
import { RevisionItem } from './RevisionItem.tsx';
import { useComparedPair } from './use-compared-pair.ts';
import { useUsers } from './use-users.ts';

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
  const users = useUsers();
  // Reloaded when a change made here gives the document a new revision (see queries.ts).
  const revisions = useRevisions(doc.id);
  const restoreRevision = useRestoreRevision();
  const [wide, setWide] = useState(false);
  const [restoring, setRestoring] = useState<{ revision: number; pending: boolean; error: string | null } | null>(null);
  const list = revisions.data ?? [];
  const { latest, pair, diff, pick, setPicked, diffSectionRef } = useComparedPair(doc.id, list, requested);

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
          <RevisionItem
            key={rev.revision}
            rev={rev}
            docId={doc.id}
            latest={latest}
            pair={pair}
            users={users}
            canEdit={canEdit}
            onPick={pick}
            onRestore={(revision) => setRestoring({ revision, pending: false, error: null })}
          />
        ))}
      </ol>

      {!pair && <p className="muted">This is the first revision: there is nothing to compare yet.</p>}

      {pair && (
        <DiffSection
          sectionRef={diffSectionRef}
          pair={pair}
          diff={diff}
          fromRev={fromRev}
          toRev={toRev}
          users={users}
          wide={wide}
          setWide={setWide}
        />
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
