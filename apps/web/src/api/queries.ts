// Server state for the whole app: one query per resource, kept in TanStack Query's cache, and one
// mutation per change that updates or invalidates exactly the queries it affects. Components read
// these hooks; none fetches on its own, keeps a module-level cache or signals other components.

import {
  MutationCache,
  QueryCache,
  QueryClient,
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { searchQuery, searchQueryString, type SearchParams } from '../components/search/search-params.ts';
import { ApiError, api, call } from './http.ts';
import type {
  Brief,
  CreateDocRequest,
  Doc,
  DocSummary,
  PatchDocRequest,
  PublicUser,
  SearchResponse,
  SignupRequest,
  Space,
  Thread,
  ThreadComment,
  UpdateMeRequest,
  User,
  WaitingThread,
  WatchState,
} from './model.ts';
import type { components } from './schema.gen.ts';

/**
 * The app's cache. Reads are not retried (a 404 is an answer) and do not refetch on focus unless
 * they say so. Any call answered 401 ends the session: the cache is emptied and the app shows the
 * log-in page (the one place that decides it).
 */
export function createQueryClient(): QueryClient {
  const onError = (err: unknown) => {
    if (!(err instanceof ApiError && err.status === 401) || !client.getQueryData(queryKeys.me)) return;
    setSignedIn(client, null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
  return client;
}

/** Which lists of a space's documents: the live tree, its decision records, its trash. */
export type DocList = 'live' | 'decisions' | 'trash';

export const queryKeys = {
  me: ['me'] as const,
  users: ['users'] as const,
  spaces: ['spaces'] as const,
  /** Every list of one space (prefix). */
  spaceDocs: (spaceId: string) => ['space-docs', spaceId] as const,
  spaceDocList: (spaceId: string, list: DocList) => ['space-docs', spaceId, list] as const,
  linkableDocs: ['linkable-docs'] as const,
  doc: (id: string) => ['doc', id] as const,
  /** Documents read without marking them seen (the decision panel's chain), all of them (prefix). */
  peekedDocs: ['doc-peek'] as const,
  peekedDoc: (id: string) => ['doc-peek', id] as const,
  /** What a decision supersedes, followed back (read in passing too, so under the same prefix). */
  decisionChain: (docId: string, supersedes: string | null) => ['doc-peek', 'chain', docId, supersedes] as const,
  revisions: (docId: string) => ['revisions', docId] as const,
  diff: (docId: string, from: number, to: number) => ['diff', docId, from, to] as const,
  watch: (kind: WatchKind, id: string) => ['watch', kind, id] as const,
  latestBrief: ['brief', 'latest'] as const,
  /** A document's comment threads, open and resolved. */
  threads: (docId: string) => ['threads', docId] as const,
  /** The open threads that ask the caller something ("Waiting on you"). */
  waiting: ['waiting'] as const,
  search: (queryString: string) => ['search', queryString] as const,
  /** When and how the next brief arrives, the delivery notices and log (`GET /api/me/delivery`). */
  delivery: ['delivery'] as const,
};

// ---------------------------------------------------------------------------------------------
// Session

/**
 * Who is signed in from now on (null: nobody). Someone else's data must not outlive their
 * session, so everything else is dropped (the `me` entry itself stays: the app observes it).
 */
export function setSignedIn(queryClient: QueryClient, user: User | null): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== queryKeys.me[0] });
  queryClient.setQueryData(queryKeys.me, user);
}

/** The signed-in person, or null when nobody is (a 401). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<User | null> => {
      try {
        return (await call(api.GET('/api/me'))).user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Infinity,
  });
}

export const login = (email: string, password: string) => call(api.POST('/api/auth/login', { body: { email, password } }));
export const signup = (input: SignupRequest) => call(api.POST('/api/auth/signup', { body: input }));
export const fetchMe = () => call(api.GET('/api/me'));

export function useLogout() {
  return useMutation({ mutationFn: () => call(api.POST('/api/auth/logout')) });
}

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: UpdateMeRequest) => call(api.PATCH('/api/me', { body: patch })).then((res) => res.user),
    onSuccess: (user) => {
      queryClient.setQueryData(queryKeys.me, user);
      // Working hours, leave and channels decide the next delivery.
      void queryClient.invalidateQueries({ queryKey: queryKeys.delivery });
    },
  });
}

// ---------------------------------------------------------------------------------------------
// People

/** Everyone in the workspace (changes rarely: loaded once per page load, when first wanted). */
export function useUsersQuery({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: async ({ signal }): Promise<PublicUser[]> => (await call(api.GET('/api/users', { signal }))).users,
    staleTime: Infinity,
    enabled,
  });
}

