import { useSyncExternalStore } from 'react';
import type { CollabSession, Peer } from './collab-session.ts';
import { initials } from './user-color.ts';

const MAX_AVATARS = 5;

/**
 * Who has this document open right now: one avatar per person (several tabs of one person count
 * once). Only the present; never when anyone was here or for how long.
 */
export function Presence({ session }: { session: CollabSession }) {
  const peers = useSyncExternalStore(session.subscribePeers, session.getPeers);
  const people = dedupe(peers);
  if (people.length === 0) return null;
  const shown = people.slice(0, MAX_AVATARS);
  const more = people.length - shown.length;
  const names = people.map((p) => (p.isSelf ? `${p.name} (you)` : p.name)).join(', ');
  return (
    <div className="presence" data-testid="presence" aria-label={`Here now: ${names}`} title={`Here now: ${names}`}>
      {shown.map((person) => (
        <span
          key={person.userId ?? `client-${person.clientId}`}
          className={person.isSelf ? 'avatar avatar-self' : 'avatar'}
          style={{ backgroundColor: person.color }}
          data-testid="presence-person"
          data-name={person.name}
          data-self={person.isSelf ? 'true' : undefined}
        >
          {initials(person.name)}
        </span>
      ))}
      {more > 0 && <span className="avatar avatar-more">+{more}</span>}
    </div>
  );
}

/** One entry per person: the local client's entry wins, then the first one seen. */
function dedupe(peers: Peer[]): Peer[] {
  const byPerson = new Map<string, Peer>();
  for (const peer of peers) {
    const key = peer.userId ?? `client-${peer.clientId}`;
    const seen = byPerson.get(key);
    if (!seen || (peer.isSelf && !seen.isSelf)) byPerson.set(key, peer);
  }
  return [...byPerson.values()];
}
