import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { DecisionPatch, DecisionStatus, Doc } from '../api/model.ts';
import { peekDoc, queryKeys, usePatchDoc, useSpaceDocs } from '../api/queries.ts';
import { Link, docPath } from '../router.tsx';
import { errorMessage, useSession } from '../session.tsx';
import { DecisionBadge } from './Badges.tsx';
import { formatTime } from './format-time.ts';
import { nameOf, useUsers } from './use-users.ts';

const STATUSES: DecisionStatus[] = ['proposed', 'accepted', 'superseded', 'rejected'];

/** One link of the supersedes chain: a decision this one replaces, directly or further back. */
type ChainLink =
  | { kind: 'doc'; id: string; title: string; status: DecisionStatus | null }
  | { kind: 'hidden'; id: string };

const MAX_CHAIN = 25;

/** Follows `supersedes` from `start` until it ends, loops, or reaches a decision the reader cannot open. */
async function loadChain(queryClient: QueryClient, start: string | null | undefined, selfId: string): Promise<ChainLink[]> {
  const chain: ChainLink[] = [];
  const seen = new Set([selfId]);
  let next = start ?? null;
  while (next && !seen.has(next) && chain.length < MAX_CHAIN) {
    const id: string = next;
    seen.add(id);
    try {
      const doc = await peekDoc(queryClient, id);
      chain.push({ kind: 'doc', id: doc.id, title: doc.title, status: doc.decision?.status ?? null });
      next = doc.decision?.supersedes ?? null;
    } catch {
      chain.push({ kind: 'hidden', id });
      break;
    }
  }
  return chain;
}

/**
 * A decision record's status, owners and lineage. Editors change the status (always with a reason,
 * which becomes the revision's "why"), the owners and what the decision supersedes.
 */
