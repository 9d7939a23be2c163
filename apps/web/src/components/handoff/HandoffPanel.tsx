import { useState } from 'react';
import type { Doc } from '../../api/model.ts';
import { usePatchDoc, useSpaces } from '../../api/queries.ts';
import { errorMessage } from '../../session.tsx';
import { nameOf, useUsers } from '../use-users.ts';
import { recipientLabel } from './recipients.ts';

/**
 * A handoff note's "Handing over to": the people and spaces it is addressed to (their next brief
 * leads with it). Editors add and remove recipients; each change replaces the list on the server.
 */
export function HandoffPanel({ doc, canEdit }: { doc: Doc; canEdit: boolean }) {
  const users = useUsers();
  const spaces = useSpaces().data ?? [];
  const patchDoc = usePatchDoc();
  const [error, setError] = useState<string | null>(null);
  const to = doc.handoff?.to ?? [];
  const pending = patchDoc.isPending;

  async function save(next: string[]) {
    setError(null);
    try {
      await patchDoc.mutateAsync({ id: doc.id, patch: { handoff: { to: next } } });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  const people = [...users.values()].filter((u) => !to.includes(u.id));
  const addableSpaces = spaces.filter((s) => !to.includes(`space:${s.id}`));
  return (
    <div className="handoff-panel" data-testid="handoff-panel">
      <dl className="facts">
        <dt>Handing over to</dt>
        <dd>
          {to.length === 0 && <span className="muted">Nobody yet: add the people or spaces who pick up from here.</span>}
          <ul className="chips" data-testid="handoff-recipients">
            {to.map((r) => {
              const label = recipientLabel(r, users, spaces);
              return (
                <li key={r} className="chip" data-testid="handoff-recipient" data-recipient={r}>
                  {label}
                  {canEdit && (
                    <button type="button" className="chip-remove" aria-label={`Remove ${label}`} disabled={pending} onClick={() => void save(to.filter((x) => x !== r))}>
                      ×
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          {canEdit && (
            <span className="row">
              {people.length > 0 && (
                <label className="inline-label">
                  <span className="visually-hidden">Hand over to a person</span>
                  <select value="" disabled={pending} onChange={(e) => e.target.value && void save([...to, e.target.value])} data-testid="handoff-add-person">
                    <option value="">Add person…</option>
                    {people.map((u) => (
                      <option key={u.id} value={u.id}>
                        {nameOf(users, u.id)} (@{u.handle})
                      </option>
                    ))}
                  </select>
                </label>
              )}
              {addableSpaces.length > 0 && (
                <label className="inline-label">
                  <span className="visually-hidden">Hand over to everyone in a space</span>
                  <select value="" disabled={pending} onChange={(e) => e.target.value && void save([...to, `space:${e.target.value}`])} data-testid="handoff-add-space">
                    <option value="">Add space…</option>
                    {addableSpaces.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
            </span>
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
