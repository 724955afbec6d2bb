/**
 * A small router over the History API: every view has its own address under /app/, with its
 * filters in the query string, so it can be bookmarked and shared. Links are ordinary `<a href>`;
 * the shell turns same-app clicks into `navigate` calls.
 */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/app';

export interface Location {
  /** Path inside the app: `/`, `/commitments`, `/commitments/uz-kz-trade-10b`. */
  path: string;
  query: URLSearchParams;
}

const listeners = new Set<() => void>();

export function currentLocation(): Location {
  const { pathname, search } = window.location;
  let path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  if (path === '') path = '/';
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(search) };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const fn of listeners) fn();
}

/** `/app/commitments?status=open`: the address of a view with its query (empty values dropped). */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  const p = path === '/' ? `${BASE}/` : `${BASE}${path}`;
  return s ? `${p}?${s}` : p;
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(currentLocation);
  useEffect(() => {
    const update = (): void => setLoc(currentLocation());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return loc;
}

/** A click on an in-app link becomes a navigation without a page load. */
export function interceptLinkClick(ev: MouseEvent): void {
  if (
    ev.defaultPrevented ||
    ev.button !== 0 ||
    ev.metaKey ||
    ev.ctrlKey ||
    ev.shiftKey ||
    ev.altKey
  )
    return;
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  if (url.pathname !== BASE && !url.pathname.startsWith(`${BASE}/`)) return;
  // A link to a place on this page (an error summary's link to its field) stays a plain link.
  if (
    url.hash &&
    url.pathname === window.location.pathname &&
    url.search === window.location.search
  )
    return;
  ev.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}
