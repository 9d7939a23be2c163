import type { MouseEvent } from 'react';
import { ApiError } from '../../api/http.ts';
import type { SearchHit } from '../../api/model.ts';
import type { SearchState } from '../../api/queries.ts';
import { errorMessage } from '../../session.tsx';
import { KindTag, UpdatedTime, resultCount } from './search-format.tsx';
import { Snippet } from './snippet.tsx';

/** The palette's status line, error, "nothing found" and the list of hits. */
export function PaletteResults({
  search,
  query,
  hasFilters,
  onSearchEverywhere,
  listboxId,
  optionId,
  activeIndex,
  onActivate,
  onOpen,
  spaceName,
  timeZone,
}: {
  search: SearchState;
  query: string;
  hasFilters: boolean;
  onSearchEverywhere: () => void;
  listboxId: string;
  optionId: (i: number) => string;
  activeIndex: number;
  onActivate: (i: number) => void;
  onOpen: (docId: string, event: MouseEvent) => void;
  spaceName: (id: string) => string;
  timeZone: string;
}) {
  const hits = search.response?.hits ?? [];

  let status: string;
  if (!query) status = 'Type to search every document you can read.';
  else if (search.error) status = '';
  else if (search.loading && !search.response) status = 'Searching…';
  else if (search.response) status = resultCount(search.response.total);
  else status = '';

  const showEmpty = query && search.current && search.response?.total === 0;

  return (
    <div className="palette-body" aria-busy={search.loading}>
      <p className="palette-status muted" role="status" data-testid="search-status">
        {status}
        {search.loading && search.response && <span className="search-spinner" aria-label="Searching" />}
      </p>

      {search.error != null && (
        <div className="search-error" role="alert" data-testid="search-error">
          <p className="error">
            Search failed: {search.error instanceof ApiError && search.error.status === 0 ? search.error.message : errorMessage(search.error)}
          </p>
          <button type="button" className="small" onClick={search.retry}>
            Try again
          </button>
        </div>
      )}

      {showEmpty && (
        <div className="search-empty" data-testid="search-empty">
          <p>
            No documents match <strong>“{query}”</strong>
            {hasFilters ? ' with these filters.' : '.'}
          </p>
          {hasFilters && (
            <button type="button" className="small" onClick={onSearchEverywhere}>
              Search everywhere
            </button>
          )}
        </div>
      )}

      {query && !search.error && (
        <ul
          id={listboxId}
          role="listbox"
          aria-label="Matching documents"
          className="palette-results"
          data-testid="search-results"
          data-query={search.responseQuery ?? ''}
          data-current={search.current}
          hidden={hits.length === 0}
        >
          {hits.map((hit, i) => (
            <PaletteHit
              key={hit.docId}
              hit={hit}
              id={optionId(i)}
              selected={i === activeIndex}
              onActivate={() => i !== activeIndex && onActivate(i)}
              onOpen={(e) => onOpen(hit.docId, e)}
              spaceName={spaceName(hit.spaceId)}
              timeZone={timeZone}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function PaletteHit({
  hit,
  id,
  selected,
  onActivate,
  onOpen,
  spaceName,
  timeZone,
}: {
  hit: SearchHit;
  id: string;
  selected: boolean;
  onActivate: () => void;
  onOpen: (event: MouseEvent) => void;
  spaceName: string;
  timeZone: string;
}) {
  return (
    <li
      id={id}
      role="option"
      aria-selected={selected}
      className="palette-hit"
      data-testid="search-hit"
      data-doc-id={hit.docId}
      onMouseMove={onActivate}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onOpen}
    >
      <span className="hit-line">
        <span className="hit-title">{hit.title || 'Untitled'}</span>
        <KindTag kind={hit.kind} />
      </span>
      <Snippet snippet={hit.snippet} />
      <span className="hit-meta muted">
        {spaceName} · <UpdatedTime iso={hit.updatedAt} timeZone={timeZone} />
      </span>
    </li>
  );
}
