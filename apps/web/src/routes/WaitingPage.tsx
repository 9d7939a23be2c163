import { useWaitingHandoffAsks } from '../api/handoff-queries.ts';
import { useWaiting } from '../api/queries.ts';
import { HandoffAskList, WaitingList } from '../comments/WaitingList.tsx';
import { errorMessage } from '../session.tsx';

/** Every open thread that asked the caller something, and every handoff note blocked on her or needing her decision. */
export function WaitingPage() {
  const waiting = useWaiting();
  const asks = useWaitingHandoffAsks();
  const threads = waiting.data ?? [];
  const handoffAsks = asks.data ?? [];
  const loaded = waiting.isSuccess && asks.isSuccess;
  const failed = waiting.isError ? waiting : asks.isError ? asks : null;
  return (
    <section className="page waiting" data-testid="waiting-page">
      <h1>Waiting on you</h1>
      <p className="muted">
        Questions for you and mentions of you in comment threads that you have not answered yet, and handoff notes that are blocked on
        you or need your decision. Replying or resolving takes a thread off this list; replying on a note, editing it or marking the
        item done takes a handoff item off.
      </p>
      {(waiting.isPending || asks.isPending) && <p className="muted">Loading…</p>}
      {failed && (
        <p role="alert" className="error">
          {errorMessage(failed.error)}{' '}
          <button type="button" className="link-button" onClick={() => void failed.refetch()}>
            Try again
          </button>
        </p>
      )}
      {loaded && threads.length === 0 && handoffAsks.length === 0 && (
        <p className="muted" data-testid="waiting-empty">
          Nothing is waiting on you.
        </p>
      )}
      {handoffAsks.length > 0 && (
        <section aria-labelledby="waiting-handoffs" data-testid="waiting-handoffs">
          <h2 id="waiting-handoffs">From handoff notes</h2>
          <HandoffAskList asks={handoffAsks} />
        </section>
      )}
      {threads.length > 0 && (
        <section aria-labelledby="waiting-threads">
          {handoffAsks.length > 0 && <h2 id="waiting-threads">In comment threads</h2>}
          <WaitingList threads={threads} />
        </section>
      )}
    </section>
  );
}
