import type { UserRow } from '../domain/model.ts';
import type { AwarenessState } from './protocol.ts';

/**
 * A person's colour for cursors and presence, from their user id alone — the same function as the
 * web app's `apps/web/src/editor/user-color.ts` (FNV-1a → hue), so the server's value is what every
 * screen already shows for that person.
 */
export function userColor(userId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `hsl(${(h >>> 0) % 360} 70% 45%)`;
}

interface Speaker {
  identity?: { user: Pick<UserRow, 'id' | 'name'> };
  clientIds: Set<number>;
}

/**
 * The presence states a connection may publish, with who it is set by the server: `name`, `color`,
 * `awarenessData.userId` (and `user`, when a client uses that convention) come from the
 * authenticated person; cursor and selection fields pass through. A connection speaks only for the
 * client ids it used first (at most `maxClientIds`); a state for a client id another connection
 * speaks for is dropped, as is any state that is neither an object nor null (a client leaving).
 */
export function presenceOf<S extends Speaker>(session: S, states: AwarenessState[], owners: Map<number, S>, maxClientIds: number): AwarenessState[] {
  const user = session.identity?.user;
  if (!user) return [];
  const out: AwarenessState[] = [];
  for (const s of states) {
    const owner = owners.get(s.clientId);
    if (owner && owner !== session) continue;
    if (!owner) {
      if (session.clientIds.size >= maxClientIds) continue;
      owners.set(s.clientId, session);
      session.clientIds.add(s.clientId);
    }
    if (s.state === null) {
      out.push(s);
      continue;
    }
    if (typeof s.state !== 'object' || Array.isArray(s.state)) continue;
    const claimed = s.state as Record<string, unknown>;
    const color = userColor(user.id);
    const data = claimed.awarenessData && typeof claimed.awarenessData === 'object' && !Array.isArray(claimed.awarenessData) ? claimed.awarenessData : {};
    const state: Record<string, unknown> = { ...claimed, name: user.name, color, awarenessData: { ...data, userId: user.id } };
    if ('user' in claimed) state.user = { id: user.id, name: user.name, color };
    out.push({ clientId: s.clientId, clock: s.clock, state });
  }
  return out;
}
