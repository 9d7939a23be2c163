import { useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { DocKind, Space } from '../../api/model.ts';
import { useSearch } from '../../api/queries.ts';
import { Link, docPath, navigate, searchPath } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { PaletteFilterBar } from './PaletteFilterBar.tsx';
import { PaletteResults } from './PaletteResults.tsx';
import { SearchIcon, SHORTCUT_LABEL } from './SearchButton.tsx';
import { MAX_QUERY_LENGTH } from './search-params.ts';
import { useModalDialog } from './use-modal-dialog.ts';
import { usePaletteNavigation } from './use-palette-navigation.ts';

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

  // Open as a modal dialog (the page behind becomes inert); on close, focus goes back where it was.
  useModalDialog(dialogRef, inputRef);

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

  const { activeIndex, setActive, onInputKey } = usePaletteNavigation({
    hits,
    response: search.response,
    current: search.current,
    query,
    ids,
    openDoc,
    openAll,
  });

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
        <PaletteHead
          inputRef={inputRef}
          query={filters.q}
          onQuery={(q) => setFilters((f) => ({ ...f, q }))}
          onKeyDown={onInputKey}
          expanded={hits.length > 0}
          listboxId={listboxId}
          activeDescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
          onClose={onClose}
        />

        <PaletteFilterBar
          ids={ids}
          spaceId={filters.spaceId}
          kind={filters.kind}
          spaces={spaces}
          onSpace={(spaceId) => setFilters((f) => ({ ...f, spaceId }))}
          onKind={(kind) => setFilters((f) => ({ ...f, kind }))}
        />

        <PaletteResults
          search={search}
          query={query}
          hasFilters={hasFilters}
          onSearchEverywhere={() => setFilters((f) => ({ ...f, spaceId: '', kind: '' }))}
          listboxId={listboxId}
          optionId={optionId}
          activeIndex={activeIndex}
          onActivate={setActive}
          onOpen={openDoc}
          spaceName={spaceName}
          timeZone={user.timezone}
        />

        <PaletteFoot seeAll={query ? seeAll : null} onClose={onClose} />
      </div>
    </dialog>
  );
}

/** The search box (a combobox over the hits) and the close button. */
function PaletteHead({
  inputRef,
  query,
  onQuery,
  onKeyDown,
  expanded,
  listboxId,
  activeDescendant,
  onClose,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  query: string;
  onQuery: (q: string) => void;
  onKeyDown: (event: ReactKeyboardEvent<HTMLInputElement>) => void;
  expanded: boolean;
  listboxId: string;
  activeDescendant: string | undefined;
  onClose: () => void;
}) {
  return (
    <div className="palette-head">
      <SearchIcon />
      <input
        ref={inputRef}
        type="text"
        role="combobox"
        aria-label="Search documents"
        aria-expanded={expanded}
        aria-controls={listboxId}
        aria-autocomplete="list"
        aria-activedescendant={activeDescendant}
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
        maxLength={MAX_QUERY_LENGTH}
        placeholder="Search documents…"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
      <button type="button" className="palette-close" onClick={onClose} aria-label="Close search" data-testid="search-close">
        <kbd className="palette-close-key">Esc</kbd>
        <span className="palette-close-text">Cancel</span>
      </button>
    </div>
  );
}

/** "See all results" (once there is a query) and the keyboard hints. */
function PaletteFoot({ seeAll, onClose }: { seeAll: string | null; onClose: () => void }) {
  return (
    <div className="palette-foot">
      {seeAll ? (
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
