import type { PublicUser, Revision } from '../api/model.ts';
import { useSession } from '../session.tsx';
import { formatTime } from './format-time.ts';
import { nameOf } from './use-users.ts';

/** One revision in the history: who, when and why, the from/to pickers, and for editors a restore. */
export function RevisionItem({
  rev,
  docId,
  latest,
  pair,
  users,
  canEdit,
  onPick,
  onRestore,
}: {
  rev: Revision;
  docId: string;
  latest: number | null;
  pair: { from: number; to: number } | null;
  users: Map<string, PublicUser>;
  canEdit: boolean;
  onPick: (side: 'from' | 'to', revision: number) => void;
  onRestore: (revision: number) => void;
}) {
  const { user } = useSession();
  return (
    <li
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
                name={`diff-from-${docId}`}
                checked={pair.from === rev.revision}
                onChange={() => onPick('from', rev.revision)}
                data-testid="diff-from"
              />
              from
            </label>
            <label title={`Compare to revision ${rev.revision}`}>
              <input
                type="radio"
                name={`diff-to-${docId}`}
                checked={pair.to === rev.revision}
                onChange={() => onPick('to', rev.revision)}
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
          onClick={() => onRestore(rev.revision)}
        >
          Restore this revision
        </button>
      )}
    </li>
  );
}
