// One page-wide signal, "the documents of this space changed", so the sidebar tree, the decision
// log and the trash reload after a change made elsewhere (a panel, another route) without sharing state.

import { useEffect, useRef } from 'react';

const EVENT = 'handoff:docs-changed';

export function announceDocsChanged(spaceId: string): void {
  window.dispatchEvent(new CustomEvent<string>(EVENT, { detail: spaceId }));
}

/** Calls `onChange` whenever the documents of `spaceId` change (the latest callback, no re-subscribe). */
export function useDocsChanged(spaceId: string | null, onChange: () => void): void {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    if (!spaceId) return;
    const listener = (event: Event) => {
      if ((event as CustomEvent<string>).detail === spaceId) callback.current();
    };
    window.addEventListener(EVENT, listener);
    return () => window.removeEventListener(EVENT, listener);
  }, [spaceId]);
}
