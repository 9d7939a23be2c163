import { useEffect, useMemo, useRef, useState } from 'react';
import type { DocKind } from '../api/model.ts';
import { useSearch } from '../api/queries.ts';
import { KINDS, KindTag, UPDATED_WITHIN, UpdatedTime, parseKind, parseUpdatedWithin, resultCount, updatedSinceIso, type UpdatedWithin } from '../components/search/search-format.tsx';
import { MAX_LIMIT, MAX_QUERY_LENGTH, searchQueryString } from '../components/search/search-params.ts';
import { SearchIcon } from '../components/search/SearchButton.tsx';
import { Snippet } from '../components/search/snippet.tsx';
import { useUsers } from '../components/use-users.ts';
import { Link, docPath, navigate, searchPath, useQueryString } from '../router.tsx';
import { errorMessage, useSession } from '../session.tsx';
import { useSpaceSelection } from './Layout.tsx';

const PAGE = 50;

interface PageParams {
  q: string;
  spaceId: string;
  kind: DocKind | '';
  author: string;
  updated: UpdatedWithin | '';
}

function readParams(queryString: string): PageParams {
  const query = new URLSearchParams(queryString);
  return {
    q: query.get('q') ?? '',
    spaceId: query.get('spaceId') ?? '',
    kind: parseKind(query.get('kind')) ?? '',
    author: query.get('author') ?? '',
    updated: parseUpdatedWithin(query.get('updated')) ?? '',
  };
}

/**
 * `/search?q=&spaceId=&kind=&author=&updated=`: every hit with its space, kind, time and snippet,
 * filters for space, kind, author and time, 50 at a time up to the API's 200. The URL is the
 * state, so a search can be shared, bookmarked and reached with Back.
 */
