import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { canEdit, type Space } from '../api/model.ts';
import { useCreateSpace, useLogout, useSpaces } from '../api/queries.ts';
import { WaitingLink } from '../comments/WaitingLink.tsx';
import { HandoffBanner } from '../components/handoff/HandoffBanner.tsx';
import { CatchUpDot, CatchUpLink } from '../components/brief/CatchUpLink.tsx';
import { DocTree } from '../components/DocTree.tsx';
import { SearchButton, useSearchShortcut } from '../components/search/SearchButton.tsx';
import { SearchPalette } from '../components/search/SearchPalette.tsx';
import { describeError } from '../components/describe-error.ts';
import { DeliveryNotices } from '../components/settings/DeliveryNotices.tsx';
import { WatchToggle } from '../components/WatchToggle.tsx';
import { Link, decisionLogPath, matchRoute, trashPath, usePath } from '../router.tsx';
import { errorMessage, useSession } from '../session.tsx';

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

/** The spaces in the sidebar and the one whose documents it shows. */
export function useSpaceSelection(): SpaceSelection {
  return useContext(SpaceSelectionContext);
}

/**
 * The signed-in frame: a sidebar with the spaces, the selected space's document tree and its
 * decision log and trash, and the page. At phone width the sidebar hides behind a menu button.
 */
