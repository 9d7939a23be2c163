import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { threadsChanged } from '../api/queries.ts';
import type { CollabSession } from '../editor/collab-session.ts';

/** Whether a stateless message says that the open document's comment threads changed. */
export function isThreadsMessage(payload: string): boolean {
  if (payload.length > 4_096) return false;
  try {
    const message = JSON.parse(payload) as unknown;
    return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'threads';
  } catch {
    return false;
  }
}

/**
 * Keeps the document's threads (and "Waiting on you") live: the server says on the collaboration
 * connection when any thread of the document changed, and the lists are asked for again (the
 * message carries no text; what the caller may see comes from the API). After a reconnect they
 * are asked for again too, for whatever was said while offline.
 */
export function useThreadEvents(session: CollabSession | null, docId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!session) return;
    const stopMessages = session.subscribeStateless((payload) => {
      if (isThreadsMessage(payload)) threadsChanged(queryClient, docId);
    });
    let synced = session.getStatus().synced;
    let reconnect = synced; // the first sync is the page's load, not a reconnect
    const stopStatus = session.subscribeStatus(() => {
      const now = session.getStatus().synced;
      if (now && !synced && reconnect) threadsChanged(queryClient, docId);
      if (now) reconnect = true;
      synced = now;
    });
    return () => {
      stopMessages();
      stopStatus();
    };
  }, [session, docId, queryClient]);
}
