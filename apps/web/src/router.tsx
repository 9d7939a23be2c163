// A tiny history router: the app has a handful of paths, so it needs no routing library.

import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const NAVIGATE_EVENT = 'handoff:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function currentPath(): string {
  return window.location.pathname;
}

function currentSearch(): string {
  return window.location.search;
}

/** The current query string (`?q=…`, or ''); re-renders on every navigation. */
export function useQueryString(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}

/** The current path (no query or hash); re-renders on every navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export type Route =
  | { name: 'login' }
  | { name: 'signup' }
  | { name: 'home' }
  | { name: 'doc'; id: string }
  | { name: 'decision-log'; spaceId: string }
  | { name: 'trash'; spaceId: string }
  | { name: 'settings' }
  | { name: 'search' }
  | { name: 'catch-up' }
  | { name: 'waiting' }
  | { name: 'handoffs' }
  | { name: 'not-found' };

export function matchRoute(path: string): Route {
  if (path === '/login') return { name: 'login' };
  if (path === '/signup') return { name: 'signup' };
  if (path === '/' || path === '') return { name: 'home' };
  const doc = /^\/docs\/([^/]+)\/?$/.exec(path);
  if (doc?.[1]) return { name: 'doc', id: decodeURIComponent(doc[1]) };
  const spacePage = /^\/spaces\/([^/]+)\/(decisions|trash)\/?$/.exec(path);
  if (spacePage?.[1]) {
    const spaceId = decodeURIComponent(spacePage[1]);
    return spacePage[2] === 'trash' ? { name: 'trash', spaceId } : { name: 'decision-log', spaceId };
  }
  if (path === '/settings') return { name: 'settings' };
  if (path === '/search' || path === '/search/') return { name: 'search' };
  if (path === '/catch-up' || path === '/catch-up/') return { name: 'catch-up' };
  if (path === '/waiting' || path === '/waiting/') return { name: 'waiting' };
  if (path === '/handoffs' || path === '/handoffs/') return { name: 'handoffs' };
  return { name: 'not-found' };
}

export function docPath(id: string): string {
  return `/docs/${encodeURIComponent(id)}`;
}

/** A document opened on one of its comment threads (in focus, its text scrolled into view). */
export function threadPath(docId: string, threadId: string): string {
  return `${docPath(docId)}?thread=${encodeURIComponent(threadId)}`;
}

export function decisionLogPath(spaceId: string): string {
  return `/spaces/${encodeURIComponent(spaceId)}/decisions`;
}

export function trashPath(spaceId: string): string {
  return `/spaces/${encodeURIComponent(spaceId)}/trash`;
}

/** The full search results page; empty parameters are left out of the URL. */
export function searchPath(params: Record<string, string | null | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `/search?${text}` : '/search';
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An `<a>` that navigates in place on a plain left click and behaves like a link otherwise. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handleClick} {...rest} />;
}
