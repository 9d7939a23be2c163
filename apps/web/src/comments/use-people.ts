import { useMemo } from 'react';
import type { PublicUser } from '../api/model.ts';
import { useUsersQuery } from '../api/queries.ts';

/** The workspace's people, by id and by handle (empty until loaded: names fall back to "someone"). */
export interface People {
  list: readonly PublicUser[];
  byId: ReadonlyMap<string, PublicUser>;
  byHandle: ReadonlyMap<string, PublicUser>;
}

export function usePeople(): People {
  const { data } = useUsersQuery();
  return useMemo(() => {
    const list = data ?? [];
    return { list, byId: new Map(list.map((u) => [u.id, u])), byHandle: new Map(list.map((u) => [u.handle, u])) };
  }, [data]);
}

export function nameIn(people: People, id: string | undefined): string {
  return (id && people.byId.get(id)?.name) || 'someone';
}
