import { useEffect, useRef, useState } from 'react';
import type { Revision } from '../api/model.ts';
import { useDiff } from '../api/queries.ts';

type Pair = { from: number; to: number };

/**
 * The two revisions compared in the history (by default the previous one against the latest, or
 * the `requested` pair of a link to a diff), their diff, and the ref of the section showing it,
 * which a requested diff scrolls into view once.
 */
export function useComparedPair(docId: string, list: Revision[], requested: Pair | null | undefined) {
  // The two revisions compared; null means "the default": the previous one against the latest.
  const [picked, setPicked] = useState<Pair | null>(requested ?? null);

  // A newly requested diff (another link to this document) replaces the pair being compared.
  const requestedKey = requested ? `${requested.from}..${requested.to}` : null;
  const diffSectionRef = useRef<HTMLElement | null>(null);
  const scrolledTo = useRef<string | null>(null);
  const requestedFrom = requested?.from;
  const requestedTo = requested?.to;
  useEffect(() => {
    if (requestedFrom !== undefined && requestedTo !== undefined) setPicked({ from: requestedFrom, to: requestedTo });
  }, [requestedFrom, requestedTo]);

  const latest = list[0]?.revision ?? null;
  const pair = picked ?? (list.length >= 2 && latest !== null ? { from: list[1]!.revision, to: latest } : null);
  const diff = useDiff(docId, pair);

  // Bring a requested diff into view once (on narrow screens the panels sit below the editor).
  const shownKey = pair && diff.isSuccess ? `${pair.from}..${pair.to}` : null;
  useEffect(() => {
    if (!requestedKey || shownKey !== requestedKey || scrolledTo.current === requestedKey) return;
    scrolledTo.current = requestedKey;
    diffSectionRef.current?.scrollIntoView({ block: 'start' });
  }, [requestedKey, shownKey]);

  function pick(side: 'from' | 'to', revision: number) {
    if (!pair) return;
    setPicked({ ...pair, [side]: revision });
  }

  return { latest, pair, diff, pick, setPicked, diffSectionRef };
}
