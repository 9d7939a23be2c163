import { Suspense, lazy, useEffect, useMemo, useRef, useState } from 'react';
import type { LexicalEditor } from 'lexical';
import { ApiError } from '../api/http.ts';
import { canComment } from '../api/model.ts';
import { useDoc, useSpaces } from '../api/queries.ts';
import { CommentsController } from '../comments/comments-controller.ts';
import { CommentsSidebar } from '../comments/CommentsSidebar.tsx';
import { DecisionBadge, KindBadge } from '../components/Badges.tsx';
import { parseDiffParam } from '../components/brief/diff-link.ts';
import { DocPanels } from '../components/DocPanels.tsx';
import { DocTitle } from '../editor/DocTitle.tsx';
import { useQueryString } from '../router.tsx';
import { errorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

// The editor (Lexical, Yjs, Prism) is its own chunk: the shell and lists load without it.
const loadEditor = () => import('../editor/Editor.tsx').then((m) => ({ default: m.Editor }));
const Editor = lazy(loadEditor);

/**
 * A document: its title, kind and decision status, the live editor, and the panels beside it.
 * What it needs arrives in parallel: the document's metadata, the caller's spaces (their role
 * decides whether the editor is writable; the sidebar has asked for them already) and the
 * editor's code. The body reaches the editor through the collaboration socket.
 */
export function DocPage({ id }: { id: string }) {
  const { user } = useSession();
  const { selectSpace } = useSpaceSelection();
  const query = useDoc(id);
  const spaces = useSpaces();
  const editorRef = useRef<LexicalEditor | null>(null);
  const queryString = useQueryString();
  // `?diff=a..b` (a brief's "See the changes"): the History panel opens on exactly that diff.
  const diff = parseDiffParam(queryString);
  // `?thread=<id>` ("Waiting on you", a brief): that thread in focus, its text scrolled into view.
  const threadParam = new URLSearchParams(queryString).get('thread');
  const [comments] = useState(() => new CommentsController());
  useEffect(() => {
    if (threadParam) comments.select(threadParam, { reveal: true, focusCard: true });
  }, [threadParam, comments]);

  useEffect(() => {
    void loadEditor(); // start downloading the editor while the document loads
  }, []);

  const spaceId = query.data?.spaceId ?? null;
  useEffect(() => {
    if (spaceId) selectSpace(spaceId);
  }, [spaceId, selectSpace]);

  // Readers may comment unless the space says editors only (the server decides; this explains).
  const space = spaces.data?.find((s) => s.id === spaceId) ?? null;
  const restriction = space && !canComment(space.role, space) ? 'Only editors may comment in this space.' : null;
  const editorComments = useMemo(() => ({ controller: comments, restriction }), [comments, restriction]);

  if (query.isPending) {
    return (
      <p className="page muted" data-testid="doc-loading">
        Loading…
      </p>
    );
  }
  if (query.isError && query.error instanceof ApiError && query.error.status === 404) {
    return (
      <section className="page" data-testid="doc-error">
        <h1>Document not found</h1>
        <p className="muted">It may have been moved to the trash, or you may not have access to it.</p>
      </section>
    );
  }
  if (query.isError) {
    return (
      <section className="page" role="alert" data-testid="doc-error">
        <h1>Could not open this document</h1>
        <p>{errorMessage(query.error)}</p>
      </section>
    );
  }

  const doc = query.data;
  // The caller's role in the document's space; read-only while unknown or when it cannot be read.
  const spaceRole = spaces.data?.find((s) => s.id === doc.spaceId)?.role ?? null;
  const roleKnown = !spaces.isPending;
  const canEdit = spaceRole === 'editor' || spaceRole === 'admin';

  return (
    <article className="page doc doc-page" data-testid="doc" data-doc-id={doc.id}>
      <header className="doc-head">
        <DocTitle doc={doc} editable={canEdit} onDone={() => editorRef.current?.focus()} />
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
          {!roleKnown ? (
            <p className="muted">Loading…</p>
          ) : (
            <Suspense fallback={<p className="muted">Loading the editor…</p>}>
              <Editor docId={doc.id} user={user} canEdit={canEdit} editorRef={editorRef} comments={editorComments} />
            </Suspense>
          )}
        </div>
        <aside className="doc-side">
          <CommentsSidebar docId={doc.id} controller={comments} restriction={restriction} />
          <DocPanels doc={doc} role={spaceRole} diff={diff} />
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
