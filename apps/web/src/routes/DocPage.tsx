import { Suspense, lazy, useEffect, useRef, useState } from 'react';
import type { LexicalEditor } from 'lexical';
import { ApiError, api } from '../api/client.ts';
import type { Doc } from '../api/types.ts';
import { DecisionBadge, KindBadge } from '../components/Badges.tsx';
import { parseDiffParam } from '../components/brief/diff-link.ts';
import { DocPanels } from '../components/DocPanels.tsx';
import { DocTitle } from '../editor/DocTitle.tsx';
import { loadSpaceRole, type SpaceRole } from '../editor/editor-api.ts';
import { useQueryString } from '../router.tsx';
import { useErrorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

// The editor (Lexical, Yjs, Prism) is its own chunk: the shell and lists load without it.
const Editor = lazy(() => import('../editor/Editor.tsx').then((m) => ({ default: m.Editor })));

type State = { state: 'loading' } | { state: 'loaded'; doc: Doc } | { state: 'missing' } | { state: 'error'; message: string };

/** The caller's role in the document's space: null while loading, 'none' when it could not be read. */
type RoleState = SpaceRole | 'none' | null;

/** A document: its title, kind and decision status, the live editor, and the panels beside it. */
export function DocPage({ id }: { id: string }) {
  const { user } = useSession();
  const { selectSpace } = useSpaceSelection();
  const errorMessage = useErrorMessage();
  const [state, setState] = useState<State>({ state: 'loading' });
  const [role, setRole] = useState<RoleState>(null);
  const editorRef = useRef<LexicalEditor | null>(null);
  // `?diff=a..b` (a brief's "See the changes"): the History panel opens on exactly that diff.
  const diff = parseDiffParam(useQueryString());

  useEffect(() => {
    let live = true;
    api.doc(id).then(
      ({ doc }) => {
        if (!live) return;
        setState({ state: 'loaded', doc });
        selectSpace(doc.spaceId);
        loadSpaceRole(doc.spaceId).then(
          (r) => live && setRole(r ?? 'none'),
          (err: unknown) => {
            if (!live) return;
            errorMessage(err); // a 401 ends the session
            setRole('none'); // read-only when in doubt
          },
        );
      },
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 404) setState({ state: 'missing' });
        else setState({ state: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
    // Loaded once: the page is keyed by the document id.
  }, []);

  if (state.state === 'loading') {
    return (
      <p className="page muted" data-testid="doc-loading">
        Loading…
      </p>
    );
  }
  if (state.state === 'missing') {
    return (
      <section className="page" data-testid="doc-error">
        <h1>Document not found</h1>
        <p className="muted">It may have been moved to the trash, or you may not have access to it.</p>
      </section>
    );
  }
  if (state.state === 'error') {
    return (
      <section className="page" role="alert" data-testid="doc-error">
        <h1>Could not open this document</h1>
        <p>{state.message}</p>
      </section>
    );
  }

  const { doc } = state;
  const spaceRole = role === null || role === 'none' ? null : role;
  const canEdit = spaceRole === 'editor' || spaceRole === 'admin';
  const setDoc = (next: Doc) => setState({ state: 'loaded', doc: next });

  return (
    <article className="page doc doc-page" data-testid="doc" data-doc-id={doc.id}>
      <header className="doc-head">
        <DocTitle
          doc={doc}
          editable={canEdit}
          onRenamed={setDoc}
          onDone={() => editorRef.current?.focus()}
        />
        <div className="doc-meta">
          <KindBadge kind={doc.kind} />
          {doc.decision ? (
            <DecisionBadge status={doc.decision.status} testId="doc-decision-status" />
          ) : (
            doc.kind === 'decision' && (
              <span className="badge" data-testid="doc-decision-status" data-status="none">
                No status yet
              </span>
            )
          )}
          <span className="muted">
            Revision {doc.revision} · updated {formatTime(doc.updatedAt, user.timezone)}
          </span>
        </div>
      </header>
      <div className="doc-layout">
        <div className="doc-main" data-testid="doc-body">
          {role === null ? (
            <p className="muted">Loading…</p>
          ) : (
            <Suspense fallback={<p className="muted">Loading the editor…</p>}>
              <Editor docId={doc.id} user={user} canEdit={canEdit} editorRef={editorRef} />
            </Suspense>
          )}
        </div>
        <aside className="doc-side">
          <DocPanels doc={doc} role={spaceRole} onDocChange={setDoc} diff={diff} />
        </aside>
      </div>
    </article>
  );
}

/** An ISO time in the reader's own time zone (the browser's if the profile's is unknown). */
function formatTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return date.toLocaleString(undefined, { ...options, timeZone });
  } catch {
    return date.toLocaleString(undefined, options);
  }
}
