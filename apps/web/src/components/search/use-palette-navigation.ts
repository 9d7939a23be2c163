import { useEffect, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { SearchHit } from '../../api/model.ts';

/**
 * The palette's cursor over its hits: ↑/↓ move it (wrapping), Enter opens the hit under it (or the
 * full results page with Cmd/Ctrl, or when there is no current hit), and a new answer resets it.
 */
export function usePaletteNavigation({
  hits,
  response,
  current,
  query,
  ids,
  openDoc,
  openAll,
}: {
  hits: SearchHit[];
  /** The latest answer: a new one puts the first hit under the cursor. */
  response: unknown;
  /** Whether `hits` answer exactly the current query and filters. */
  current: boolean;
  query: string;
  /** The `useId` prefix of the option ids (`${ids}-option-${i}`). */
  ids: string;
  openDoc: (docId: string) => void;
  openAll: () => void;
}) {
  const [active, setActive] = useState(0);
  const activeIndex = hits.length === 0 ? -1 : Math.min(active, hits.length - 1);

  // A new answer puts the first hit under the cursor.
  useEffect(() => setActive(0), [response]);

  useEffect(() => {
    if (activeIndex < 0) return;
    document.getElementById(`${ids}-option-${activeIndex}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeIndex, ids]);

  function onInputKey(event: ReactKeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (hits.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + hits.length) % hits.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!query) return;
      const hit = hits[activeIndex];
      if (event.metaKey || event.ctrlKey || !hit || !current) openAll();
      else openDoc(hit.docId);
    }
  }

  return { activeIndex, setActive, onInputKey };
}
