import { useState } from 'react';
import type { DecisionPatch } from '../api/model.ts';
import { usePatchDoc } from '../api/queries.ts';
import { errorMessage } from '../session.tsx';

/** Saves a change to a decision record, tracking whether a save is under way and the last error. */
export function useDecisionSave(docId: string) {
  const patchDoc = usePatchDoc();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(patch: DecisionPatch, message?: string) {
    setPending(true);
    setError(null);
    try {
      // The page, the tree, the decision log and this panel's lists all follow (see queries.ts).
      await patchDoc.mutateAsync({ id: docId, patch: { decision: patch, ...(message ? { message } : {}) } });
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    } finally {
      setPending(false);
    }
  }

  return { save, pending, error, setError };
}
