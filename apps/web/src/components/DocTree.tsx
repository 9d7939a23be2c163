import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { HANDOFF_TEMPLATE_MARKDOWN } from '@handoff/shared/handoff-template';
import { handoffsChanged } from '../api/handoff-queries.ts';
import type { DocSummary } from '../api/model.ts';
import { useCreateDoc } from '../api/queries.ts';
import { docPath, navigate } from '../router.tsx';
import { errorMessage } from '../session.tsx';
import { flatten, subtreeIds, type DocTree as Tree } from './doc-tree.ts';
import { NewDocForm } from './DocTreeForms.tsx';
import { TreeNode, type Creating, type NodeContext } from './DocTreeNode.tsx';
import { Modal } from './Modal.tsx';
import { TrashDocDialog } from './TrashDocDialog.tsx';
import { useDocTreeData } from './use-doc-tree-data.ts';

/**
 * The nested documents of one space: expand and collapse, open, and for editors create a page or a
 * decision record (at the top or under a document) or a handoff note (at the top), rename in place, move, and move to the trash.
 */
export function DocTree({
  spaceId,
  spaceName,
  canEdit,
  currentDocId,
}: {
  spaceId: string;
  spaceName: string;
  canEdit: boolean;
  currentDocId: string | null;
}) {
  const { list, status, docs, tree, patchDoc, expanded, expand } = useDocTreeData(spaceId, currentDocId);
  const createDoc = useCreateDoc();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState<Creating | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const [moving, setMoving] = useState<DocSummary | null>(null);
  const [trashing, setTrashing] = useState<DocSummary | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  /** Runs a change (the mutation reloads this tree and whatever else shows the document). */
  async function change(work: () => Promise<unknown>): Promise<boolean> {
    setActionError(null);
    try {
      await work();
      return true;
    } catch (err) {
      setActionError(errorMessage(err));
      return false;
    }
  }

  async function create(title: string) {
    if (!creating) return;
    const { parentId, kind } = creating;
    setActionError(null);
    try {
      // A handoff note starts from the template the server would also give it.
      const doc = await createDoc.mutateAsync({ spaceId, title, kind, parentId, ...(kind === 'handoff' ? { markdown: HANDOFF_TEMPLATE_MARKDOWN } : {}) });
      setCreating(null);
      if (kind === 'handoff') handoffsChanged(queryClient); // the log lists it; the end-of-day offer is taken
      if (parentId) expand(parentId);
      navigate(docPath(doc.id));
    } catch (err) {
      setActionError(errorMessage(err));
    }
  }

  async function rename(doc: DocSummary, title: string) {
    setRenaming(null);
    if (!title || title === doc.title) return;
    await change(() => patchDoc.mutateAsync({ id: doc.id, patch: { title } }));
  }

  const top = tree.children.get(null) ?? [];
  const ctx: NodeContext = {
    ...{ canEdit, currentDocId, expanded, expand, menuFor, setMenuFor },
    ...{ creating, setCreating, create, renaming, setRenaming, rename },
    ...{ setMoving, startTrash: setTrashing },
  };

  return (
    <div className="doc-tree" data-testid="doc-tree" data-space-id={spaceId}>
      {canEdit && <TreeToolbar onNew={(kind) => setCreating({ parentId: null, kind })} />}

      {creating?.parentId === null && (
        <NewDocForm kind={creating.kind} where={spaceName} onCreate={create} onCancel={() => setCreating(null)} />
      )}

      <ul
        className="tree-list"
        aria-label={`Documents in ${spaceName}`}
        data-testid="doc-list"
        data-state={status}
        aria-busy={status === 'loading'}
      >
        {top.map((doc) => (
          <TreeNode key={doc.id} doc={doc} tree={tree} depth={0} ctx={ctx} />
        ))}
      </ul>

      <TreeMessages
        status={status}
        empty={docs.length === 0}
        listError={list.isError ? list.error : null}
        onRetry={() => void list.refetch()}
        actionError={moving ? null : actionError}
      />

      {moving && (
        <MoveDialog
          doc={moving}
          tree={tree}
          spaceName={spaceName}
          onCancel={() => setMoving(null)}
          onMove={async (parentId) => {
            const ok = await change(() => patchDoc.mutateAsync({ id: moving.id, patch: { parentId } }));
            if (ok) {
              setMoving(null);
              if (parentId) expand(parentId);
            }
            return ok;
          }}
          error={actionError}
        />
      )}

      {trashing && (
        <TrashDocDialog doc={trashing} tree={tree} spaceId={spaceId} currentDocId={currentDocId} onClose={() => setTrashing(null)} />
      )}
    </div>
  );
}

/** The list's loading, empty and error messages, and the error of the last change. */
function TreeMessages({
  status,
  empty,
  listError,
  onRetry,
  actionError,
}: {
  status: 'loading' | 'error' | 'loaded';
  empty: boolean;
  listError: Error | null;
  onRetry: () => void;
  actionError: string | null;
}) {
  return (
    <>
      {status === 'loaded' && empty && <p className="muted small-text">No documents in this space yet.</p>}
      {status === 'loading' && empty && <p className="muted small-text">Loading…</p>}
      {listError && (
        <p role="alert" className="error small-text">
          {errorMessage(listError)}{' '}
          <button type="button" className="link-button" onClick={onRetry}>
            Try again
          </button>
        </p>
      )}
      {actionError && (
        <p role="alert" className="error small-text" data-testid="tree-error">
          {actionError}
        </p>
      )}
    </>
  );
}

/** The editors' buttons for a new page or decision record at the top of the space. */
function TreeToolbar({ onNew }: { onNew: (kind: Creating['kind']) => void }) {
  return (
    <div className="tree-toolbar">
      <button
        type="button"
        className="small"
        onClick={() => onNew('page')}
        data-testid="new-page"
      >
        + Page
      </button>
      <button
        type="button"
        className="small"
        onClick={() => onNew('decision')}
        data-testid="new-decision"
      >
        + Decision
      </button>
      <button
        type="button"
        className="small"
        onClick={() => onNew('handoff')}
        data-testid="new-handoff"
        title="A handoff note: done, next, blocked on, decisions needed, handing over to"
      >
        + Handoff
      </button>
    </div>
  );
}

function MoveDialog({
  doc,
  tree,
  spaceName,
  onMove,
  onCancel,
  error,
}: {
  doc: DocSummary;
  tree: Tree;
  spaceName: string;
  onMove: (parentId: string | null) => Promise<boolean>;
  onCancel: () => void;
  error: string | null;
}) {
  const excluded = subtreeIds(tree, doc.id);
  const options = flatten(tree).filter(({ doc: d }) => !excluded.has(d.id));
  const [target, setTarget] = useState<string>(doc.parentId ?? '');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const ok = await onMove(target || null);
    if (!ok) setPending(false);
  }

  return (
    <Modal title={`Move “${doc.title || 'Untitled'}” to…`} onClose={onCancel} testId="move-dialog">
      <form onSubmit={(e) => void submit(e)} className="modal-body">
        <label className="stacked">
          New place
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="move-select" autoFocus>
            <option value="">Top level of {spaceName}</option>
            {options.map(({ doc: d, depth }) => (
              <option key={d.id} value={d.id}>
                {'\u00a0\u00a0'.repeat(depth)}
                {depth > 0 ? '└ ' : ''}
                {d.title || 'Untitled'}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small-text">
          Everything under it moves along. A document cannot go under itself or one of its own sub-pages.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={pending || target === (doc.parentId ?? '')}
            data-testid="move-submit"
          >
            {pending ? 'Moving…' : 'Move'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
