import { useSetWatch, useWatch, type WatchKind } from '../api/queries.ts';
import { errorMessage } from '../session.tsx';

/**
 * "Watch" / "Watching" for a document or a space: it then shows up in the person's daily brief.
 * The state shown is the server's (`GET …/watch`).
 */
export function WatchToggle({ kind, id, label }: { kind: WatchKind; id: string; label?: string }) {
  const state = useWatch(kind, id);
  const setWatch = useSetWatch(kind, id);
  const watching = state.data?.watching ?? false;
  const pending = state.isPending || setWatch.isPending;
  const error = setWatch.isError ? errorMessage(setWatch.error) : null;

  const what = label ?? (kind === 'doc' ? 'this document' : 'this space');
  return (
    <span className="watch-toggle">
      <button
        type="button"
        className="small"
        aria-pressed={watching}
        disabled={pending}
        onClick={() => setWatch.mutate(!watching)}
        data-testid={`watch-${kind}`}
        title={
          watching
            ? `You are watching ${what}: its changes are in your daily brief. Click to stop.`
            : `Watch ${what}: its changes will be in your daily brief.`
        }
      >
        <span aria-hidden="true">{watching ? '●' : '○'}</span> {watching ? 'Watching' : 'Watch'}
      </button>
      {error && (
        <span role="alert" className="error small-text">
          {error}
        </span>
      )}
    </span>
  );
}
