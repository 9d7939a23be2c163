import type { IncomingHttpHeaders } from 'node:http';
import type { Deps } from '../context.ts';
import type { Timer } from '../domain/clock.ts';
import { accessScopeOf } from '../domain/events.ts';
import { collabAccess, identify, Refused, resolveCredential } from './collab-auth.ts';
import { CloseCode, type Session } from './session.ts';
import type { Sessions } from './sessions.ts';

export interface AccessChecks {
  /**
   * Authenticates `session` with `token` (or the handshake's cookie) and reads its role through the
   * access policy; throws a `Refused` reason (unauthorized / not-found) the provider is told.
   */
  authenticate(session: Session, token: string, headers: IncomingHttpHeaders): Promise<void>;
  /** Resolves once every re-check started so far has finished (for tests that wait on one). */
  settled(): Promise<void>;
  stop(): void;
}

/**
 * Who may stay on a live document, decided through `policies/` (via collab-auth.ts) when it
 * opens and again whenever that may have changed: at once for the sockets a committed domain
 * event concerns (`accessScopeOf`), when an expiring credential expires, and every
 * `recheckEveryMs` for changes made elsewhere (another node, the CLI). A session that lost read
 * access is closed (4403; 4401 when its credential is gone); one that lost write access becomes
 * read-only on the open socket.
 */
export function createAccessChecks(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'cache' | 'events' | 'log'>, sessions: Sessions, options: { recheckEveryMs: number }): AccessChecks {
  const { clock, log } = deps;
  const running = new Set<Promise<void>>();

  async function recheckNow(session: Session) {
    if (session.state !== 'open' || !session.identity) return;
    try {
      const auth = await resolveCredential(deps, session.identity.credential);
      if (!auth) return sessions.close(session, CloseCode.SignedOut, 'signed out');
      const access = await collabAccess(deps, auth.user, session.docName);
      if (!access) return sessions.close(session, CloseCode.Forbidden, 'access revoked');
      session.identity.user = auth.user;
      session.spaceId = access.spaceId;
      sessions.setReadOnly(session, access.role === 'viewer' || !auth.writable);
    } catch (err) {
      log.warn({ msg: 'collab: re-checking access failed', docId: session.docName, err });
    }
  }

  function recheck(session: Session) {
    const run = recheckNow(session).finally(() => running.delete(run));
    running.add(run);
  }

  /**
   * An expiring credential (an API token with `expiresAt`) is re-checked, and so closed, when it
   * expires; one that expires later than the next periodic re-check is left to that re-check.
   */
  function scheduleExpiry(session: Session, expiresAt: number) {
    const delay = Math.max(0, expiresAt - clock.now()) + 10;
    if (delay <= options.recheckEveryMs) clock.setTimeout(() => recheck(session), delay).unref();
  }

  const stopWatching = deps.events.subscribe((event) => {
    const scope = accessScopeOf(event);
    if (scope) for (const s of sessions.affectedBy(scope)) recheck(s);
  });

  let periodic: Timer | null = null;
  function schedulePeriodic() {
    periodic = clock
      .setTimeout(() => {
        for (const s of sessions.affectedBy({ kind: 'docs' })) recheck(s);
        schedulePeriodic();
      }, options.recheckEveryMs)
      .unref();
  }
  schedulePeriodic();

  return {
    async authenticate(session, token, headers) {
      if (session.state !== 'authenticating') throw Refused.unauthorized;
      try {
        const identity = await identify(deps, token, headers);
        if (!identity) throw Refused.unauthorized;
        const access = await collabAccess(deps, identity.user, session.docName);
        if (!access) throw Refused.notFound;
        session.identity = identity;
        session.spaceId = access.spaceId;
        session.readOnly = access.role === 'viewer' || !identity.writable;
        if (identity.expiresAt !== null) scheduleExpiry(session, identity.expiresAt);
      } catch (refusal) {
        sessions.refuse(session);
        throw refusal;
      }
    },
    async settled() {
      while (running.size) await Promise.all([...running]);
    },
    stop() {
      stopWatching();
      clock.clearTimeout(periodic);
      periodic = null;
    },
  };
}