// ---------------------------------------------------------------------------------------------
// Spaces

export function useSpaces() {
  return useQuery({
    queryKey: queryKeys.spaces,
    queryFn: async (): Promise<Space[]> => (await call(api.GET('/api/spaces'))).spaces,
  });
}

export function useCreateSpace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; private: boolean; commenting?: Space['commenting'] }) =>
      call(api.POST('/api/spaces', { body: { ...input, commenting: input.commenting ?? 'readers' } })).then((res) => res.space),
    onSuccess: (space) => {
      queryClient.setQueryData<Space[]>(queryKeys.spaces, (spaces) =>
        spaces ? [...spaces, space].sort((a, b) => a.name.localeCompare(b.name)) : spaces,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.spaces });
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Every page of `GET /api/docs` for a space (the tree needs the whole space, not the newest 200). */
async function allDocs(spaceId: string, list: DocList, signal: AbortSignal, maxPages = 25): Promise<DocSummary[]> {
  const out: DocSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const res = await call(
      api.GET('/api/docs', {
        params: {
          query: {
            spaceId,
            limit: 200,
            ...(list === 'decisions' ? { kind: 'decision' as const } : {}),
            ...(list === 'trash' ? { trashed: true } : {}),
            ...(cursor ? { cursor } : {}),
          },
        },
        signal,
      }),
    );
    out.push(...res.docs);
    cursor = res.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return out;
}

/** One list of a space's documents, every page of it. */
export function useSpaceDocs(spaceId: string, list: DocList) {
  return useQuery({
    queryKey: queryKeys.spaceDocList(spaceId, list),
    queryFn: ({ signal }) => allDocs(spaceId, list, signal),
  });
}

/** The documents the caller can read, newest first (up to 200): what the editor offers to link. */
export function useLinkableDocs(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.linkableDocs,
    queryFn: async ({ signal }) => (await call(api.GET('/api/docs', { params: { query: { limit: 200 } }, signal }))).docs,
    staleTime: 30_000,
    enabled,
  });
}

/**
 * A document as its page shows it. Reading it marks it seen at its current revision (the contract's
 * `GET /api/docs/:id`), so it is asked for on every visit (not on focus); mutations put their answer here.
 */
export function useDoc(id: string) {
  return useQuery({
    queryKey: queryKeys.doc(id),
    queryFn: async ({ signal }): Promise<Doc> =>
      (await call(api.GET('/api/docs/{id}', { params: { path: { id } }, signal }))).doc,
  });
}

/** A document read in passing, without marking it seen (`?peek=1`). */
export async function peekDoc(queryClient: QueryClient, id: string): Promise<Doc> {
  return queryClient.fetchQuery({
    queryKey: queryKeys.peekedDoc(id),
    queryFn: async ({ signal }) =>
      (await call(api.GET('/api/docs/{id}', { params: { path: { id }, query: { peek: true } }, signal }))).doc,
    staleTime: 30_000,
  });
}

/** The list fields of a document (what `GET /api/docs` shows of it). */
function summaryOf(doc: Doc): DocSummary {
  const { markdown, content, ...summary } = doc;
  void markdown;
  void content;
  return summary;
}

/**
 * After a document changed: show the server's copy at once (the page, the space's lists) and
 * refresh every list it may appear in.
 */
function docChanged(queryClient: QueryClient, doc: Doc | { id: string; spaceId: string }): void {
  if ('revision' in doc) {
    queryClient.setQueryData(queryKeys.doc(doc.id), doc);
    const summary = summaryOf(doc);
    queryClient.setQueriesData<DocSummary[]>({ queryKey: queryKeys.spaceDocs(doc.spaceId) }, (list) =>
      list?.map((d) => (d.id === doc.id ? { ...d, ...summary } : d)),
    );
  }
  void queryClient.invalidateQueries({ queryKey: queryKeys.spaceDocs(doc.spaceId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.linkableDocs });
  void queryClient.invalidateQueries({ queryKey: queryKeys.peekedDocs });
  void queryClient.invalidateQueries({ queryKey: queryKeys.revisions(doc.id) });
}

export function useCreateDoc() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateDocRequest) => call(api.POST('/api/docs', { body: input })).then((res) => res.doc),
    onSuccess: (doc) => docChanged(queryClient, doc),
  });
}

