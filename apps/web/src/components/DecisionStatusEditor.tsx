import { useState, type FormEvent } from 'react';
import type { Decision, DecisionPatch, DecisionStatus } from '../api/model.ts';
import { useSession } from '../session.tsx';
import { DecisionBadge } from './Badges.tsx';
import { formatTime } from './format-time.ts';

const STATUSES: DecisionStatus[] = ['proposed', 'accepted', 'superseded', 'rejected'];

/** A decision's status, and for editors a change of status, which always asks why. */
export function DecisionStatusEditor({
  decision,
  canEdit,
  pending,
  save,
  clearError,
}: {
  decision: Pick<Decision, 'status' | 'decidedAt'>;
  canEdit: boolean;
  pending: boolean;
  save: (patch: DecisionPatch, message?: string) => Promise<boolean>;
  clearError: () => void;
}) {
  const { user } = useSession();
  const [nextStatus, setNextStatus] = useState<DecisionStatus | null>(null);
  const [why, setWhy] = useState('');

  async function submitStatus(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const message = why.trim();
    if (!nextStatus || !message) return;
    if (await save({ status: nextStatus }, message)) {
      setNextStatus(null);
      setWhy('');
    }
  }

  return (
    <>
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
                clearError();
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}
