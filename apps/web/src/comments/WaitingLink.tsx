import { useWaitingHandoffAsks } from '../api/handoff-queries.ts';
import { useWaiting } from '../api/queries.ts';
import { Link } from '../router.tsx';

/** The sidebar's "Waiting on you" entry, with how many threads and handoff items wait on the caller. */
export function WaitingLink({ current }: { current: boolean }) {
  const waiting = useWaiting();
  const asks = useWaitingHandoffAsks();
  const count = (waiting.data?.length ?? 0) + (asks.data?.length ?? 0);
  return (
    <Link to="/waiting" className="nav-item waiting-link" data-testid="waiting-nav" aria-current={current ? 'page' : undefined}>
      <span className="nav-title">Waiting on you</span>
      {count > 0 && (
        <span className="waiting-badge" data-testid="waiting-count" title={`${count} ${count === 1 ? 'question waits' : 'questions wait'} on you`}>
          {count}
          <span className="visually-hidden"> waiting</span>
        </span>
      )}
    </Link>
  );
}
