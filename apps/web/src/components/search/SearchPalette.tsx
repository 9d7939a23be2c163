import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent } from 'react';
import { ApiError } from '../../api/http.ts';
import type { DocKind, Space } from '../../api/model.ts';
import { useSearch } from '../../api/queries.ts';
import { Link, docPath, navigate, searchPath } from '../../router.tsx';
import { errorMessage, useSession } from '../../session.tsx';
import { SearchIcon, SHORTCUT_LABEL } from './SearchButton.tsx';
import { KINDS, KindTag, UpdatedTime, resultCount } from './search-format.tsx';
import { MAX_QUERY_LENGTH } from './search-params.ts';
import { Snippet } from './snippet.tsx';

/** How many hits the palette shows; "See all results" opens the full page for the rest. */
export const PALETTE_LIMIT = 8;

export interface PaletteFilters {
  q: string;
  spaceId: string;
  kind: DocKind | '';
}

const EMPTY: PaletteFilters = { q: '', spaceId: '', kind: '' };

/**
 * The Cmd/Ctrl-K command palette: results as you type, ↑/↓ and Enter, Esc to close. Mounted
 * always so the last query and filters are still there when it is opened again; the dialog
 * itself exists only while `open`.
 */
export function SearchPalette({
  open,
  onClose,
  spaces,
}: {
  open: boolean;
  onClose: () => void;
  spaces: Space[] | null;
}) {
  const [filters, setFilters] = useState<PaletteFilters>(EMPTY);
  // A space that disappeared (or was never visible) must not stay selected.
  const spaceId = filters.spaceId && spaces && !spaces.some((s) => s.id === filters.spaceId) ? '' : filters.spaceId;
  if (!open) return null;
  return <PaletteDialog filters={{ ...filters, spaceId }} setFilters={setFilters} onClose={onClose} spaces={spaces ?? []} />;
}

