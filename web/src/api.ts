/**
 * The dashboard's only way to the server: the public HTTP API on the same origin.
 * Errors come back as `ApiError` carrying the problem+json body (RFC 9457) when there is one.
 * Behind API_KEYS the key the user typed is kept in sessionStorage for the browser session and
 * sent as `Authorization: Bearer`; a 401 tells the shell to ask for it (see `onUnauthorized`).
 */

import type { FieldError } from '../../src/shared/field-errors.js';

export type { FieldError };

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
  code?: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly problem: Problem | null,
    readonly retryAfter: string | null = null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

const KEY_NAME = 'commitments.apiKey';

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled: the key lives only as long as the page
  }
}

let memoryKey: string | null = null;

export const apiKey = {
  get(): string | null {
    return storage()?.getItem(KEY_NAME) ?? memoryKey;
  },
  set(key: string): void {
    memoryKey = key;
    storage()?.setItem(KEY_NAME, key);
    bump();
  },
  clear(): void {
    memoryKey = null;
    storage()?.removeItem(KEY_NAME);
  },
};

// ---- session events: "a key is needed" and "data may have changed, fetch again" ----
type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
const epochListeners = new Set<Listener>();
let epoch = 0;

export function onUnauthorized(fn: Listener): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

/** Incremented when the key changes: every view fetches again. */
export function currentEpoch(): number {
  return epoch;
}
export function onEpoch(fn: Listener): () => void {
  epochListeners.add(fn);
  return () => epochListeners.delete(fn);
}
function bump(): void {
  epoch += 1;
  for (const fn of epochListeners) fn();
}

export interface ApiResult<T> {
  data: T;
  etag: string | null;
  status: number;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** The revision the user loaded; sent as `If-Match: "N"`. */
  ifMatch?: number;
  signal?: AbortSignal;
}

/** `/commitments?x=1`: a path of the API (same origin). Query values that are empty are dropped. */
export function apiPath(
  path: string,
  query: Record<string, string | number | undefined> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const key = apiKey.get();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.ifMatch !== undefined) headers['If-Match'] = `"${opts.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      credentials: 'same-origin',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, null);
  }
  let body: unknown = null;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401) for (const fn of unauthorizedListeners) fn();
    const problem = body && typeof body === 'object' ? (body as Problem) : null;
    throw new ApiError(res.status, problem, res.headers.get('retry-after'));
  }
  return { data: body as T, etag: res.headers.get('etag'), status: res.status };
}

/** A sentence for the user about an error (the view decides where to put it). */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError))
    return `Something went wrong: ${String((err as Error)?.message ?? err)}`;
  switch (err.status) {
    case 0:
      return 'The server cannot be reached. Check that it is running, then try again.';
    case 401:
      return 'An API key is needed to see this.';
    case 403:
      // The audits (verify, replay) need an auditor key; writes need a recorder key.
      return /\bauditor\b/.test(err.problem?.detail ?? '')
        ? 'Verify and replay need an auditor key; yours may not run them.'
        : 'Your API key may only read; recording needs a recorder key.';
    case 404:
      return err.problem?.detail ?? 'Not found.';
    case 412:
      return 'This commitment changed since you loaded it: reload.';
    case 503:
      return `The store is unavailable right now${err.retryAfter ? `; try again in ${err.retryAfter} s` : ''}.`;
    default:
      return err.problem?.detail ?? err.problem?.title ?? `The server answered ${err.status}.`;
  }
}
