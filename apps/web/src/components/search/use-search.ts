import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError, searchByQueryString, searchQueryString, type SearchParams, type SearchResponse } from './search-api.ts';

export interface SearchState {
  /** The latest answer received: for the current query, or for an earlier one while `loading`. */
  response: SearchResponse | null;
  /** The query text `response` answers (tests and screen readers can tell stale from current). */
  responseQuery: string | null;
  /** Whether `response` answers exactly the current query and filters. */
  current: boolean;
  /** A query is waiting for its debounce or its answer. */
  loading: boolean;
  /** The current query failed (not shown for queries that went stale). */
  error: unknown;
  /** Runs the current query again (after an error). */
  retry: () => void;
}

interface Answer {
  key: string | null;
  response: SearchResponse | null;
  errorKey: string | null;
  error: unknown;
}

const NO_ANSWER: Answer = { key: null, response: null, errorKey: null, error: null };

/**
 * Searches as the parameters change: debounced, each new query aborts the one in flight, and an
 * answer that arrives after a newer query was started is ignored (out-of-order responses never
 * overwrite newer ones). `params` null or a blank `q` means no search.
 */
export function useSearch(params: SearchParams | null, { debounceMs = 120 }: { debounceMs?: number } = {}): SearchState {
  const key = params && params.q.trim() ? searchQueryString(params) : null;
  const [answer, setAnswer] = useState<Answer>(NO_ANSWER);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const id = ++latest.current;
    if (key === null) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      searchByQueryString(key, controller.signal).then(
        (response) => {
          if (id === latest.current) setAnswer({ key, response, errorKey: null, error: null });
        },
        (error: unknown) => {
          if (id !== latest.current || isAbortError(error)) return;
          setAnswer((prev) => ({ ...prev, errorKey: key, error }));
        },
      );
    }, debounceMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key, attempt, debounceMs]);

  const retry = useCallback(() => {
    setAnswer((prev) => ({ ...prev, errorKey: null, error: null }));
    setAttempt((n) => n + 1);
  }, []);

  const failed = key !== null && answer.errorKey === key;
  return {
    response: key === null ? null : answer.response,
    responseQuery: key === null || answer.key === null ? null : new URLSearchParams(answer.key).get('q'),
    current: key !== null && answer.key === key,
    loading: key !== null && answer.key !== key && !failed,
    error: failed ? answer.error : null,
    retry,
  };
}