export function usePatchDoc() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: PatchDocRequest }) =>
      call(api.PATCH('/api/docs/{id}', { params: { path: { id } }, body: patch })).then((res) => res.doc),
    onSuccess: (doc) => docChanged(queryClient, doc),
  });
}

export function useTrashDoc() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (doc: { id: string; spaceId: string }) => {
      await call(api.DELETE('/api/docs/{id}', { params: { path: { id: doc.id } } }));
      return doc;
    },
    onSuccess: (doc) => {
      queryClient.removeQueries({ queryKey: queryKeys.doc(doc.id) });
      docChanged(queryClient, doc);
    },
  });
}

export function useRestoreDoc() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/docs/{id}/restore', { params: { path: { id } } })).then((res) => res.doc),
    onSuccess: (doc) => docChanged(queryClient, doc),
  });
}

// ---------------------------------------------------------------------------------------------
// History

export function useRevisions(docId: string) {
  return useQuery({
    queryKey: queryKeys.revisions(docId),
    queryFn: async ({ signal }) =>
      (await call(api.GET('/api/docs/{id}/revisions', { params: { path: { id: docId } }, signal }))).revisions,
  });
}

/** The diff between two revisions (revisions never change: kept for the page's life). */
export function useDiff(docId: string, pair: { from: number; to: number } | null) {
  return useQuery({
    queryKey: queryKeys.diff(docId, pair?.from ?? 0, pair?.to ?? 0),
    queryFn: ({ signal }) =>
      call(
        api.GET('/api/docs/{id}/diff', {
          params: { path: { id: docId }, query: { from: pair?.from ?? 0, to: pair?.to ?? 0 } },
          signal,
        }),
      ),
    enabled: pair !== null && pair.from !== pair.to,
    staleTime: Infinity,
  });
}

export function useRestoreRevision() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ docId, revision }: { docId: string; revision: number }) =>
      call(api.POST('/api/docs/{id}/revisions/{revision}/restore', { params: { path: { id: docId, revision } } })).then(
        (res) => res.doc,
      ),
    onSuccess: (doc) => docChanged(queryClient, doc),
  });
}

// ---------------------------------------------------------------------------------------------
// Watching

export type WatchKind = 'doc' | 'space';

/** Whether the caller watches a document or a space, as the server says. */
export function useWatch(kind: WatchKind, id: string) {
  return useQuery({
    queryKey: queryKeys.watch(kind, id),
    queryFn: ({ signal }): Promise<WatchState> =>
      kind === 'doc'
        ? call(api.GET('/api/docs/{id}/watch', { params: { path: { id } }, signal }))
        : call(api.GET('/api/spaces/{id}/watch', { params: { path: { id } }, signal })),
  });
}

export function useSetWatch(kind: WatchKind, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (on: boolean) => {
      const params = { params: { path: { id } } };
      if (kind === 'doc') await call(on ? api.PUT('/api/docs/{id}/watch', params) : api.DELETE('/api/docs/{id}/watch', params));
      else await call(on ? api.PUT('/api/spaces/{id}/watch', params) : api.DELETE('/api/spaces/{id}/watch', params));
    },
    // A space's watch changes what its documents answer (`viaSpace`): ask again for all of them.
    onSettled: () => queryClient.invalidateQueries({ queryKey: kind === 'doc' ? queryKeys.watch(kind, id) : ['watch'] }),
  });
}

// ---------------------------------------------------------------------------------------------
// Briefs

/** The caller's latest brief (null: none was ever built). Re-checked when the tab comes back, at most once a minute. */
export function useLatestBrief({ refetchOnMount = true }: { refetchOnMount?: boolean | 'always' } = {}) {
  return useQuery({
    queryKey: queryKeys.latestBrief,
    queryFn: async ({ signal }): Promise<Brief | null> => {
      try {
        return (await call(api.GET('/api/briefs/latest', { signal }))).brief;
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    refetchOnWindowFocus: true,
    refetchOnMount,
  });
}

export function useBuildBrief() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/briefs', { body: {} })).then((res) => res.brief),
    onSuccess: (brief) => queryClient.setQueryData(queryKeys.latestBrief, brief),
  });
}