export function DecisionPanel({
  doc,
  canEdit,
}: {
  doc: Doc;
  canEdit: boolean;
}) {
  const { user } = useSession();
  const users = useUsers();
  const decision = doc.decision ?? { status: 'proposed' as const, owners: [] };
  const supersedes = decision.supersedes ?? null;

  const queryClient = useQueryClient();
  const patchDoc = usePatchDoc();
  const chain =
    useQuery({
      queryKey: queryKeys.decisionChain(doc.id, supersedes),
      queryFn: () => loadChain(queryClient, supersedes, doc.id),
      enabled: supersedes !== null,
    }).data ?? null;
  const decisions = useSpaceDocs(doc.spaceId, 'decisions');
  const spaceDecisions = decisions.data ?? (decisions.isError ? [] : null);
  const [nextStatus, setNextStatus] = useState<DecisionStatus | null>(null);
  const [editingSupersedes, setEditingSupersedes] = useState(false);
  const [why, setWhy] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const supersededBy = (spaceDecisions ?? []).filter((d) => d.id !== doc.id && d.decision?.supersedes === doc.id);

  async function save(patch: DecisionPatch, message?: string) {
    setPending(true);
    setError(null);
    try {
      // The page, the tree, the decision log and this panel's lists all follow (see queries.ts).
      await patchDoc.mutateAsync({ id: doc.id, patch: { decision: patch, ...(message ? { message } : {}) } });
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setPending(false);
    }
  }

  async function submitStatus(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const message = why.trim();
    if (!nextStatus || !message) return;
    if (await save({ status: nextStatus }, message)) {
      setNextStatus(null);
      setWhy('');
    }
  }

  const ownerIds = decision.owners;
  const addable = [...users.values()].filter((u) => !ownerIds.includes(u.id));
  const supersedeCandidates = (spaceDecisions ?? []).filter(
    (d) => d.id !== doc.id && !supersededBy.some((s) => s.id === d.id),
  );

  return (
    <div className="decision-panel" data-testid="decision-panel">
      <dl className="facts">
        <dt>Status</dt>
        <dd className="status-row">
          <DecisionBadge status={decision.status} testId="decision-status" />
          {decision.decidedAt && (
            <span className="muted small-text">
              decided <time dateTime={decision.decidedAt}>{formatTime(decision.decidedAt, user.timezone)}</time>
            </span>
          )}
          {canEdit && !nextStatus && (
            <label className="inline-label">
              <span className="visually-hidden">Change the status</span>
              <select
                value=""
                disabled={pending}
                onChange={(e) => {
                  const status = e.target.value as DecisionStatus;
                  if (status && status !== decision.status) setNextStatus(status);
                }}
                data-testid="decision-status-select"
              >
                <option value="">Change status…</option>
                {STATUSES.filter((s) => s !== decision.status).map((s) => (
                  <option key={s} value={s}>
                    {s[0]!.toUpperCase() + s.slice(1)}
                  </option>
                ))}
              </select>
            </label>
          )}
        </dd>
      </dl>

      {nextStatus && (
        <form className="why-form" onSubmit={(e) => void submitStatus(e)} data-testid="decision-why-form">
          <label>
            <span>
              Why is this decision now <DecisionBadge status={nextStatus} />?
            </span>
            <textarea
              required
              rows={3}
              maxLength={1000}
              value={why}
              onChange={(e) => setWhy(e.target.value)}
              placeholder="The reason, for whoever reads this after you: what changed, who agreed."
              data-testid="decision-why"
              autoFocus
            />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={pending || !why.trim()} data-testid="decision-why-save">
              {pending ? 'Saving…' : 'Change status'}
            </button>
            <button
              type="button"
              disabled={pending}
              onClick={() => {
                setNextStatus(null);
                setWhy('');
                setError(null);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}

      <dl className="facts">
        <dt>Owners</dt>
        <dd>
          {ownerIds.length === 0 && <span className="muted">Nobody yet.</span>}
          <ul className="chips" data-testid="decision-owners">
            {ownerIds.map((id) => (
              <li key={id} className="chip" data-testid="decision-owner">
                {nameOf(users, id)}
                {canEdit && (
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={`Remove ${nameOf(users, id)} from the owners`}
                    disabled={pending}
                    onClick={() => void save({ owners: ownerIds.filter((o) => o !== id) })}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
          {canEdit && addable.length > 0 && (
            <label className="inline-label">
              <span className="visually-hidden">Add an owner</span>
              <select
                value=""
                disabled={pending}
                onChange={(e) => e.target.value && void save({ owners: [...ownerIds, e.target.value] })}
                data-testid="decision-add-owner"
              >
                <option value="">Add owner…</option>
                {addable.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} (@{u.handle})
                  </option>
                ))}
              </select>
            </label>
          )}
        </dd>

        <dt>Supersedes</dt>
        <dd data-testid="supersedes-chain">
          {!supersedes && <span className="muted">Nothing: this is the first decision on the matter.</span>}
          {supersedes && chain === null && <span className="muted">Loading…</span>}
          {supersedes && chain && (
            <ol className="chain">
              {chain.map((link) =>
                link.kind === 'doc' ? (
                  <li key={link.id} data-testid="chain-item" data-doc-id={link.id}>
                    <Link to={docPath(link.id)}>{link.title || 'Untitled'}</Link>{' '}
                    {link.status && <DecisionBadge status={link.status} />}
                  </li>
                ) : (
                  <li key={link.id} className="muted">
                    a decision you cannot open
                  </li>
                ),
              )}
            </ol>
          )}
          {canEdit && !editingSupersedes && (
            <button type="button" className="link-button small-text" onClick={() => setEditingSupersedes(true)} data-testid="decision-supersedes-edit">
              Change
            </button>
          )}
          {canEdit && editingSupersedes && (
            <label className="inline-label">
              <span className="visually-hidden">What this decision supersedes</span>
              <select
                value={supersedes ?? ''}
                disabled={pending || spaceDecisions === null}
                onChange={(e) => {
                  setEditingSupersedes(false);
                  void save({ supersedes: e.target.value || null });
                }}
                onBlur={() => setEditingSupersedes(false)}
                autoFocus
                data-testid="decision-supersedes-select"
              >
                <option value="">Nothing</option>
                {supersedes && !supersedeCandidates.some((d) => d.id === supersedes) && (
                  <option value={supersedes}>{chain?.[0]?.kind === 'doc' ? chain[0].title : 'Another decision'}</option>
                )}
                {supersedeCandidates.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.title || 'Untitled'}
                  </option>
                ))}
              </select>
            </label>
          )}
        </dd>

        <dt>Superseded by</dt>
        <dd data-testid="superseded-by">
          {spaceDecisions === null && <span className="muted">Loading…</span>}
          {spaceDecisions && supersededBy.length === 0 && <span className="muted">Nothing so far.</span>}
          {supersededBy.length > 0 && (
            <ul className="chain">
              {supersededBy.map((d) => (
                <li key={d.id} data-testid="superseded-by-item">
                  <Link to={docPath(d.id)}>{d.title || 'Untitled'}</Link>{' '}
                  {d.decision && <DecisionBadge status={d.decision.status} />}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>

      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
