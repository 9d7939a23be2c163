import { useCallback, useEffect, useState } from 'react';
import { canEdit, wikiApi, type DocListItem } from '../api/wiki-api.ts';
import { DecisionBadge } from '../components/Badges.tsx';
import { announceDocsChanged, useDocsChanged } from '../components/doc-events.ts';
import { formatTime } from '../components/format-time.ts';
import { Link, docPath } from '../router.tsx';
import { useErrorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';
import '../panels.css';

type Load = { state: 'loading' } | { state: 'loaded'; docs: DocListItem[] } | { state: 'error'; message: string };

/** A space's trash: documents moved there (with what was under them), each restorable. */
export function TrashPage({ spaceId }: { spaceId: string }) {
  const { user } = useSession();
  const errorMessage = useErrorMessage();
  const { spaces } = useSpaceSelection();
  const space = spaces?.find((s) => s.id === spaceId);
  const editable = space ? canEdit(space.role, space) : false;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restored, setRestored] = useState<DocListItem | null>(null);

  const fetchTrash = useCallback(async () => {
    try {
      setLoad({ state: 'loaded', docs: await wikiApi.trashedDocs(spaceId) });
    } catch (err) {
      setLoad({ state: 'error', message: errorMessage(err) });
    }
    // Keyed by the space only: errorMessage is a new function on every render.
  }, [spaceId]);

  useEffect(() => {
    void fetchTrash();
  }, [fetchTrash]);
  useDocsChanged(spaceId, () => void fetchTrash());

  async function restore(doc: DocListItem) {
    setPending(doc.id);
    setError(null);
    try {
      await wikiApi.restoreDoc(doc.id);
      setRestored(doc);
      announceDocsChanged(spaceId); // the tree and this list reload
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(null);
    }
  }

  const docs = load.state === 'loaded' ? [...load.docs].sort((a, b) => Date.parse(b.trashedAt ?? '') - Date.parse(a.trashedAt ?? '')) : [];
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
      {load.state === 'loading' && <p className="muted">Loading…</p>}
      {load.state === 'error' && (
        <p role="alert" className="error">
          {load.message}
        </p>
      )}
      {load.state === 'loaded' && docs.length === 0 && (
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
                  onClick={() => void restore(doc)}
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