export function useAcknowledgeBrief() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/briefs/{id}/ack', { params: { path: { id } } })),
    // Done once the server's latest brief says it was acknowledged.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.latestBrief }),
  });
}

// ---------------------------------------------------------------------------------------------
// Comments

type CreateThreadRequest = components['schemas']['CreateThreadRequest'];

/**
 * Every thread of a document, open and resolved, oldest first. Kept fresh by the collaboration
 * connection (a `threads` message invalidates it: see comments/use-thread-events.ts) and by the
 * mutations below.
 */
export function useThreads(docId: string) {
  return useQuery({
    queryKey: queryKeys.threads(docId),
    queryFn: async ({ signal }): Promise<Thread[]> =>
      (await call(api.GET('/api/docs/{id}/threads', { params: { path: { id: docId }, query: { status: 'all' } }, signal }))).threads,
  });
}

type WaitingResponse = components['schemas']['WaitingResponse'];

/**
 * What waits on the caller (`GET /api/me/waiting`: threads and handoff-note asks), asked once for
 * every part that shows some of it (re-checked every minute and on focus); `select` picks the part.
 */
export function useWaitingResponse<T>(select: (response: WaitingResponse) => T, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.waiting,
    queryFn: ({ signal }): Promise<WaitingResponse> => call(api.GET('/api/me/waiting', { signal })),
    select,
    staleTime: 20_000,
    refetchOnWindowFocus: true,
    refetchInterval: 60_000,
    enabled,
  });
}

const waitingThreadsOf = (response: WaitingResponse): WaitingThread[] => response.threads;

/** The caller's "Waiting on you" threads, most recently asked first. */
export function useWaiting(options: { enabled?: boolean } = {}) {
  return useWaitingResponse(waitingThreadsOf, options);
}

/** Someone changed a thread of `docId` (here or elsewhere): ask again for its threads and for what waits on the caller. */
export function threadsChanged(queryClient: QueryClient, docId: string): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.threads(docId) });
  void queryClient.invalidateQueries({ queryKey: queryKeys.waiting });
}

/** Shows a thread as the server answered it in its document's list at once. */
function putThread(queryClient: QueryClient, thread: Thread): void {
  queryClient.setQueryData<Thread[]>(queryKeys.threads(thread.docId), (list) => {
    if (!list) return list;
    return list.some((t) => t.id === thread.id) ? list.map((t) => (t.id === thread.id ? thread : t)) : [...list, thread];
  });
}

/** Shows a new or edited comment in its thread at once. */
function putComment(queryClient: QueryClient, docId: string, comment: ThreadComment): void {
  queryClient.setQueryData<Thread[]>(queryKeys.threads(docId), (list) =>
    list?.map((t) => {
      if (t.id !== comment.threadId) return t;
      const known = t.comments.some((c) => c.id === comment.id);
      return { ...t, comments: known ? t.comments.map((c) => (c.id === comment.id ? comment : c)) : [...t.comments, comment] };
    }),
  );
}

/**
 * Whether a failed thread creation may be tried once more: the server could not find the
 * editor's range in its copy of the body, which happens when the last keystrokes are still on
 * their way over the collaboration connection.
 */
function anchorNotSynced(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.status !== 422) return false;
  const details = err.details as { field?: unknown } | undefined;
  return details?.field === 'anchor.relative';
}

const ANCHOR_RETRY_MS = 300;

export function useCreateThread(docId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateThreadRequest) => {
      const post = () => call(api.POST('/api/docs/{id}/threads', { params: { path: { id: docId } }, body: input }));
      try {
        return (await post()).thread;
      } catch (err) {
        if (!anchorNotSynced(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, ANCHOR_RETRY_MS));
        return (await post()).thread;
      }
    },
    onSuccess: (thread) => {
      putThread(queryClient, thread);
      threadsChanged(queryClient, docId);
    },
  });
}

export function useReply(docId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ threadId, markdown }: { threadId: string; markdown: string }) =>
      call(api.POST('/api/threads/{id}/comments', { params: { path: { id: threadId } }, body: { markdown } })).then((res) => res.comment),
    onSuccess: (comment) => {
      putComment(queryClient, docId, comment);
      threadsChanged(queryClient, docId);
    },
  });
}

