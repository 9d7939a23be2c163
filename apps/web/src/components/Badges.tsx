import type { DecisionStatus, DocKind } from '../api/model.ts';

export function KindBadge({ kind }: { kind: DocKind }) {
  return (
    <span className="badge" data-testid="doc-kind" data-kind={kind}>
      {kind === 'decision' ? 'Decision' : 'Page'}
    </span>
  );
}

const STATUS_LABEL: Record<DecisionStatus, string> = {
  proposed: 'Proposed',
  accepted: 'Accepted',
  superseded: 'Superseded',
  rejected: 'Rejected',
};

export function DecisionBadge({ status, testId }: { status: DecisionStatus; testId?: string }) {
  return (
    <span className={`badge status-${status}`} data-testid={testId} data-status={status}>
      {STATUS_LABEL[status] ?? status}
    </span>
  );
}

/** A status as a coloured dot with its name for screen readers and on hover (narrow places: the tree). */
export function DecisionDot({ status }: { status: DecisionStatus }) {
  const label = STATUS_LABEL[status] ?? status;
  return (
    <span className={`status-dot status-${status}`} data-status={status} title={label}>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