function PaletteDialog({
  filters,
  setFilters,
  onClose,
  spaces,
}: {
  filters: PaletteFilters;
  setFilters: (update: (current: PaletteFilters) => PaletteFilters) => void;
  onClose: () => void;
  spaces: Space[];
}) {
  const { user } = useSession();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  const listboxId = `${ids}-listbox`;
  const optionId = (i: number) => `${ids}-option-${i}`;

  const search = useSearch({
    q: filters.q,
    spaceId: filters.spaceId || undefined,
    kind: filters.kind || undefined,
    limit: PALETTE_LIMIT,
  });
  const hits = search.response?.hits ?? [];
  const [active, setActive] = useState(0);
  const activeIndex = hits.length === 0 ? -1 : Math.min(active, hits.length - 1);

  // A new answer puts the first hit under the cursor.
  useEffect(() => setActive(0), [search.response]);

  // Open as a modal dialog (the page behind becomes inert); on close, focus goes back where it was.
  useEffect(() => {
    const dialog = dialogRef.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    inputRef.current?.focus();
    inputRef.current?.select();
    return () => {
      dialog?.close();
      if (before?.isConnected) before.focus({ preventScroll: true });
    };
  }, []);

  useEffect(() => {
    if (activeIndex < 0) return;
    document.getElementById(`${ids}-option-${activeIndex}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeIndex, ids]);

  const spaceName = (id: string) => spaces.find((s) => s.id === id)?.name ?? 'Unknown space';
  const seeAll = searchPath({ q: filters.q.trim(), spaceId: filters.spaceId, kind: filters.kind });
  const hasFilters = Boolean(filters.spaceId || filters.kind);
  const query = filters.q.trim();

  function openDoc(docId: string, event?: MouseEvent) {
    if (event && (event.metaKey || event.ctrlKey || event.shiftKey || event.button === 1)) {
      window.open(docPath(docId), '_blank', 'noopener');
      return;
    }
    onClose();
    navigate(docPath(docId));
  }

  function openAll() {
    onClose();
    navigate(seeAll);
  }

  function onInputKey(event: ReactKeyboardEvent<HTMLInputElement>) {
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (hits.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((activeIndex + step + hits.length) % hits.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (!query) return;
      const hit = hits[activeIndex];
      if (event.metaKey || event.ctrlKey || !hit || !search.current) openAll();
      else openDoc(hit.docId);
    }
  }

  let status: string;
  if (!query) status = 'Type to search every document you can read.';
  else if (search.error) status = '';
  else if (search.loading && !search.response) status = 'Searching…';
  else if (search.response) status = resultCount(search.response.total);
  else status = '';

  const showEmpty = query && search.current && search.response?.total === 0;

  return (
    <dialog
      ref={dialogRef}
      className="search-palette"
      aria-label="Search documents"
      data-testid="search-palette"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => trapFocus(event, event.currentTarget)}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="palette-frame">
        <div className="palette-head">
          <SearchIcon />
          <input
            ref={inputRef}
            type="text"
            role="combobox"
            aria-label="Search documents"
            aria-expanded={hits.length > 0}
            aria-controls={listboxId}
            aria-autocomplete="list"
            aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
            autoComplete="off"
            spellCheck={false}
            enterKeyHint="search"
            maxLength={MAX_QUERY_LENGTH}
            placeholder="Search documents…"
            value={filters.q}
            onChange={(e) => {
              const q = e.target.value;
              setFilters((f) => ({ ...f, q }));
            }}
            onKeyDown={onInputKey}
            data-testid="search-input"
          />
          <button type="button" className="palette-close" onClick={onClose} aria-label="Close search" data-testid="search-close">
            <kbd className="palette-close-key">Esc</kbd>
            <span className="palette-close-text">Cancel</span>
          </button>
        </div>

        <div className="palette-filters" role="group" aria-label="Filters">
          <label className="visually-hidden" htmlFor={`${ids}-space`}>
            Space
          </label>
          <select
            id={`${ids}-space`}
            value={filters.spaceId}
            onChange={(e) => {
              const spaceId = e.target.value;
              setFilters((f) => ({ ...f, spaceId }));
            }}
            data-testid="search-space-filter"
          >
            <option value="">All spaces</option>
            {spaces.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <div className="palette-chips" role="group" aria-label="Kind">
            {[{ value: '' as const, label: 'All' }, ...KINDS].map((k) => (
              <button
                key={k.value || 'all'}
                type="button"
                className="filter-chip"
                aria-pressed={filters.kind === k.value}
                onClick={() => setFilters((f) => ({ ...f, kind: k.value }))}
                data-testid={`search-kind-${k.value || 'all'}`}
              >
                {k.label}
              </button>
            ))}
          </div>
        </div>

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
                <button type="button" className="small" onClick={() => setFilters((f) => ({ ...f, spaceId: '', kind: '' }))}>
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
                <li
                  key={hit.docId}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === activeIndex}
                  className="palette-hit"
                  data-testid="search-hit"
                  data-doc-id={hit.docId}
                  onMouseMove={() => i !== activeIndex && setActive(i)}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={(e) => openDoc(hit.docId, e)}
                >
                  <span className="hit-line">
                    <span className="hit-title">{hit.title || 'Untitled'}</span>
                    <KindTag kind={hit.kind} />
                  </span>
                  <Snippet snippet={hit.snippet} />
                  <span className="hit-meta muted">
                    {spaceName(hit.spaceId)} · <UpdatedTime iso={hit.updatedAt} timeZone={user.timezone} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>

        <div className="palette-foot">
          {query ? (
            <Link
              to={seeAll}
              className="see-all"
              onClick={(e) => {
                if (!e.defaultPrevented && e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey) onClose();
              }}
              data-testid="search-see-all"
            >
              See all results →
            </Link>
          ) : (
            <span />
          )}
          <span className="palette-hints muted" aria-hidden="true">
            <kbd>↑</kbd>
            <kbd>↓</kbd> move <kbd>Enter</kbd> open <kbd>Esc</kbd> close <kbd>{SHORTCUT_LABEL}</kbd> toggle
          </span>
        </div>
      </div>
    </dialog>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Keeps Tab and Shift-Tab inside `container` (the modal dialog also makes the page inert). */
export function trapFocus(event: ReactKeyboardEvent, container: HTMLElement): void {
  if (event.key !== 'Tab') return;
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  const current = document.activeElement;
  if (event.shiftKey && (current === first || !container.contains(current))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (current === last || !container.contains(current))) {
    event.preventDefault();
    first.focus();
  }
}
