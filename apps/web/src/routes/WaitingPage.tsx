import { useWaiting } from '../api/queries.ts';
import { WaitingList } from '../comments/WaitingList.tsx';
import { errorMessage } from '../session.tsx';

/** Every open thread that asked the caller something they have not answered yet. */
export function WaitingPage() {
  const waiting = useWaiting();
  return (
    <section className="page waiting" data-testid="waiting-page">
      <h1>Waiting on you</h1>
      <p className="muted">
        Questions for you and mentions of you in comment threads that you have not answered yet. Replying or resolving takes a thread off
        this list.
      </p>
      {waiting.isPending && <p className="muted">Loading…</p>}
      {waiting.isError && (
        <p role="alert" className="error">
          {errorMessage(waiting.error)}{' '}
          <button type="button" className="link-button" onClick={() => void waiting.refetch()}>
            Try again
          </button>
        </p>
      )}
      {waiting.data && waiting.data.length === 0 && (
        <p className="muted" data-testid="waiting-empty">
          Nothing is waiting on you.
        </p>
      )}
      {waiting.data && waiting.data.length > 0 && <WaitingList threads={waiting.data} />}
    </section>
  );
}
