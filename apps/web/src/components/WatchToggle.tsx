import { useState } from 'react';
import { wikiApi } from '../api/wiki-api.ts';
import { useErrorMessage, useSession } from '../session.tsx';
import { rememberWatch, rememberedWatch } from './watch-memory.ts';
import '../panels.css';

/** "Watch" / "Watching" for a document or a space: it then shows up in the person's daily brief. */
export function WatchToggle({ kind, id, label }: { kind: 'doc' | 'space'; id: string; label?: string }) {
  const { user } = useSession();
  const errorMessage = useErrorMessage();
  const target = `${kind}:${id}`;
  const [watching, setWatching] = useState(() => rememberedWatch(user.id, target));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    const next = !watching;
    setPending(true);
    setError(null);
    try {
      await (kind === 'doc' ? wikiApi.watchDoc(id, next) : wikiApi.watchSpace(id, next));
      rememberWatch(user.id, target, next);
      setWatching(next);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }

  const what = label ?? (kind === 'doc' ? 'this document' : 'this space');
  return (
    <span className="watch-toggle">
      <button
        type="button"
        className="small"
        aria-pressed={watching}
        disabled={pending}
        onClick={() => void toggle()}
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
