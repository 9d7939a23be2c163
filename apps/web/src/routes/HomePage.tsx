import { useWaiting } from '../api/queries.ts';
import { WaitingList } from '../comments/WaitingList.tsx';
import { Link, decisionLogPath } from '../router.tsx';
import { useSpaceSelection } from './Layout.tsx';

/** How many waiting threads the home page lists (the rest are on /waiting). */
const WAITING_SHOWN = 5;

export function HomePage() {
  const { spaces, selectedSpaceId } = useSpaceSelection();
  const space = spaces?.find((s) => s.id === selectedSpaceId);
  return (
    <section className="page" data-testid="home">
      <h1>{space ? space.name : 'Handoff'}</h1>
      <p className="muted">
        {spaces && spaces.length === 0
          ? 'You are not in any space yet: create one in the sidebar.'
          : 'Pick a document in the sidebar to read it.'}
      </p>
      {space && (
        <p>
          <Link to={decisionLogPath(space.id)}>See what {space.name} has decided</Link>
        </p>
      )}
      <WaitingSection />
    </section>
  );
}

/** The threads that wait on the caller's answer (shown only when there are some). */
function WaitingSection() {
  const waiting = useWaiting();
  const threads = waiting.data ?? [];
  if (threads.length === 0) return null;
  return (
    <section className="home-waiting" aria-labelledby="home-waiting-title" data-testid="home-waiting">
      <h2 id="home-waiting-title">
        Waiting on you <span className="waiting-badge">{threads.length}</span>
      </h2>
      <WaitingList threads={threads.slice(0, WAITING_SHOWN)} />
      {threads.length > WAITING_SHOWN && (
        <p>
          <Link to="/waiting">All {threads.length} threads waiting on you</Link>
        </p>
      )}
    </section>
  );
}
