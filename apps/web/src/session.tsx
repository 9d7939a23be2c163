import { createContext, useContext } from 'react';
import type { User } from './api/model.ts';

export interface SessionValue {
  user: User;
  /** Forget the session after a log-out and show the log-in page. */
  signedOut: () => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside the signed-in layout');
  return session;
}

/** A failed call as a sentence to show (a 401 has already ended the session: see createQueryClient). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
