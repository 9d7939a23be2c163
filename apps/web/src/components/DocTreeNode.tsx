import type { DocKind, DocSummary } from '../api/model.ts';
import { Link, docPath } from '../router.tsx';
import { DecisionDot } from './Badges.tsx';
import type { DocTree as Tree } from './doc-tree.ts';
import { NewDocForm, RenameInput } from './DocTreeForms.tsx';

/** Where a new document is being named: at the top of the space or under a document. */
export type Creating = { parentId: string | null; kind: DocKind };

export interface NodeContext {
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

export function TreeNode({ doc, tree, depth, ctx }: { doc: DocSummary; tree: Tree; depth: number; ctx: NodeContext }) {
  const kids = tree.children.get(doc.id) ?? [];
  const creatingHere = ctx.creating?.parentId === doc.id;
  const open = ctx.expanded.has(doc.id) || creatingHere;
  const to = docPath(doc.id);
  const title = doc.title || 'Untitled';
  const menuOpen = ctx.menuFor === doc.id;

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

      {menuOpen && <TreeNodeMenu doc={doc} depth={depth} ctx={ctx} />}

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

/** A document's actions: new page or decision inside, rename, move, move to the trash. */
function TreeNodeMenu({ doc, depth, ctx }: { doc: DocSummary; depth: number; ctx: NodeContext }) {
  function act(run: () => void) {
    ctx.setMenuFor(null);
    run();
  }

  return (
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
  );
}
