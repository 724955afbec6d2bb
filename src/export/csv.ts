/**
 * CSV export: one row per commitment view, with a header row (RFC 4180: CRLF line ends, a cell
 * with a comma, quote, CR or LF is quoted, quotes doubled). Lists (parties, tags) are joined with
 * ";"; `sources` holds every source of the commitment, one per line of the cell.
 *
 * Safe for spreadsheets (issue 14):
 * - a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`
 *   (the OWASP rule against CSV injection), so `=HYPERLINK(…)` is shown, not run. Cells holding a
 *   number we computed or stored as a number (`-5`) are left as they are: they cannot be formulas;
 * - the file begins with a UTF-8 byte-order mark, so that spreadsheets on Windows read Cyrillic
 *   and other non-ASCII names as UTF-8 (`bom: false` leaves it out).
 */
import type { CommitmentView } from '../../projections/types.js';
import { sourceLine } from './format.js';

export const CSV_COLUMNS = [
  'id',
  'title',
  'kind',
  'parties',
  'tags',
  'status',
  'timing',
  'assessment',
  'assessed_at',
  'compliance_average',
  'due_text',
  'due_earliest',
  'due_latest',
  'next_follow_up',
  'metric_name',
  'metric_unit',
  'metric_baseline',
  'metric_target',
  'metric_latest',
  'metric_progress',
  'outcome',
  'decided_at',
  'superseded_by',
  'quote',
  'made_at',
  'source_publisher',
  'source_url',
  'revision',
  'recorded_at',
  'updated_at',
  'sources',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const UTF8_BOM = '\uFEFF';

export interface CsvOptions {
  /** Begin with a UTF-8 byte-order mark (default true). */
  bom?: boolean;
}

/**
 * One view as a CSV record; absent values are empty cells. `source_publisher` and `source_url`
 * are the first source's (the statement's), `sources` lists every source.
 */
export function csvRecord(v: CommitmentView): Record<CsvColumn, string | number> {
  const source = v.sources[0];
  return {
    id: v.id,
    title: v.title,
    kind: v.kind,
    parties: v.parties.join(';'),
    tags: v.tags.join(';'),
    status: v.status,
    timing: v.timing,
    assessment: v.assessment?.value ?? '',
    assessed_at: v.assessment?.at ?? '',
    compliance_average: v.compliance.average ?? '',
    due_text: v.due?.text ?? '',
    due_earliest: v.due?.earliest ?? '',
    due_latest: v.due?.latest ?? '',
    next_follow_up: v.nextFollowUp ?? '',
    metric_name: v.metric?.name ?? '',
    metric_unit: v.metric?.unit ?? '',
    metric_baseline: v.metric?.baseline?.value ?? '',
    metric_target: v.metric?.target ?? '',
    metric_latest: v.metric?.latest?.value ?? '',
    metric_progress: v.metric?.progress ?? '',
    outcome: v.outcome?.outcome ?? '',
    decided_at: v.outcome?.decidedAt ?? '',
    superseded_by: v.supersededBy ?? '',
    quote: v.statement.quote,
    made_at: v.statement.madeAt,
    source_publisher: source?.publisher ?? '',
    source_url: source?.url ?? '',
    revision: v.revision,
    recorded_at: v.recordedAt,
    updated_at: v.updatedAt,
    sources: v.sources.map(sourceLine).join('\n'),
  };
}

/** A text cell that a spreadsheet would read as a formula (or that hides one behind a tab or CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralised (text only) and quoted when needed. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const s = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The header row (with CRLF), after the byte-order mark unless `bom` is false. */
export function csvHeader(opts: CsvOptions = {}): string {
  return `${opts.bom === false ? '' : UTF8_BOM}${CSV_COLUMNS.join(',')}\r\n`;
}

/** One view's row, with its CRLF. */
export function csvRow(v: CommitmentView): string {
  const r = csvRecord(v);
  return `${CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')}\r\n`;
}

/** The whole CSV in one string (small exports, tests); the streamed export writes the same bytes. */
export function renderCsv(views: Iterable<CommitmentView>, opts: CsvOptions = {}): string {
  let out = csvHeader(opts);
  for (const v of views) out += csvRow(v);
  return out;
}
