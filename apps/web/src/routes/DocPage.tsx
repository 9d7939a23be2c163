import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Doc } from '../api/types.ts';
import { DecisionBadge, KindBadge } from '../components/Badges.tsx';
import { useErrorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

type State = { state: 'loading' } | { state: 'loaded'; doc: Doc } | { state: 'missing' } | { state: 'error'; message: string };

/** A document, read-only: title, kind, decision status and its Markdown as text. */
export function DocPage({ id }: { id: string }) {
  const { user } = useSession();
  const { selectSpace } = useSpaceSelection();
  const errorMessage = useErrorMessage();
  const [state, setState] = useState<State>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    api.doc(id).then(
      ({ doc }) => {
        if (!live) return;
        setState({ state: 'loaded', doc });
        selectSpace(doc.spaceId);
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
  return (
    <article className="page doc" data-testid="doc" data-doc-id={doc.id}>
      <header className="doc-head">
        <h1 data-testid="doc-title">{doc.title || 'Untitled'}</h1>
        <div className="doc-meta">
          <KindBadge kind={doc.kind} />
          {doc.decision && <DecisionBadge status={doc.decision.status} testId="doc-decision-status" />}
          <span className="muted">
            Revision {doc.revision} · updated {formatTime(doc.updatedAt, user.timezone)}
          </span>
        </div>
      </header>
      {doc.markdown.trim() ? (
        <pre className="doc-body" data-testid="doc-body">
          {doc.markdown}
        </pre>
      ) : (
        <p className="muted" data-testid="doc-body">
          This document is empty.
        </p>
      )}
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