export function SearchPage() {
  const { user } = useSession();
  const { spaces } = useSpaceSelection();
  const users = useUsers();
  const params = readParams(useQueryString());
  const [text, setText] = useState(params.q);
  const inputRef = useRef<HTMLInputElement>(null);

  // The URL can change under the page (the palette's "See all results", Back): follow it.
  useEffect(() => setText(params.q), [params.q]);

  function update(patch: Partial<PageParams>) {
    const next = { ...params, ...patch };
    navigate(searchPath({ q: next.q, spaceId: next.spaceId, kind: next.kind, author: next.author, updated: next.updated }), {
      replace: true,
    });
  }

  const updatedSince = useMemo(() => updatedSinceIso(params.updated || undefined), [params.updated]);
  const base = {
    q: params.q,
    spaceId: params.spaceId || undefined,
    kind: params.kind || undefined,
    author: params.author || undefined,
    updatedSince,
  };
  // "Load more" raises the limit for this query only; any change of query or filter starts at 50.
  const baseKey = searchQueryString(base);
  const [more, setMore] = useState<{ key: string; limit: number }>({ key: '', limit: PAGE });
  const limit = more.key === baseKey ? more.limit : PAGE;
  const search = useSearch({ ...base, limit });

  const hits = search.response?.hits ?? [];
  const total = search.response?.total ?? 0;
  const query = params.q.trim();
  const hasFilters = Boolean(params.spaceId || params.kind || params.author || params.updated);
  const spaceName = (id: string) => spaces?.find((s) => s.id === id)?.name ?? 'Unknown space';
  const people = useMemo(() => [...users.values()].sort((a, b) => a.name.localeCompare(b.name)), [users]);

  return (
    <section className="page wide-page search-page" data-testid="search-page">
      <h1>Search</h1>
      <form
        role="search"
        className="search-page-form"
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: text });
        }}
      >
        <SearchIcon />
        <label className="visually-hidden" htmlFor="search-page-input">
          Search documents
        </label>
        <input
          id="search-page-input"
          ref={inputRef}
          type="search"
          autoFocus={!params.q}
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          maxLength={MAX_QUERY_LENGTH}
          placeholder="Search documents…"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            update({ q: e.target.value });
          }}
          data-testid="search-page-input"
        />
      </form>

      <div className="filters search-filters" role="group" aria-label="Filters">
        <label className="inline-label">
          Space
          <select value={params.spaceId} onChange={(e) => update({ spaceId: e.target.value })} data-testid="search-page-space">
            <option value="">All spaces</option>
            {spaces?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          Kind
          <select value={params.kind} onChange={(e) => update({ kind: parseKind(e.target.value) ?? '' })} data-testid="search-page-kind">
            <option value="">Pages and decisions</option>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          Author
          <select value={params.author} onChange={(e) => update({ author: e.target.value })} data-testid="search-page-author">
            <option value="">Anyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id === user.id ? `${p.name} (you)` : p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          Updated
          <select
            value={params.updated}
            onChange={(e) => update({ updated: parseUpdatedWithin(e.target.value) ?? '' })}
            data-testid="search-page-updated"
          >
            <option value="">Any time</option>
            {UPDATED_WITHIN.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {hasFilters && (
          <button type="button" className="small" onClick={() => update({ spaceId: '', kind: '', author: '', updated: '' })}>
            Clear filters
          </button>
        )}
      </div>

      <p className="muted search-page-status" role="status" data-testid="search-page-status">
        {!query
          ? 'Type a few letters: titles and text of every document you can read, typos forgiven.'
          : search.error
            ? ''
            : search.response
              ? `${resultCount(total)} for “${search.responseQuery ?? query}”`
              : 'Searching…'}
        {search.loading && search.response && <span className="search-spinner" aria-label="Searching" />}
      </p>

      {search.error != null && (
        <div className="search-error" role="alert" data-testid="search-error">
          <p className="error">Search failed: {errorMessage(search.error)}</p>
          <button type="button" className="small" onClick={search.retry}>
            Try again
          </button>
        </div>
      )}

      {query && search.current && total === 0 && (
        <div className="search-empty" data-testid="search-empty">
          <p>
            Nothing matches <strong>“{query}”</strong>
            {hasFilters ? ' with these filters.' : '.'} Check the spelling, try fewer words
            {hasFilters ? ', or clear the filters' : ''}.
          </p>
        </div>
      )}

      {query && hits.length > 0 && !search.error && (
        <ol
          className="search-results"
          aria-busy={search.loading}
          data-testid="search-page-results"
          data-query={search.responseQuery ?? ''}
          data-current={search.current}
        >
          {hits.map((hit) => (
            <li key={hit.docId} className="search-result" data-testid="search-result" data-doc-id={hit.docId}>
              <div className="hit-line">
                <Link to={docPath(hit.docId)} className="result-title">
                  {hit.title || 'Untitled'}
                </Link>
                <KindTag kind={hit.kind} />
              </div>
              <Snippet snippet={hit.snippet} />
              <div className="hit-meta muted">
                <span data-testid="search-result-space">{spaceName(hit.spaceId)}</span>
                <span aria-hidden="true"> · </span>
                <span>
                  Updated <UpdatedTime iso={hit.updatedAt} timeZone={user.timezone} />
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}

      {query && hits.length > 0 && !search.error && (
        <div className="search-more">
          {hits.length < total && (
            <span className="muted small-text" data-testid="search-page-shown">
              Showing {hits.length} of {total.toLocaleString()}
            </span>
          )}
          {hits.length < total && limit < MAX_LIMIT && (
            <button
              type="button"
              aria-disabled={search.loading}
              onClick={() => {
                if (!search.loading) setMore({ key: baseKey, limit: Math.min(MAX_LIMIT, limit + PAGE) });
              }}
              data-testid="search-load-more"
            >
              {search.loading && limit > PAGE ? 'Loading…' : 'Load more'}
            </button>
          )}
          {hits.length < total && limit >= MAX_LIMIT && search.current && (
            <p className="muted">Add words or filters to narrow the search: at most {MAX_LIMIT} results are listed.</p>
          )}
        </div>
      )}
    </section>
  );
}
