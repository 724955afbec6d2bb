/** Data fetching for views: loading, data or error, refetched when the path or the key changes. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, currentEpoch, onEpoch, type ApiResult } from './api.js';

export type Resource<T> =
  | { state: 'loading'; data: null; error: null; etag: null }
  | { state: 'ok'; data: T; error: null; etag: string | null }
  | { state: 'error'; data: null; error: unknown; etag: null };

export function useEpoch(): number {
  const [epoch, setEpoch] = useState(currentEpoch);
  useEffect(() => onEpoch(() => setEpoch(currentEpoch())), []);
  return epoch;
}

/**
 * The state of one load, run again when `key` or the API key changes, or on `reload()`; the
 * previous load is aborted. `load` is read when the effect runs, so it may be a fresh closure on
 * every render: `key` says when it is a different load. `key` null: nothing to load yet.
 */
function useLoad<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<{ data: T; etag: string | null }>,
): Resource<T> & { reload: () => void } {
  const epoch = useEpoch();
  const [tick, setTick] = useState(0);
  const [res, setRes] = useState<Resource<T>>({
    state: 'loading',
    data: null,
    error: null,
    etag: null,
  });
  useEffect(() => {
    if (key === null) return;
    const ctrl = new AbortController();
    setRes({ state: 'loading', data: null, error: null, etag: null });
    load(ctrl.signal).then(
      ({ data, etag }) => setRes({ state: 'ok', data, error: null, etag }),
      (error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        setRes({ state: 'error', data: null, error, etag: null });
      },
    );
    return () => ctrl.abort();
  }, [key, epoch, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...res, reload };
}

/** GET `path` (null: nothing to fetch yet). `reload()` fetches again. */
export function useApi<T>(path: string | null): Resource<T> & { reload: () => void } {
  return useLoad(path, (signal) => api<T>(path ?? '', { signal }));
}

/** Sets the document title for the view. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Commitments Tracker`;
  }, [title]);
}

/** At most this many pages are followed by `useHistory` (500 events a page at most). */
const MAX_HISTORY_PAGES = 50;

/**
 * Every event of a commitment's history: GET `path`, then each `nextCursor` page in turn, so a
 * commitment with more events than one page (200 by default) shows all of them. Stops after
 * `MAX_HISTORY_PAGES` pages and says so (`truncated`).
 */
export function useHistory<E>(
  path: string,
): Resource<{ events: E[]; truncated: boolean }> & { reload: () => void } {
  return useLoad<{ events: E[]; truncated: boolean }>(path, async (signal) => {
    const events: E[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
      const url: string = cursor === null ? path : `${path}?cursor=${encodeURIComponent(cursor)}`;
      const r: ApiResult<{ events: E[]; nextCursor?: string | null }> = await api(url, { signal });
      events.push(...r.data.events);
      cursor = r.data.nextCursor ?? null;
      if (cursor === null) return { data: { events, truncated: false }, etag: null };
    }
    return { data: { events, truncated: true }, etag: null };
  });
}
