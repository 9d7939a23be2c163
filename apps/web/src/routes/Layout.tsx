import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client.ts';
import type { DocSummary, Space } from '../api/types.ts';
import { DecisionBadge } from '../components/Badges.tsx';
import { Link, docPath, usePath } from '../router.tsx';
import { useErrorMessage, useSession } from '../session.tsx';

interface SpaceSelection {
  spaces: Space[] | null;
  selectedSpaceId: string | null;
  selectSpace: (id: string) => void;
}

const SpaceSelectionContext = createContext<SpaceSelection>({
  spaces: null,
  selectedSpaceId: null,
  selectSpace: () => {},
});

/** The spaces in the sidebar and the one whose documents it lists. */
export function useSpaceSelection(): SpaceSelection {
  return useContext(SpaceSelectionContext);
}

type Load<T> = { state: 'loading' } | { state: 'loaded'; value: T } | { state: 'error'; message: string };

/** The signed-in frame: a sidebar with the spaces and the selected space's documents, and the page. */
export function Layout({ children }: { children: ReactNode }) {
  const { user, signedOut } = useSession();
  const errorMessage = useErrorMessage();
  const [spaces, setSpaces] = useState<Load<Space[]>>({ state: 'loading' });
  const [selectedSpaceId, setSelectedSpaceId] = useState<string | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const [logoutError, setLogoutError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.spaces().then(
      ({ spaces }) => {
        if (!live) return;
        setSpaces({ state: 'loaded', value: spaces });
        setSelectedSpaceId((current) => current ?? spaces[0]?.id ?? null);
      },
      (err: unknown) => live && setSpaces({ state: 'error', message: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
    // Loaded once per sign-in: the layout is remounted when the user changes.
  }, []);

  async function logOut() {
    setLoggingOut(true);
    setLogoutError(null);
    try {
      await api.logout();
      signedOut();
    } catch (err) {
      setLogoutError(errorMessage(err));
      setLoggingOut(false);
    }
  }

  const selection: SpaceSelection = {
    spaces: spaces.state === 'loaded' ? spaces.value : null,
    selectedSpaceId,
    selectSpace: setSelectedSpaceId,
  };

  return (
    <SpaceSelectionContext.Provider value={selection}>
      <div className="shell">
        <aside className="sidebar" data-testid="sidebar">
          <div className="sidebar-head">
            <Link to="/" className="brand">
              Handoff
            </Link>
          </div>

          <nav aria-label="Spaces" className="sidebar-section">
            <h2>Spaces</h2>
            {spaces.state === 'loading' && <p className="muted">Loading…</p>}
            {spaces.state === 'error' && (
              <p role="alert" className="error">
                {spaces.message}
              </p>
            )}
            {spaces.state === 'loaded' && spaces.value.length === 0 && <p className="muted">No spaces yet.</p>}
            {spaces.state === 'loaded' && spaces.value.length > 0 && (
              <ul className="nav-list" data-testid="space-list">
                {spaces.value.map((space) => (
                  <li key={space.id}>
                    <button
                      type="button"
                      className="nav-item"
                      data-testid="space-item"
                      data-space-id={space.id}
                      aria-pressed={space.id === selectedSpaceId}
                      onClick={() => setSelectedSpaceId(space.id)}
                    >
                      {space.name}
                      {space.private && <span className="muted"> · private</span>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </nav>

          {selectedSpaceId && <DocList key={selectedSpaceId} spaceId={selectedSpaceId} />}

          <div className="sidebar-foot">
            <span className="who" data-testid="current-user" title={user.email}>
              {user.name} <span className="muted">@{user.handle}</span>
            </span>
            <button type="button" data-testid="logout-button" onClick={() => void logOut()} disabled={loggingOut}>
              Log out
            </button>
            {logoutError && (
              <p role="alert" className="error">
                {logoutError}
              </p>
            )}
          </div>
        </aside>

        <main className="main">{children}</main>
      </div>
    </SpaceSelectionContext.Provider>
  );
}

/** The documents of one space, newest pages as the server orders them, with "load more". */
function DocList({ spaceId }: { spaceId: string }) {
  const errorMessage = useErrorMessage();
  const path = usePath();
  const [docs, setDocs] = useState<DocSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<Load<null>>({ state: 'loading' });

  async function load(after?: string) {
    setStatus({ state: 'loading' });
    try {
      const page = await api.docs(spaceId, after);
      setDocs((current) => (after ? [...current, ...page.docs] : page.docs));
      setCursor(page.nextCursor);
      setStatus({ state: 'loaded', value: null });
    } catch (err) {
      setStatus({ state: 'error', message: errorMessage(err) });
    }
  }

  useEffect(() => {
    void load();
    // Loaded once: the list is keyed by its space.
  }, []);

  return (
    <nav aria-label="Documents" className="sidebar-section">
      <h2>Documents</h2>
      <ul
        className="nav-list"
        data-testid="doc-list"
        data-state={status.state}
        aria-busy={status.state === 'loading'}
      >
        {docs.map((doc) => {
          const to = docPath(doc.id);
          return (
            <li key={doc.id}>
              <Link
                to={to}
                className="nav-item"
                data-testid="doc-item"
                data-doc-id={doc.id}
                aria-current={path === to ? 'page' : undefined}
              >
                <span className="nav-title">{doc.title || 'Untitled'}</span>
                {doc.decision && <DecisionBadge status={doc.decision.status} />}
              </Link>
            </li>
          );
        })}
      </ul>
      {status.state === 'loaded' && docs.length === 0 && <p className="muted">No documents in this space yet.</p>}
      {status.state === 'loading' && <p className="muted">Loading…</p>}
      {status.state === 'error' && (
        <p role="alert" className="error">
          {status.message}
        </p>
      )}
      {status.state === 'loaded' && cursor && (
        <button type="button" className="link-button" onClick={() => void load(cursor)}>
          Load more
        </button>
      )}
    </nav>
  );
}
