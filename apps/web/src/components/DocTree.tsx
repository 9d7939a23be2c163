import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DocKind, DocSummary } from '../api/model.ts';
import { queryKeys, useCreateDoc, usePatchDoc, useSpaceDocs, useTrashDoc } from '../api/queries.ts';
import { Link, docPath, navigate, trashPath } from '../router.tsx';
import { errorMessage } from '../session.tsx';
import { DecisionDot } from './Badges.tsx';
import { ancestorIds, buildTree, flatten, subtreeIds, type DocTree as Tree } from './doc-tree.ts';
import { ConfirmDialog, Modal } from './Modal.tsx';

/** Where a new document is being named: at the top of the space or under a document. */
type Creating = { parentId: string | null; kind: DocKind };

/**
 * The nested documents of one space: expand and collapse, open, and for editors create a page or a
 * decision record (at the top or under a document), rename in place, move, and move to the trash.
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
  const queryClient = useQueryClient();
  const list = useSpaceDocs(spaceId, 'live');
  const createDoc = useCreateDoc();
  const patchDoc = usePatchDoc();
  const trashDoc = useTrashDoc();
  const status = list.isPending ? 'loading' : list.isError ? 'error' : 'loaded';
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [creating, setCreating] = useState<Creating | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const [moving, setMoving] = useState<DocSummary | null>(null);
  const [trashing, setTrashing] = useState<{ doc: DocSummary; pending: boolean; error: string | null } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  // Opening another document is a good moment to pick up what others changed (titles, new pages).
  const opened = useRef(currentDocId);
  useEffect(() => {
    if (opened.current === currentDocId) return;
    opened.current = currentDocId;
    void queryClient.invalidateQueries({ queryKey: queryKeys.spaceDocList(spaceId, 'live') });
  }, [currentDocId, spaceId, queryClient]);

  // A rename shows at once; the list that reloads after it confirms it (or puts the old one back).
  const renamed = patchDoc.isPending && patchDoc.variables.patch.title !== undefined ? patchDoc.variables : null;
  const docs = useMemo(() => {
    const all = list.data ?? [];
    return renamed ? all.map((d) => (d.id === renamed.id ? { ...d, title: renamed.patch.title ?? d.title } : d)) : all;
  }, [list.data, renamed]);
  const tree = useMemo(() => buildTree(docs), [docs]);

  // Open the way down to the document being read.
  useEffect(() => {
    if (!currentDocId || !tree.byId.has(currentDocId)) return;
    const above = ancestorIds(tree, currentDocId);
    setExpanded((open) => (above.every((id) => open.has(id)) ? open : new Set([...open, ...above])));
  }, [currentDocId, tree]);

  function expand(id: string, open = true) {
    setExpanded((current) => {
      const next = new Set(current);
      if (open) next.add(id);
      else next.delete(id);
      return next;
    });
  }

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
      const doc = await createDoc.mutateAsync({ spaceId, title, kind, parentId });
      setCreating(null);
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

  async function trash() {
    if (!trashing) return;
    const { doc } = trashing;
    const gone = subtreeIds(tree, doc.id);
    setTrashing({ doc, pending: true, error: null });
    try {
      await trashDoc.mutateAsync(doc);
      setTrashing(null);
      if (currentDocId && gone.has(currentDocId)) navigate(trashPath(spaceId));
    } catch (err) {
      setTrashing({ doc, pending: false, error: errorMessage(err) });
    }
  }

  const top = tree.children.get(null) ?? [];

  return (
    <div className="doc-tree" data-testid="doc-tree" data-space-id={spaceId}>
      {canEdit && (
        <div className="tree-toolbar">
          <button
            type="button"
            className="small"
            onClick={() => setCreating({ parentId: null, kind: 'page' })}
            data-testid="new-page"
          >
            + Page
          </button>
          <button
            type="button"
            className="small"
            onClick={() => setCreating({ parentId: null, kind: 'decision' })}
            data-testid="new-decision"
          >
            + Decision
          </button>
        </div>
      )}

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
          <TreeNode
            key={doc.id}
            doc={doc}
            tree={tree}
            depth={0}
            ctx={{
              canEdit,
              currentDocId,
              expanded,
              expand,
              creating,
              setCreating,
              renaming,
              setRenaming,
              menuFor,
              setMenuFor,
              create,
              rename,
              setMoving,
              startTrash: (d) => setTrashing({ doc: d, pending: false, error: null }),
            }}
          />
        ))}
      </ul>

      {status === 'loaded' && docs.length === 0 && <p className="muted small-text">No documents in this space yet.</p>}
      {status === 'loading' && docs.length === 0 && <p className="muted small-text">Loading…</p>}
      {list.isError && (
        <p role="alert" className="error small-text">
          {errorMessage(list.error)}{' '}
          <button type="button" className="link-button" onClick={() => void list.refetch()}>
            Try again
          </button>
        </p>
      )}
      {actionError && !moving && (
        <p role="alert" className="error small-text" data-testid="tree-error">
          {actionError}
        </p>
      )}

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
        <ConfirmDialog
          title="Move to the trash?"
          message={
            <p>
              “{trashing.doc.title || 'Untitled'}”
              {subtreeIds(tree, trashing.doc.id).size > 1 &&
                ` and the ${subtreeIds(tree, trashing.doc.id).size - 1} documents under it`}{' '}
              will move to this space’s trash. You can restore {subtreeIds(tree, trashing.doc.id).size > 1 ? 'them' : 'it'}{' '}
              from there.
            </p>
          }
          confirmLabel="Move to trash"
          danger
          pending={trashing.pending}
          error={trashing.error}
          onConfirm={() => void trash()}
          onCancel={() => setTrashing(null)}
        />
      )}
    </div>
  );
}

interface NodeContext {
  canEdit: boolean;
  currentDocId: string | null;
  expanded: ReadonlySet<string>;
  expand: (id: string, open?: boolean) => void;
  creating: Creating | null;
  setCreating: (c: Creating | null) => void;
  renaming: string | null;
  setRenaming: (id: string | null) => void;
  menuFor: string | null;
  setMenuFor: (id: string | null) => void;
  create: (title: string) => Promise<void>;
  rename: (doc: DocSummary, title: string) => Promise<void>;
  setMoving: (doc: DocSummary) => void;
  startTrash: (doc: DocSummary) => void;
}

function TreeNode({ doc, tree, depth, ctx }: { doc: DocSummary; tree: Tree; depth: number; ctx: NodeContext }) {
  const kids = tree.children.get(doc.id) ?? [];
  const creatingHere = ctx.creating?.parentId === doc.id;
  const open = ctx.expanded.has(doc.id) || creatingHere;
  const to = docPath(doc.id);
  const title = doc.title || 'Untitled';
  const menuOpen = ctx.menuFor === doc.id;

  function act(run: () => void) {
    ctx.setMenuFor(null);
    run();
  }

  return (
    <li className="tree-node" data-testid="tree-node" data-doc-id={doc.id} data-title={doc.title}>
      <div className="tree-row" style={{ paddingLeft: `${depth * 0.9}rem` }}>
        {kids.length > 0 ? (
          <button
            type="button"
            className="tree-caret"
            aria-expanded={open}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${title}`}
            onClick={() => ctx.expand(doc.id, !open)}
            data-testid="tree-toggle"
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree-caret-spacer" aria-hidden="true" />
        )}

        {ctx.renaming === doc.id ? (
          <RenameInput title={doc.title} onDone={(value) => void ctx.rename(doc, value)} onCancel={() => ctx.setRenaming(null)} />
        ) : (
          <Link
            to={to}
            className="nav-item tree-link"
            data-testid="doc-item"
            data-doc-id={doc.id}
            data-kind={doc.kind}
            aria-current={ctx.currentDocId === doc.id ? 'page' : undefined}
            title={title}
            onDoubleClick={ctx.canEdit ? () => ctx.setRenaming(doc.id) : undefined}
          >
            <span className="nav-title">{title}</span>
            {doc.decision && <DecisionDot status={doc.decision.status} />}
          </Link>
        )}

        {ctx.canEdit && ctx.renaming !== doc.id && (
          <button
            type="button"
            className="tree-menu-button"
            aria-label={`Actions for ${title}`}
            aria-expanded={menuOpen}
            onClick={() => ctx.setMenuFor(menuOpen ? null : doc.id)}
            data-testid="doc-menu-button"
          >
            <span aria-hidden="true">⋯</span>
          </button>
        )}
      </div>

      {menuOpen && (
        <ul
          className="tree-menu"
          style={{ marginLeft: `${depth * 0.9 + 1.4}rem` }}
          onKeyDown={(e) => e.key === 'Escape' && ctx.setMenuFor(null)}
          data-testid="doc-menu"
        >
          <li>
            <button type="button" onClick={() => act(() => ctx.setCreating({ parentId: doc.id, kind: 'page' }))} data-testid="doc-action-new-page">
              New page inside
            </button>
          </li>
          <li>
            <button
              type="button"
              onClick={() => act(() => ctx.setCreating({ parentId: doc.id, kind: 'decision' }))}
              data-testid="doc-action-new-decision"
            >
              New decision inside
            </button>
          </li>
          <li>
            <button type="button" onClick={() => act(() => ctx.setRenaming(doc.id))} data-testid="doc-action-rename">
              Rename
            </button>
          </li>
          <li>
            <button type="button" onClick={() => act(() => ctx.setMoving(doc))} data-testid="doc-action-move">
              Move to…
            </button>
          </li>
          <li>
            <button type="button" className="danger-text" onClick={() => act(() => ctx.startTrash(doc))} data-testid="doc-action-trash">
              Move to trash
            </button>
          </li>
        </ul>
      )}

      {open && (kids.length > 0 || creatingHere) && (
        <ul className="tree-list" role="group" aria-label={`Inside ${title}`}>
          {creatingHere && ctx.creating && (
            <li style={{ paddingLeft: `${(depth + 1) * 0.9}rem` }}>
              <NewDocForm kind={ctx.creating.kind} where={title} onCreate={ctx.create} onCancel={() => ctx.setCreating(null)} />
            </li>
          )}
          {kids.map((kid) => (
            <TreeNode key={kid.id} doc={kid} tree={tree} depth={depth + 1} ctx={ctx} />
          ))}
        </ul>
      )}
    </li>
  );
}

function NewDocForm({
  kind,
  where,
  onCreate,
  onCancel,
}: {
  kind: DocKind;
  where: string;
  onCreate: (title: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState('');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = title.trim();
    if (!value) return;
    setPending(true);
    await onCreate(value);
    setPending(false);
  }

  const what = kind === 'decision' ? 'decision record' : 'page';
  return (
    <form className="tree-form" onSubmit={(e) => void submit(e)} data-testid="new-doc-form">
      <label className="visually-hidden" htmlFor={`new-doc-${where}`}>
        Title of the new {what} in {where}
      </label>
      <input
        id={`new-doc-${where}`}
        autoFocus
        required
        maxLength={300}
        value={title}
        placeholder={kind === 'decision' ? 'ADR-004: …' : 'Page title'}
        onChange={(e) => setTitle(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        disabled={pending}
        data-testid="new-doc-title"
      />
      <div className="row">
        <button type="submit" className="primary small" disabled={pending || !title.trim()} data-testid="new-doc-submit">
          Create {what}
        </button>
        <button type="button" className="small" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RenameInput({ title, onDone, onCancel }: { title: string; onDone: (title: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState(title);
  const finished = useRef(false);

  function finish(save: boolean) {
    if (finished.current) return; // Enter, then the blur that follows
    finished.current = true;
    if (save) onDone(value.trim());
    else onCancel();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      finish(true);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      finish(false);
    }
  }

  return (
    <input
      className="tree-rename"
      aria-label={`New title for ${title || 'Untitled'} (Enter to save, Escape to cancel)`}
      autoFocus
      maxLength={300}
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => finish(true)}
      onFocus={(e) => e.target.select()}
      data-testid="rename-input"
    />
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
