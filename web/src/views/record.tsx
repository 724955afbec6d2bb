/**
 * Record (`/app/record`): a new commitment. The body is checked as the user types with the API's
 * RecordCommitmentBody; the server's problem details appear beside the fields they name.
 */
import { RecordCommitmentBody } from '../../../src/domain/commands.js';
import { KINDS } from '../../../src/domain/values.js';
import { api } from '../api.js';
import { formatAmount } from '../format.js';
import {
  ErrorSummary,
  Field,
  parseAmount,
  parseList,
  useZodForm,
  type FieldSpec,
  type Values,
} from '../forms.js';
import { useTitle } from '../hooks.js';
import { href, navigate } from '../router.js';
import type { View } from '../types.js';
import { useState } from 'preact/hooks';

export const RECORD_FIELDS: readonly FieldSpec[] = [
  { name: 'title', label: 'Title', paths: ['title', 'id'], required: true },
  { name: 'kind', label: 'Kind', type: 'select', options: KINDS, paths: ['kind'], required: true },
  {
    name: 'parties',
    label: 'Parties',
    paths: ['parties'],
    required: true,
    hint: 'Separated by commas: two-letter country codes (UZ, KZ) or names of organisations.',
  },
  {
    name: 'quote',
    label: 'Quote',
    type: 'textarea',
    paths: ['statement.quote', 'statement'],
    required: true,
    hint: 'The words as said or published.',
  },
  { name: 'saidOn', label: 'Said on', type: 'date', paths: ['statement.madeAt'], required: true },
  { name: 'saidBy', label: 'Said by', paths: ['statement.madeBy'], hint: 'Separated by commas.' },
  { name: 'publisher', label: 'Publisher', paths: ['source.publisher', 'source'], required: true },
  {
    name: 'publishedOn',
    label: 'Published on',
    type: 'date',
    paths: ['source.publishedAt'],
    required: true,
  },
  { name: 'sourceUrl', label: 'Source link', type: 'url', paths: ['source.url', 'source.title'] },
  {
    name: 'deadline',
    label: 'Deadline',
    paths: ['due', 'reviewEvery'],
    hint: 'As written: "by 2030", "next year", "within two years".',
  },
  {
    name: 'metricName',
    label: 'Metric name',
    paths: ['metric.name', 'metric'],
    hint: 'For a measurable target, e.g. trade turnover.',
  },
  { name: 'unit', label: 'Unit', paths: ['metric.unit'], hint: 'USD, tonnes, %…' },
  {
    name: 'baseline',
    label: 'Baseline',
    type: 'number',
    paths: ['metric.baseline'],
    hint: 'The value on the day it was said.',
  },
  { name: 'target', label: 'Target', type: 'number', paths: ['metric.target'] },
  { name: 'tags', label: 'Tags', paths: ['tags'], hint: 'Separated by commas.' },
];

/** The request body from the form's text, in the API's shape (validated separately). */
export function recordBody(v: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {
    title: v.title ?? '',
    kind: v.kind || undefined,
    parties: parseList(v.parties ?? '') ?? [],
    statement: {
      quote: v.quote ?? '',
      madeAt: v.saidOn ?? '',
      ...(parseList(v.saidBy ?? '') ? { madeBy: parseList(v.saidBy ?? '') } : {}),
    },
    source: {
      publisher: v.publisher ?? '',
      publishedAt: v.publishedOn ?? '',
      ...(v.sourceUrl?.trim() ? { url: v.sourceUrl.trim() } : {}),
    },
  };
  if (v.deadline?.trim()) body.due = { text: v.deadline.trim() };
  const hasMetric = [v.metricName, v.unit, v.baseline, v.target].some((s) => s?.trim());
  if (hasMetric) {
    const baseline = parseAmount(v.baseline ?? '');
    body.metric = {
      name: v.metricName ?? '',
      unit: v.unit ?? '',
      ...(baseline !== undefined ? { baseline: { value: baseline, asOf: v.saidOn ?? '' } } : {}),
      target: parseAmount(v.target ?? ''),
    };
  }
  const tags = parseList(v.tags ?? '');
  if (tags) body.tags = tags;
  return body;
}

export function RecordView() {
  useTitle('Record');
  const form = useZodForm(RECORD_FIELDS, RecordCommitmentBody, recordBody);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const amount = (name: 'baseline' | 'target'): string | undefined => {
    const n = parseAmount(form.values[name] ?? '');
    return n !== undefined && Number.isFinite(n) ? formatAmount(n, form.values.unit) : undefined;
  };
  return (
    <>
      <h1 tabIndex={-1}>Record a commitment</h1>
      <p>
        Fields are checked as you type, by the same rules as the API. The baseline is dated on the
        day it was said.
      </p>
      <form
        class="record-form"
        aria-label="Record a commitment"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          form.attempt();
          setTried(true);
          if (!form.valid) return;
          setBusy(true);
          try {
            const r = await api<View>('/commitments', { method: 'POST', body: form.body });
            navigate(href(`/commitments/${encodeURIComponent(r.data.id)}`));
          } catch (err) {
            form.serverFailed(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <ErrorSummary form={form} fields={RECORD_FIELDS} idPrefix="rec" show={tried} />
        {RECORD_FIELDS.map((f) => (
          <div key={f.name}>
            <Field
              spec={f}
              idPrefix="rec"
              value={form.values[f.name] ?? ''}
              errors={form.shown[f.name]}
              onInput={(v) => form.set(f.name, v)}
            />
            {(f.name === 'baseline' || f.name === 'target') && amount(f.name) && (
              <p class="hint reads-as">Reads as {amount(f.name)}</p>
            )}
          </div>
        ))}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Recording…' : 'Record commitment'}
          </button>
        </div>
      </form>
    </>
  );
}