export function useEditComment(docId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ commentId, markdown }: { commentId: string; markdown: string }) =>
      call(api.PATCH('/api/comments/{id}', { params: { path: { id: commentId } }, body: { markdown } })).then((res) => res.comment),
    onSuccess: (comment) => {
      putComment(queryClient, docId, comment);
      threadsChanged(queryClient, docId);
    },
  });
}

export function useDeleteComment(docId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (commentId: string) => call(api.DELETE('/api/comments/{id}', { params: { path: { id: commentId } } })),
    onSuccess: () => threadsChanged(queryClient, docId),
  });
}

/** Resolves (`resolved`) or reopens (`open`) a thread. */
export function useSetThreadStatus(docId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ threadId, status }: { threadId: string; status: 'open' | 'resolved' }) => {
      const params = { params: { path: { id: threadId } } };
      const request = status === 'resolved' ? api.POST('/api/threads/{id}/resolve', params) : api.POST('/api/threads/{id}/reopen', params);
      return call(request).then((res) => res.thread);
    },
    onSuccess: (thread) => {
      putThread(queryClient, thread);
      threadsChanged(queryClient, docId);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Search

export interface SearchState {
  /** The latest answer received: for the current query, or for an earlier one while `loading`. */
  response: SearchResponse | null;
  /** The query text `response` answers (tests and screen readers can tell stale from current). */
  responseQuery: string | null;
  /** Whether `response` answers exactly the current query and filters. */
  current: boolean;
  /** A query is waiting for its debounce or its answer. */
  loading: boolean;
  /** The current query failed. */
  error: unknown;
  /** Runs the current query again (after an error). */
  retry: () => void;
}

/**
 * Searches as the parameters change: debounced; each query is its own cache entry (an answer that
 * arrives late never shows for a newer query), the one a newer query replaced is aborted, and the
 * previous answer stays on screen while the next loads. `params` null or a blank `q`: no search.
 */
export function useSearch(params: SearchParams | null, { debounceMs = 120 }: { debounceMs?: number } = {}): SearchState {
  const key = params && params.q.trim() ? searchQueryString(params) : null;
  const [debounced, setDebounced] = useState<{ key: string; params: SearchParams } | null>(null);
  useEffect(() => {
    if (key === null || !params) return;
    const timer = window.setTimeout(() => setDebounced({ key, params }), debounceMs);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `params` is a new object on every render; `key` is its value
  }, [key, debounceMs]);

  const ready = debounced !== null && debounced.key === key;
  const query = useQuery({
    queryKey: queryKeys.search(debounced?.key ?? ''),
    queryFn: async ({ signal }) => ({
      key: debounced?.key ?? '',
      response: await call(api.GET('/api/search', { params: { query: searchQuery(debounced?.params ?? { q: '' }) }, signal })),
    }),
    enabled: debounced !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });

  const answer = key === null ? undefined : query.data;
  const current = ready && answer?.key === key && !query.isPlaceholderData;
  const failed = ready && query.isError;
  return {
    response: answer?.response ?? null,
    responseQuery: answer ? new URLSearchParams(answer.key).get('q') : null,
    current,
    loading: key !== null && !current && !failed,
    error: failed ? query.error : null,
    retry: () => void query.refetch(),
  };
}

// ---------------------------------------------------------------------------------------------
// Delivery

type DeliveryStatus = components['schemas']['DeliveryStatusResponse'];

/** When and how the caller's next brief arrives, the notices of channels turned off, the delivery log. */
export function useDelivery({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.delivery,
    queryFn: ({ signal }): Promise<DeliveryStatus> => call(api.GET('/api/me/delivery', { signal })),
    staleTime: 60_000,
    refetchOnWindowFocus: true,
    enabled,
  });
}

export function useDismissDeliveryNotice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/me/delivery/notices/{id}/dismiss', { params: { path: { id } } })),
    onSuccess: (_, id) =>
      queryClient.setQueryData<DeliveryStatus>(queryKeys.delivery, (status) =>
        status ? { ...status, notices: status.notices.filter((n) => n.id !== id) } : status,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.delivery }),
  });
}

/** A new signing key for the caller's webhook (the old one stops verifying at once). */
export function useRotateWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/me/delivery/webhook-secret')).then((res) => res.webhookSecret),
    onSuccess: (webhookSecret) =>
      queryClient.setQueryData<DeliveryStatus>(queryKeys.delivery, (status) => (status ? { ...status, webhookSecret } : status)),
  });
}
