import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { HANDOFF_TEMPLATE_MARKDOWN } from '@handoff/shared/handoff-template';
import { handoffsChanged, type HandoffDraftResponse } from '../../api/handoff-queries.ts';
import { canEdit, type Space } from '../../api/model.ts';
import { useCreateDoc } from '../../api/queries.ts';
import { docPath, navigate } from '../../router.tsx';
import { errorMessage } from '../../session.tsx';
import { handoffTitle } from '../DocTreeForms.tsx';

/** The space a new handoff note goes to: the preferred one if the caller may write there, else the first she may. */
export function handoffSpace(spaces: readonly Space[] | null, preferred: string | null): Space | null {
  const writable = (spaces ?? []).filter((s) => canEdit(s.role, s));
  return writable.find((s) => s.id === preferred) ?? writable[0] ?? null;
}

/**
 * Writes today's handoff note (from the server's draft when there is one, else the template) in a
 * space and opens it.
 */
export function useWriteHandoff() {
  const createDoc = useCreateDoc();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);

  async function write(space: Space, draft: HandoffDraftResponse['draft'] | undefined) {
    setError(null);
    try {
      const doc = await createDoc.mutateAsync({
        spaceId: space.id,
        kind: 'handoff',
        title: draft?.title ?? handoffTitle(new Date()),
        markdown: draft?.markdown ?? HANDOFF_TEMPLATE_MARKDOWN,
        handoff: { to: draft?.to ?? [] },
      });
      handoffsChanged(queryClient);
      navigate(docPath(doc.id));
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    }
  }

  return { write, pending: createDoc.isPending, error };
}
