/**
 * Paging for `commitments overdue` and `upcoming` (issue 14): `--limit` (default 50 when stdout
 * is a terminal, every item otherwise), fetched from the tracker's keyset-paged agenda a page of
 * at most 1000 at a time, and a line on stderr saying how many more there are.
 */
import { UsageError } from './context.js';
import type { Out } from './output.js';

/** What one page of the tracker's agenda holds. */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

/** Largest page the read model is asked for (the HTTP API's maximum too). */
const PAGE = 1000;
/** Items shown on a terminal when `--limit` is not given. */
export const TERMINAL_LIMIT = 50;

/** `--limit` as a number, or the default: 50 on a terminal, else undefined (every item). */
export function parseLimit(value: string | undefined, isTerminal: boolean): number | undefined {
  if (value === undefined) return isTerminal ? TERMINAL_LIMIT : undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) {
    throw new UsageError(`--limit: expected a whole number of at least 1, got ${value}`);
  }
  return Number(value);
}

/** Up to `limit` items (every one without a limit), reading page after page. */
export async function collectAgenda<T>(
  fetch: (page: { limit: number; cursor?: string }) => Promise<Page<T>>,
  limit: number | undefined,
): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let total = 0;
  for (;;) {
    const want = limit === undefined ? PAGE : Math.min(PAGE, limit - items.length);
    const page = await fetch({ limit: want, ...(cursor !== undefined ? { cursor } : {}) });
    items.push(...page.items);
    if (cursor === undefined) total = page.total;
    if (page.nextCursor === null || (limit !== undefined && items.length >= limit)) break;
    cursor = page.nextCursor;
  }
  return { items, total: Math.max(total, items.length) };
}

/** Tell (on stderr, so stdout stays the data) how many items were not shown. */
export function sayMore(out: Out, shown: number, total: number): void {
  const more = total - shown;
  if (more > 0)
    out.error(`${more} more not shown (${total} in all); use --limit ${total} to see them`);
}
