import { useEffect, useRef } from 'react';

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** How the shortcut is written on this platform: ⌘K on Apple devices, Ctrl K elsewhere. */
export const SHORTCUT_LABEL = IS_MAC ? '⌘K' : 'Ctrl K';

/** Whether a key event is the search shortcut: Cmd-K or Ctrl-K (either, on every platform). */
export function isSearchShortcut(event: KeyboardEvent): boolean {
  return (event.metaKey || event.ctrlKey) && !event.altKey && !event.shiftKey && (event.key === 'k' || event.key === 'K');
}

/**
 * Calls `onShortcut` for Cmd-K / Ctrl-K anywhere in the page, the editor included (listening in
 * the capture phase, before any editor can swallow the key), instead of the browser's own use.
 */
export function useSearchShortcut(onShortcut: () => void): void {
  const callback = useRef(onShortcut);
  useEffect(() => {
    callback.current = onShortcut;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isSearchShortcut(event) || event.repeat) return;
      event.preventDefault();
      event.stopPropagation();
      callback.current();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
}

/** The visible way in: "Search… ⌘K". `compact` shows only the icon (the phone top bar). */
export function SearchButton({ onClick, compact }: { onClick: () => void; compact?: boolean }) {
  return (
    <button
      type="button"
      className={compact ? 'search-button compact' : 'search-button'}
      onClick={onClick}
      aria-keyshortcuts="Meta+K Control+K"
      aria-haspopup="dialog"
      aria-label={compact ? 'Search' : undefined}
      data-testid={compact ? 'search-button-compact' : 'search-button'}
    >
      <SearchIcon />
      {!compact && (
        <>
          <span className="search-button-label">Search…</span>
          <kbd className="search-kbd">{SHORTCUT_LABEL}</kbd>
        </>
      )}
    </button>
  );
}

export function SearchIcon() {
  return (
    <svg className="search-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="6.75" cy="6.75" r="4.75" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M10.3 10.3 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
