import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import type { User } from './api/model.ts';
import { setSignedIn, useMe } from './api/queries.ts';
import { matchRoute, navigate, usePath } from './router.tsx';
import { CatchUpPage } from './routes/CatchUpPage.tsx';
import { DecisionLogPage } from './routes/DecisionLogPage.tsx';
import { DocPage } from './routes/DocPage.tsx';
import { HomePage } from './routes/HomePage.tsx';
import { Layout } from './routes/Layout.tsx';
import { LoginPage } from './routes/LoginPage.tsx';
import { NotFoundPage } from './routes/NotFoundPage.tsx';
import { SearchPage } from './routes/SearchPage.tsx';
import { SettingsPage } from './routes/SettingsPage.tsx';
import { SignupPage } from './routes/SignupPage.tsx';
import { TrashPage } from './routes/TrashPage.tsx';
import { WaitingPage } from './routes/WaitingPage.tsx';
import { HandoffLogPage } from './routes/HandoffLogPage.tsx';
import { SessionContext, type SessionValue } from './session.tsx';

type Session =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: User }
  | { status: 'error'; message: string };

export function App() {
  const route = matchRoute(usePath());
  const queryClient = useQueryClient();
  const me = useMe();
  const session: Session =
    me.data !== undefined
      ? me.data
        ? { status: 'signed-in', user: me.data }
        : { status: 'signed-out' }
      : me.isError && !me.isFetching
        ? { status: 'error', message: me.error.message }
        : { status: 'loading' };

  const setUser = useCallback((user: User | null) => setSignedIn(queryClient, user), [queryClient]);

  const user = session.status === 'signed-in' ? session.user : null;
  const sessionValue = useMemo<SessionValue | null>(
    () =>
      user && {
        user,
        signedOut: () => {
          setUser(null);
          navigate('/login', { replace: true });
        },
      },
    [user, setUser],
  );

  const isPublic = route.name === 'login' || route.name === 'signup';

  // Signed-out people go to the log-in page (which remembers where they were going);
  // signed-in people never see the log-in or sign-up forms.
  useEffect(() => {
    if (session.status === 'signed-out' && !isPublic) {
      const here = window.location.pathname + window.location.search;
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    } else if (session.status === 'signed-in' && isPublic) {
      navigate(nextPathFromQuery(), { replace: true });
    }
  }, [session.status, isPublic]);

  if (session.status === 'loading') {
    return (
      <p className="centered muted" data-testid="app-loading">
        Loading…
      </p>
    );
  }

  if (session.status === 'error') {
    return (
      <div className="centered" role="alert" data-testid="app-error">
        <p>Handoff could not be reached: {session.message}</p>
        <button type="button" onClick={() => void me.refetch()}>
          Try again
        </button>
      </div>
    );
  }

  if (session.status === 'signed-out') {
    if (route.name === 'signup') return <SignupPage onSignedIn={setUser} />;
    if (route.name === 'login') return <LoginPage onSignedIn={setUser} />;
    return null; // on the way to /login
  }

  if (isPublic || !sessionValue) return null; // on the way away from the forms

  return (
    <SessionContext.Provider value={sessionValue}>
      <Layout>
        {route.name === 'home' && <HomePage />}
        {route.name === 'doc' && <DocPage key={route.id} id={route.id} />}
        {route.name === 'decision-log' && <DecisionLogPage key={route.spaceId} spaceId={route.spaceId} />}
        {route.name === 'trash' && <TrashPage key={route.spaceId} spaceId={route.spaceId} />}
        {route.name === 'settings' && <SettingsPage />}
        {route.name === 'search' && <SearchPage />}
        {route.name === 'catch-up' && <CatchUpPage />}
        {route.name === 'waiting' && <WaitingPage />}
        {route.name === 'handoffs' && <HandoffLogPage />}
        {route.name === 'not-found' && <NotFoundPage />}
      </Layout>
    </SessionContext.Provider>
  );
}

/** Where to go after logging in: `?next=` when it is a path on this site, else the home page. */
function nextPathFromQuery(): string {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}
