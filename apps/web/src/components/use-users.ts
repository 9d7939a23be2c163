import { useEffect, useState } from 'react';
import { wikiApi, type PublicUser } from '../api/wiki-api.ts';

// The workspace's people change rarely: one request per page load, shared by every panel.
let cached: Promise<PublicUser[]> | null = null;

function loadUsers(): Promise<PublicUser[]> {
  cached ??= wikiApi.users().then(
    (res) => res.users,
    (err: unknown) => {
      cached = null; // try again next time
      throw err;
    },
  );
  return cached;
}

/** Everyone in the workspace by id (empty until loaded; names fall back to "someone"). */
export function useUsers(): Map<string, PublicUser> {
  const [users, setUsers] = useState<Map<string, PublicUser>>(() => new Map());
  useEffect(() => {
    let live = true;
    loadUsers().then(
      (list) => live && setUsers(new Map(list.map((u) => [u.id, u]))),
      () => {}, // names are a nicety: ids stay hidden and "someone" is shown
    );
    return () => {
      live = false;
    };
  }, []);
  return users;
}

export function nameOf(users: Map<string, PublicUser>, id: string): string {
  return users.get(id)?.name ?? 'someone';
}
