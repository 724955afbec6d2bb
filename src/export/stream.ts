/**
 * Exports that stream (issue 14): the read model is read in pages through the application's
 * `list`, each page is rendered to one chunk, and the generator yields to the event loop
 * (`setImmediate`) between pages, so that other requests are served while a large export runs
 * and memory holds one page, not the whole export. HTTP writes the chunks with backpressure
 * (src/http/routes/exports.ts); the CLI writes them to stdout or a file.
 */
import type { CommitmentView } from '../../projections/types.js';
import type { ListFilter, ListPage } from '../read-model/types.js';
import type { StoredEvent } from '../store/port.js';
import { csvHeader, csvRow, type CsvOptions } from './csv.js';
import { ICS_FOOTER, icsEvents, icsHeader, type IcsOptions } from './ics.js';
import { toNdjsonLine } from './ndjson.js';

/** What the exports page through: the application's `list`. */
export interface ViewLister {
  list(filter: ListFilter): Promise<ListPage>;
}

/** What the event-log export pages through: the store's `readAll`. */
export interface EventReader {
  readAll(opts: { after: number; limit: number }): Promise<StoredEvent[]>;
}

/** Views per page: small enough that rendering one page is a short turn of the event loop. */
export const EXPORT_PAGE = 200;
/** Events per page of the NDJSON export. */
export const EVENT_PAGE = 1000;

/** Let the event loop run I/O (other requests) before going on. */
export const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface ViewSelection {
  asOf: string;
  party?: string;
  /** Only commitments whose latest review says this (`none`: not reviewed yet). */
  assessment?: ListFilter['assessment'];
  pageSize?: number;
}

/** Every view at `asOf` (optionally of one party, or with one assessment), page by page in id order, yielding between pages. */
export async function* viewPages(
  lister: ViewLister,
  sel: ViewSelection,
): AsyncGenerator<CommitmentView[], void, undefined> {
  let cursor: string | undefined;
  for (;;) {
    const page = await lister.list({
      asOf: sel.asOf,
      limit: sel.pageSize ?? EXPORT_PAGE,
      ...(sel.party !== undefined ? { party: sel.party } : {}),
      ...(sel.assessment !== undefined ? { assessment: sel.assessment } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    });
    yield page.items;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
    await yieldToEventLoop();
  }
}

/**
 * Render `pages` with `render`, prefixed by `head` (sent with the first page, so that an error
 * reading the first page happens before anything is written) and followed by `tail`.
 */
async function* rendered<T>(
  pages: AsyncIterable<T[]>,
  head: string,
  render: (item: T) => string,
  tail: string,
): AsyncGenerator<string, void, undefined> {
  let pending = head;
  for await (const page of pages) {
    let chunk = pending;
    pending = '';
    for (const item of page) chunk += render(item);
    if (chunk !== '') yield chunk;
  }
  if (pending + tail !== '') yield pending + tail;
}

/** The CSV export as chunks: byte-order mark (unless `bom: false`) and header, then a chunk per page. */
export function csvChunks(
  lister: ViewLister,
  sel: ViewSelection & CsvOptions,
): AsyncGenerator<string, void, undefined> {
  return rendered(viewPages(lister, sel), csvHeader(sel), csvRow, '');
}

/** The iCalendar export as chunks: the calendar's head, a chunk of VEVENTs per page, its end. */
export function icsChunks(
  lister: ViewLister,
  sel: ViewSelection & IcsOptions,
): AsyncGenerator<string, void, undefined> {
  return rendered(viewPages(lister, sel), icsHeader(sel), icsEvents, ICS_FOOTER);
}

/** The lossless event log as NDJSON chunks, a page of events each, in position order. */
export async function* ndjsonChunks(
  reader: EventReader,
  opts: { pageSize?: number; onPage?: (lastPosition: number) => void } = {},
): AsyncGenerator<string, void, undefined> {
  const limit = opts.pageSize ?? EVENT_PAGE;
  let after = 0;
  for (;;) {
    const page = await reader.readAll({ after, limit });
    if (page.length === 0) return;
    let chunk = '';
    for (const e of page) chunk += toNdjsonLine(e);
    yield chunk;
    after = (page[page.length - 1] as StoredEvent).position;
    opts.onPage?.(after);
    if (page.length < limit) return;
    await yieldToEventLoop();
  }
}

/** The calendar's name for a party filter. */
export const calendarName = (party: string | undefined): string =>
  party ? `Commitments (${party})` : 'Commitments';
