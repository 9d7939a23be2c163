import { useMemo } from 'react';
import type { PublicUser } from '../api/model.ts';
import { useUsersQuery } from '../api/queries.ts';

/** Everyone in the workspace by id (empty until loaded, or if they cannot be: names fall back to "someone"). */
export function useUsers(): Map<string, PublicUser> {
  const { data } = useUsersQuery();
  return useMemo(() => new Map((data ?? []).map((u) => [u.id, u])), [data]);
}

export function nameOf(users: Map<string, PublicUser>, id: string): string {
  return users.get(id)?.name ?? 'someone';
}
