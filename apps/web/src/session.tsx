import { createContext, useContext } from 'react';
import { ApiError } from './api/client.ts';
import type { User } from './api/types.ts';

export interface SessionValue {
  user: User;
  /** Forget the session after a log-out and show the log-in page. */
  signedOut: () => void;
  /** The server no longer knows the session: log in again and come back here. */
  expired: () => void;
  /** The profile changed (settings): show the new one everywhere. */
  userChanged: (user: User) => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside the signed-in layout');
  return session;
}

/** Turns a failed call into a sentence to show; a 401 ends the session instead. */
export function useErrorMessage(): (err: unknown) => string {
  const { expired } = useSession();
  return (err) => {
    if (err instanceof ApiError && err.status === 401) expired();
    return err instanceof Error ? err.message : String(err);
  };
}