export function Layout({ children }: { children: ReactNode }) {
  const { user, signedOut } = useSession();
  const path = usePath();
  const route = matchRoute(path);
  const spaces = useSpaces();
  const logout = useLogout();
  const [chosenSpaceId, setSelectedSpaceId] = useState<string | null>(null);
  const [creatingSpace, setCreatingSpace] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const [searchOpen, setSearchOpen] = useState(false);
  const list = spaces.data ?? null;
  // Until someone picks one, the first space is open.
  const selectedSpaceId = chosenSpaceId ?? list?.[0]?.id ?? null;

  // A space page selects its space; any navigation closes the phone menu.
  const routeSpaceId = route.name === 'decision-log' || route.name === 'trash' ? route.spaceId : null;
  useEffect(() => {
    if (routeSpaceId) setSelectedSpaceId(routeSpaceId);
  }, [routeSpaceId]);
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => setSearchOpen(false), [path]);
  const openSearch = useCallback(() => {
    setMenuOpen(false);
    setSearchOpen(true);
  }, []);
  useSearchShortcut(() => (searchOpen ? setSearchOpen(false) : openSearch()));
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setMenuOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  function logOut() {
    logout.mutate(undefined, { onSuccess: signedOut });
  }
  const logoutError = logout.isError ? errorMessage(logout.error) : null;
  const selection: SpaceSelection = { spaces: list, selectedSpaceId, selectSpace: setSelectedSpaceId };
  const currentDocId = route.name === 'doc' ? route.id : null;

  return (
    <SpaceSelectionContext.Provider value={selection}>
      <div className="shell" data-menu-open={menuOpen}>
        <header className="topbar">
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="sidebar"
            onClick={() => setMenuOpen((open) => !open)}
            data-testid="menu-button"
          >
            <span aria-hidden="true">☰</span> Menu
            <CatchUpDot />
          </button>
          <Link to="/" className="brand">
            Handoff
          </Link>
          <SearchButton compact onClick={openSearch} />
        </header>
        {menuOpen && (
          <button
            type="button"
            className="backdrop"
            aria-label="Close the menu"
            tabIndex={-1}
            onClick={() => setMenuOpen(false)}
          />
        )}

        <aside id="sidebar" className="sidebar" data-testid="sidebar" data-open={menuOpen}>
          <div className="sidebar-head">
            <Link to="/" className="brand">
              Handoff
            </Link>
            <button type="button" className="icon-button close-menu" aria-label="Close the menu" onClick={() => setMenuOpen(false)}>
              ×
            </button>
          </div>
          <SearchButton onClick={openSearch} />
          <CatchUpLink current={route.name === 'catch-up'} />
          <WaitingLink current={route.name === 'waiting'} />
          <Link to="/handoffs" className="nav-item" data-testid="handoffs-nav" aria-current={route.name === 'handoffs' ? 'page' : undefined}>
            <span className="nav-title">Handoff log</span>
          </Link>

          <nav aria-label="Spaces" className="sidebar-section">
            <div className="section-head">
              <h2>Spaces</h2>
              <button
                type="button"
                className="small"
                aria-expanded={creatingSpace}
                onClick={() => setCreatingSpace((v) => !v)}
                data-testid="new-space"
              >
                + New space
              </button>
            </div>
            {creatingSpace && (
              <NewSpaceForm
                onCreated={(space) => {
                  setCreatingSpace(false);
                  setSelectedSpaceId(space.id);
                }}
                onCancel={() => setCreatingSpace(false)}
              />
            )}
            {spaces.isPending && <p className="muted">Loading…</p>}
            {spaces.isError && !list && (
              <p role="alert" className="error">
                {errorMessage(spaces.error)}{' '}
                <button type="button" className="link-button" onClick={() => void spaces.refetch()}>
                  Try again
                </button>
              </p>
            )}
            {list && list.length === 0 && <p className="muted">No spaces yet: create the first one.</p>}
            {list && list.length > 0 && (
              <ul className="nav-list" data-testid="space-list">
                {list.map((space) => {
                  const selected = space.id === selectedSpaceId;
                  return (
                    <li key={space.id} className="space" data-selected={selected}>
                      <button
                        type="button"
                        className="nav-item space-button"
                        data-testid="space-item"
                        data-space-id={space.id}
                        aria-pressed={selected}
                        onClick={() => setSelectedSpaceId(space.id)}
                      >
                        <span className="nav-title">
                          <span className="caret" aria-hidden="true">
                            {selected ? '▾' : '▸'}
                          </span>{' '}
                          {space.name}
                        </span>
                        {space.private && (
                          <span className="badge" title="Only its members can see this space">
                            private
                          </span>
                        )}
                      </button>
                      {selected && (
                        <div className="space-body">
                          <div className="space-links">
                            <Link
                              to={decisionLogPath(space.id)}
                              data-testid="decision-log-link"
                              aria-current={route.name === 'decision-log' && route.spaceId === space.id ? 'page' : undefined}
                            >
                              Decision log
                            </Link>
                            <Link
                              to={trashPath(space.id)}
                              data-testid="trash-link"
                              aria-current={route.name === 'trash' && route.spaceId === space.id ? 'page' : undefined}
                            >
                              Trash
                            </Link>
                            <WatchToggle kind="space" id={space.id} label={`the space ${space.name}`} />
                          </div>
                          <DocTree
                            key={space.id}
                            spaceId={space.id}
                            spaceName={space.name}
                            canEdit={canEdit(space.role, space)}
                            currentDocId={currentDocId}
                          />
                        </div>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </nav>

          <div className="sidebar-foot">
            <span className="who" data-testid="current-user" title={user.email}>
              {user.name} <span className="muted">@{user.handle}</span>
            </span>
            <span className="row">
              <Link
                to="/settings"
                className="button-link small"
                data-testid="settings-link"
                aria-current={route.name === 'settings' ? 'page' : undefined}
              >
                Settings
              </Link>
              <button type="button" className="small" data-testid="logout-button" onClick={logOut} disabled={logout.isPending || logout.isSuccess}>
                Log out
              </button>
            </span>
            {logoutError && (
              <p role="alert" className="error">
                {logoutError}
              </p>
            )}
          </div>
        </aside>

        <main className="main">
          <DeliveryNotices />
          <HandoffBanner spaces={list} selectedSpaceId={selectedSpaceId} />
          {children}
        </main>
      </div>
      <SearchPalette open={searchOpen} onClose={() => setSearchOpen(false)} spaces={list} />
    </SpaceSelectionContext.Provider>
  );
}

function NewSpaceForm({ onCreated, onCancel }: { onCreated: (space: Space) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [editorsComment, setEditorsComment] = useState(false);
  const createSpace = useCreateSpace();
  const pending = createSpace.isPending;
  const error = createSpace.isError ? describeError(createSpace.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) return;
    createSpace.mutate(
      { name: name.trim(), private: isPrivate, commenting: editorsComment ? 'editors' : 'readers' },
      { onSuccess: onCreated },
    );
  }

  return (
    <form className="tree-form" onSubmit={submit} data-testid="new-space-form">
      <label className="visually-hidden" htmlFor="new-space-name">
        Name of the new space
      </label>
      <input
        id="new-space-name"
        autoFocus
        required
        maxLength={100}
        placeholder="Space name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        disabled={pending}
        data-testid="new-space-name"
      />
      <label className="checkbox">
        <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} data-testid="new-space-private" />
        Private: only people I add can see it
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={editorsComment}
          onChange={(e) => setEditorsComment(e.target.checked)}
          data-testid="new-space-editors-comment"
        />
        Only editors may comment (otherwise everyone who can read)
      </label>
      {error && (
        <p role="alert" className="error small-text">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary small" disabled={pending || !name.trim()} data-testid="new-space-submit">
          Create space
        </button>
        <button type="button" className="small" onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
