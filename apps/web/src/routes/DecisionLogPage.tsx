import { useMemo, useState } from 'react';
import type { DecisionStatus, DocSummary } from '../api/model.ts';
import { useSpaceDocs } from '../api/queries.ts';
import { DecisionBadge } from '../components/Badges.tsx';
import { formatTime } from '../components/format-time.ts';
import { nameOf, useUsers } from '../components/use-users.ts';
import { Link, docPath } from '../router.tsx';
import { errorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

const STATUSES: DecisionStatus[] = ['proposed', 'accepted', 'superseded', 'rejected'];

/** When a decision was made (or, while it is open, last changed). */
function dateOf(doc: DocSummary): string {
  return doc.decision?.decidedAt || doc.updatedAt;
}

/** A space's decision records as a table: what was decided, its status, who owns it, and when. */
export function DecisionLogPage({ spaceId }: { spaceId: string }) {
  const { user } = useSession();
  const users = useUsers();
  const { spaces } = useSpaceSelection();
  const space = spaces?.find((s) => s.id === spaceId);
  const decisions = useSpaceDocs(spaceId, 'decisions');
  const [status, setStatus] = useState<DecisionStatus | 'all'>('all');
  const [newestFirst, setNewestFirst] = useState(true);

  const all = useMemo(() => decisions.data ?? [], [decisions.data]);
  const rows = useMemo(() => {
    const shown = status === 'all' ? all : all.filter((d) => d.decision?.status === status);
    const sign = newestFirst ? -1 : 1;
    return [...shown].sort((a, b) => sign * (Date.parse(dateOf(a)) - Date.parse(dateOf(b))) || a.title.localeCompare(b.title));
  }, [all, status, newestFirst]);
  const counts = useMemo(() => {
    const c = new Map<DecisionStatus, number>();
    for (const d of all) if (d.decision) c.set(d.decision.status, (c.get(d.decision.status) ?? 0) + 1);
    return c;
  }, [all]);

  return (
    <section className="page wide-page" data-testid="decision-log">
      <h1>Decision log{space ? ` · ${space.name}` : ''}</h1>
      <p className="muted">Every decision record in this space: what was decided, where it stands, and who owns it.</p>

      <div className="filters" role="group" aria-label="Filter by status">
        <label className="inline-label">
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as DecisionStatus | 'all')} data-testid="status-filter">
            <option value="all">All ({all.length})</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)} ({counts.get(s) ?? 0})
              </option>
            ))}
          </select>
        </label>
      </div>

      {decisions.isPending && <p className="muted">Loading…</p>}
      {decisions.isError && (
        <p role="alert" className="error">
          {errorMessage(decisions.error)}
        </p>
      )}
      {decisions.isSuccess && all.length === 0 && (
        <p className="muted">No decision records yet. Create one with “+ Decision” in the sidebar.</p>
      )}
      {decisions.isSuccess && all.length > 0 && (
        <div className="table-scroll">
          <table className="log-table" data-testid="decision-table">
            <thead>
              <tr>
                <th scope="col">Decision</th>
                <th scope="col">Status</th>
                <th scope="col">Owners</th>
                <th scope="col" aria-sort={newestFirst ? 'descending' : 'ascending'}>
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => setNewestFirst((v) => !v)}
                    data-testid="sort-date"
                  >
                    Date <span aria-hidden="true">{newestFirst ? '↓' : '↑'}</span>
                    <span className="visually-hidden">{newestFirst ? ', newest first' : ', oldest first'}</span>
                  </button>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((doc) => (
                <tr key={doc.id} data-testid="decision-row" data-doc-id={doc.id} data-status={doc.decision?.status}>
                  <td>
                    <Link to={docPath(doc.id)}>{doc.title || 'Untitled'}</Link>
                  </td>
                  <td>{doc.decision && <DecisionBadge status={doc.decision.status} />}</td>
                  <td>
                    {doc.decision?.owners.length ? (
                      doc.decision.owners.map((id) => nameOf(users, id)).join(', ')
                    ) : (
                      <span className="muted">nobody</span>
                    )}
                  </td>
                  <td className="nowrap">
                    <time dateTime={dateOf(doc)}>{formatTime(dateOf(doc), user.timezone, 'date')}</time>
                    {!doc.decision?.decidedAt && <span className="muted small-text"> (updated)</span>}
                  </td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    No decisions with this status.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
