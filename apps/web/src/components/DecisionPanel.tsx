import type { Doc } from '../api/model.ts';
import { DecisionLineage } from './DecisionLineage.tsx';
import { DecisionOwnersEditor } from './DecisionOwnersEditor.tsx';
import { DecisionStatusEditor } from './DecisionStatusEditor.tsx';
import { useDecisionSave } from './use-decision-save.ts';
import { useUsers } from './use-users.ts';

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
  const users = useUsers();
  const decision = doc.decision ?? { status: 'proposed' as const, owners: [] };
  const supersedes = decision.supersedes ?? null;
  const { save, pending, error, setError } = useDecisionSave(doc.id);

  return (
    <div className="decision-panel" data-testid="decision-panel">
      <DecisionStatusEditor decision={decision} canEdit={canEdit} pending={pending} save={save} clearError={() => setError(null)} />

      <dl className="facts">
        <DecisionOwnersEditor ownerIds={decision.owners} users={users} canEdit={canEdit} pending={pending} save={save} />
        <DecisionLineage doc={doc} supersedes={supersedes} canEdit={canEdit} pending={pending} save={save} />
      </dl>

      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
