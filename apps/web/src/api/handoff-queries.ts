// Server state of handoff notes: what waits on the caller from handoff notes, the handoff log, the
// end-of-day offer, marking an ask done. Same rules as queries.ts (one query per resource, each
// mutation invalidates exactly what it changes).

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './http.ts';
import { queryKeys, useWaitingResponse } from './queries.ts';
import type { components } from './schema.gen.ts';

type Schemas = components['schemas'];
export type WaitingHandoffAsk = Schemas['WaitingHandoffAsk'];
export type HandoffDay = Schemas['HandoffDay'];
export type HandoffLogEntry = Schemas['HandoffLogEntry'];
export type HandoffDraftResponse = Schemas['HandoffDraftResponse'];

export const handoffKeys = {
  /** Every page of the log (prefix), and one space's (or all spaces': null). */
  log: ['handoffs'] as const,
  logOf: (spaceId: string | null) => ['handoffs', spaceId] as const,
  draft: ['handoff-draft'] as const,
};

const handoffAsksOf = (response: { handoffAsks: WaitingHandoffAsk[] }): WaitingHandoffAsk[] => response.handoffAsks;

/** "Blocked on @you" / "Decision needed from @you" items of handoff notes that wait on the caller (the same request as the waiting threads). */
export function useWaitingHandoffAsks(options: { enabled?: boolean } = {}) {
  return useWaitingResponse(handoffAsksOf, options);
}

/** The asked person marks one item answered; it leaves "Waiting on you". */
export function useMarkHandoffAskDone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ask: Pick<WaitingHandoffAsk, 'docId' | 'section' | 'text'>) =>
      call(api.POST('/api/docs/{id}/handoff-asks/done', { params: { path: { id: ask.docId } }, body: { section: ask.section, text: ask.text } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.waiting }),
  });
}

/** The handoff log, newest first, a page of 50 notes at a time; `spaceId` null: every space the caller can read. */
export function useHandoffLog(spaceId: string | null) {
  return useInfiniteQuery({
    queryKey: handoffKeys.logOf(spaceId),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      call(api.GET('/api/handoffs', { params: { query: { limit: 50, ...(spaceId ? { spaceId } : {}), ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    getNextPageParam: (last) => last.nextCursor,
    refetchOnWindowFocus: true,
  });
}

/** Today's handoff offer and draft, asked again every five minutes (the offer starts an hour before the day ends). */
export function useHandoffDraft({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: handoffKeys.draft,
    queryFn: ({ signal }) => call(api.GET('/api/me/handoff-draft', { signal })),
    refetchInterval: 5 * 60_000,
    refetchOnWindowFocus: true,
    enabled,
  });
}

/** A handoff note was written or changed: the log and the offer follow. */
export function handoffsChanged(queryClient: ReturnType<typeof useQueryClient>): void {
  void queryClient.invalidateQueries({ queryKey: handoffKeys.log });
  void queryClient.invalidateQueries({ queryKey: handoffKeys.draft });
}
