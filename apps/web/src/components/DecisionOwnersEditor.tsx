import type { DecisionPatch, PublicUser } from '../api/model.ts';
import { nameOf } from './use-users.ts';

/** The "Owners" entry of a decision's facts: who owns it, and for editors adding and removing owners. */
export function DecisionOwnersEditor({
  ownerIds,
  users,
  canEdit,
  pending,
  save,
}: {
  ownerIds: string[];
  users: Map<string, PublicUser>;
  canEdit: boolean;
  pending: boolean;
  save: (patch: DecisionPatch) => Promise<boolean>;
}) {
  const addable = [...users.values()].filter((u) => !ownerIds.includes(u.id));
  return (
    <>
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
    </>
  );
}
