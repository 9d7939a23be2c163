import { useState } from 'react';
import type { DocSummary } from '../api/model.ts';
import { useTrashDoc } from '../api/queries.ts';
import { navigate, trashPath } from '../router.tsx';
import { errorMessage } from '../session.tsx';
import { subtreeIds, type DocTree as Tree } from './doc-tree.ts';
import { ConfirmDialog } from './Modal.tsx';

/** Asks before moving a document (and everything under it) to the space's trash, then does it. */
export function TrashDocDialog({
  doc,
  tree,
  spaceId,
  currentDocId,
  onClose,
}: {
  doc: DocSummary;
  tree: Tree;
  spaceId: string;
  currentDocId: string | null;
  onClose: () => void;
}) {
  const trashDoc = useTrashDoc();
  const [state, setState] = useState<{ pending: boolean; error: string | null }>({ pending: false, error: null });

  async function trash() {
    const gone = subtreeIds(tree, doc.id);
    setState({ pending: true, error: null });
    try {
      await trashDoc.mutateAsync(doc);
      onClose();
      if (currentDocId && gone.has(currentDocId)) navigate(trashPath(spaceId));
    } catch (err) {
      setState({ pending: false, error: errorMessage(err) });
    }
  }

  return (
    <ConfirmDialog
      title="Move to the trash?"
      message={
        <p>
          “{doc.title || 'Untitled'}”
          {subtreeIds(tree, doc.id).size > 1 &&
            ` and the ${subtreeIds(tree, doc.id).size - 1} documents under it`}{' '}
          will move to this space’s trash. You can restore {subtreeIds(tree, doc.id).size > 1 ? 'them' : 'it'}{' '}
          from there.
        </p>
      }
      confirmLabel="Move to trash"
      danger
      pending={state.pending}
      error={state.error}
      onConfirm={() => void trash()}
      onCancel={onClose}
    />
  );
}
