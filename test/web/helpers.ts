/** A fetch double for component tests: answers by path, records every request. */
import { vi } from 'vitest';

export interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

export function fakeFetch(route: (url: string, init: RequestInit) => Answer): Seen[] {
  const seen: Seen[] = [];
  vi.stubGlobal('fetch', async (input: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    seen.push({
      url: input,
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const a = route(input, init);
    const type = a.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { 'content-type': type, ...(a.headers ?? {}) },
    });
  });
  return seen;
}
