import { useWaiting } from '../api/queries.ts';
import { Link } from '../router.tsx';

/** The sidebar's "Waiting on you" entry, with how many threads wait on the caller. */
export function WaitingLink({ current }: { current: boolean }) {
  const waiting = useWaiting();
  const count = waiting.data?.length ?? 0;
  return (
    <Link to="/waiting" className="nav-item waiting-link" data-testid="waiting-nav" aria-current={current ? 'page' : undefined}>
      <span className="nav-title">Waiting on you</span>
      {count > 0 && (
        <span className="waiting-badge" data-testid="waiting-count" title={`${count} ${count === 1 ? 'thread asks' : 'threads ask'} you something`}>
          {count}
          <span className="visually-hidden"> {count === 1 ? 'thread' : 'threads'}</span>
        </span>
      )}
    </Link>
  );
}
