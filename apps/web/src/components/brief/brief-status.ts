// Whether the signed-in reader has an unread brief: what the sidebar's "Catch up" badge shows.
// One small store shared by the sidebar and the Catch up page, so that building or acknowledging a
// brief on the page updates the badge at once. It re-checks when the tab comes back into view (a
// scheduled brief may have arrived at the reader's brief hour) and at most once a minute.

import { useEffect, useSyncExternalStore } from 'react';
import { ApiError } from '../../api/client.ts';
import { briefApi, type Brief } from './brief-api.ts';

export type BriefStatus =
  | { state: 'unknown' }
  | { state: 'none' }
  | { state: 'unread'; briefId: string }
  | { state: 'read'; briefId: string };

const RECHECK_MS = 60_000;
const ACKED_KEY = 'handoff:acknowledged-briefs';
const ACKED_KEEP = 20;

let userId: string | null = null;
let status: BriefStatus = { state: 'unknown' };
let checkedAt = 0;
let inFlight: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(next: BriefStatus): void {
  status = next;
  for (const listener of listeners) listener();
}

/**
 * Brief ids this browser acknowledged. The contract's brief has no "acknowledged" field, so if
 * `GET /api/briefs/latest` keeps returning a brief after its ack, this keeps it from looking unread.
 */
function acknowledgedIds(): string[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(ACKED_KEY) ?? '[]');
    return Array.isArray(raw) ? raw.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function rememberAcknowledged(id: string): void {
  try {
    const ids = [id, ...acknowledgedIds().filter((other) => other !== id)].slice(0, ACKED_KEEP);
    localStorage.setItem(ACKED_KEY, JSON.stringify(ids));
  } catch {
    // private mode or full storage: the badge may come back after a reload, nothing worse
  }
}

export function isAcknowledged(brief: Brief): boolean {
  return Boolean(brief.acknowledgedAt) || acknowledgedIds().includes(brief.id);
}

/** The page loaded or built a brief (null: there is none). */
export function noteBrief(brief: Brief | null): void {
  checkedAt = Date.now();
  if (!brief) set({ state: 'none' });
  else set({ state: isAcknowledged(brief) ? 'read' : 'unread', briefId: brief.id });
}

/** The reader said "I'm caught up". */
export function noteAcknowledged(briefId: string): void {
  rememberAcknowledged(briefId);
  checkedAt = Date.now();
  set({ state: 'read', briefId });
}

/** Asks the server for the latest brief, unless it was asked less than a minute ago. */
export function recheckBriefStatus(force = false): Promise<void> {
  if (inFlight) return inFlight;
  if (!force && Date.now() - checkedAt < RECHECK_MS) return Promise.resolve();
  const forUser = userId;
  const check = briefApi
    .latest()
    .then(
      ({ brief }) => {
        if (forUser === userId) noteBrief(brief);
      },
      (err: unknown) => {
        if (forUser !== userId) return;
        // 404: none yet. Anything else (the server without briefs, offline): no badge, try later.
        if (err instanceof ApiError && err.status === 404) noteBrief(null);
        else checkedAt = Date.now();
      },
    )
    .finally(() => {
      if (inFlight === check) inFlight = null;
    });
  inFlight = check;
  return check;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): BriefStatus {
  return status;
}

/** The reader's brief status, loaded on first use per signed-in user and re-checked on focus. */
export function useBriefStatus(forUserId: string): BriefStatus {
  if (userId !== forUserId) {
    userId = forUserId;
    status = { state: 'unknown' };
    checkedAt = 0;
    inFlight = null;
  }
  useEffect(() => {
    void recheckBriefStatus();
    const onVisible = () => document.visibilityState === 'visible' && void recheckBriefStatus();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [forUserId]);
  return useSyncExternalStore(subscribe, snapshot);
}
