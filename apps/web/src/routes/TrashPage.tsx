import { useState } from 'react';
import { canEdit, type DocSummary } from '../api/model.ts';
import { useRestoreDoc, useSpaceDocs } from '../api/queries.ts';
import { DecisionBadge } from '../components/Badges.tsx';
import { formatTime } from '../components/format-time.ts';
import { Link, docPath } from '../router.tsx';
import { errorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

/** A space's trash: documents moved there (with what was under them), each restorable. */
export function TrashPage({ spaceId }: { spaceId: string }) {
  const { user } = useSession();
  const { spaces } = useSpaceSelection();
  const space = spaces?.find((s) => s.id === spaceId);
  const editable = space ? canEdit(space.role, space) : false;
  const trash = useSpaceDocs(spaceId, 'trash');
  const restoreDoc = useRestoreDoc();
  const [restored, setRestored] = useState<DocSummary | null>(null);
  const pending = restoreDoc.isPending ? restoreDoc.variables : null;
  const error = restoreDoc.isError ? errorMessage(restoreDoc.error) : null;

  function restore(doc: DocSummary) {
    // The tree and this list reload (see queries.ts).
    restoreDoc.mutate(doc.id, { onSuccess: () => setRestored(doc) });
  }

  const docs = trash.data ? [...trash.data].sort((a, b) => Date.parse(b.trashedAt ?? '') - Date.parse(a.trashedAt ?? '')) : [];
  const titleOf = new Map(docs.map((d) => [d.id, d.title]));

  return (
    <section className="page" data-testid="trash">
      <h1>Trash{space ? ` · ${space.name}` : ''}</h1>
      <p className="muted">Documents moved to the trash, newest first. Restoring one brings back what was trashed with it.</p>
      {restored && (
        <p className="notice" role="status" data-testid="trash-restored">
          Restored <Link to={docPath(restored.id)}>{restored.title || 'Untitled'}</Link>.
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {trash.isPending && <p className="muted">Loading…</p>}
      {trash.isError && (
        <p role="alert" className="error">
          {errorMessage(trash.error)}
        </p>
      )}
      {trash.isSuccess && docs.length === 0 && (
        <p className="muted" data-testid="trash-empty">
          The trash is empty.
        </p>
      )}
      {docs.length > 0 && (
        <ul className="trash-list" data-testid="trash-list">
          {docs.map((doc) => (
            <li key={doc.id} className="trash-item" data-testid="trash-item" data-doc-id={doc.id} data-title={doc.title}>
              <div>
                <strong>{doc.title || 'Untitled'}</strong> {doc.decision && <DecisionBadge status={doc.decision.status} />}
                <div className="muted small-text">
                  Trashed <time dateTime={doc.trashedAt ?? undefined}>{formatTime(doc.trashedAt, user.timezone)}</time>
                  {doc.parentId && titleOf.has(doc.parentId) && ` with “${titleOf.get(doc.parentId) || 'Untitled'}”`}
                </div>
              </div>
              {editable && (
                <button
                  type="button"
                  className="small"
                  disabled={pending !== null}
                  onClick={() => restore(doc)}
                  data-testid="trash-restore"
                >
                  {pending === doc.id ? 'Restoring…' : 'Restore'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
