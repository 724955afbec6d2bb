/**
 * CSV export: one row per commitment view, with a header row. Quoting (commas, quotes,
 * newlines) is done by csv-stringify. Lists (parties, tags) are joined with ";".
 */
import { stringify } from 'csv-stringify/sync';
import type { CommitmentView } from '../../projections/types.js';

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
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** One view as a CSV record; absent values are empty cells. */
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
  };
}

/** RFC 4180 CSV (CRLF line ends) with a header row, one row per view, in the given order. */
export function renderCsv(views: readonly CommitmentView[]): string {
  return stringify(views.map(csvRecord), {
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: 'windows',
    cast: { number: (n) => String(n) },
  });
}
