/**
 * Full exports, bounded (issue 20). A calendar or CSV of the whole store reads every commitment;
 * the export streams a page at a time and yields between pages (src/export/stream.ts), so the
 * event loop stays free, but each running export still holds a read-model cursor and a core's
 * share of work for its whole duration. At most one calendar and one CSV run at a time per
 * server; another request for the same kind gets `BusyError` (HTTP 429 with Retry-After, the
 * rest of the running export estimated from the last one's duration).
 */
import { exclusiveSlots } from './audit-jobs.js';

export type ExportKind = 'calendar' | 'csv';

const LABEL: Record<ExportKind, string> = { calendar: 'calendar export', csv: 'CSV export' };

export interface ExportJobs {
  /** Run `work` (the whole streamed export) holding the slot of `kind`. */
  run<T>(kind: ExportKind, work: () => Promise<T>): Promise<T>;
  /** Which exports are running now. */
  running(): ExportKind[];
}

export function exportJobs(deps: { now(): Date }): ExportJobs {
  return exclusiveSlots<ExportKind>({ now: () => deps.now(), label: (kind) => LABEL[kind] });
}
