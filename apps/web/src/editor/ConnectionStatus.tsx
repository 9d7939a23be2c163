import { useSyncExternalStore } from 'react';
import type { CollabSession, CollabStatus } from './collab-session.ts';

/** What the status line says about the connection and the saving of changes. */
export function describeStatus(status: CollabStatus): { state: string; text: string } {
  if (status.refused) return { state: 'refused', text: 'No access to live editing' };
  if (status.connection === 'offline') {
    return status.unsyncedChanges > 0
      ? { state: 'offline', text: 'Offline — your changes are kept and sent when you are back' }
      : { state: 'offline', text: 'Offline' };
  }
  if (status.connection === 'connecting' || !status.synced) return { state: 'connecting', text: 'Connecting…' };
  if (status.unsyncedChanges > 0) return { state: 'saving', text: 'Saving…' };
  return { state: 'saved', text: 'All changes saved' };
}

export function ConnectionStatus({ session }: { session: CollabSession }) {
  const status = useSyncExternalStore(session.subscribeStatus, session.getStatus);
  const { state, text } = describeStatus(status);
  return (
    <span className="connection" data-testid="connection-status" data-state={state} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
