// Whether the signed-in reader has an unread brief: what the sidebar's "Catch up" badge shows.
// The server's latest brief decides (its `acknowledgedAt`); the sidebar and the Catch up page share
// one cached answer, re-checked when the tab comes back into view, at most once a minute.

import { useLatestBrief } from '../../api/queries.ts';

export type BriefStatus =
  | { state: 'unknown' }
  | { state: 'none' }
  | { state: 'unread'; briefId: string }
  | { state: 'read'; briefId: string };

export function useBriefStatus(): BriefStatus {
  const { data: brief } = useLatestBrief();
  if (brief === undefined) return { state: 'unknown' }; // loading, or the server without briefs
  if (brief === null) return { state: 'none' };
  return { state: brief.acknowledgedAt ? 'read' : 'unread', briefId: brief.id };
}
