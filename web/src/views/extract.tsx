/**
 * Extract (`/app/extract`): paste a statement or a news report, `POST /extractions` (which writes
 * nothing), and go through the candidate commitments it proposes: each quote is marked in the
 * text; Accept records the candidate's `body` with `POST /commitments`, Edit opens the body in an
 * inline editor checked with the API's own RecordCommitmentBody, Reject hides it. The sentences
 * the extraction skipped are listed with their reasons, so a person can overrule.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { RecordCommitmentBody } from '../../../src/domain/commands.js';
import { ExtractionRequest } from '../../../src/extraction/types.js';
import type { Candidate, ExtractionResult } from '../../../src/extraction/types.js';
import { api, ApiError } from '../api.js';
import { DateText, ErrorMessage, Loading } from '../components.js';
import { formatAmount, humanise } from '../format.js';
import { ErrorSummary, Field, useZodForm, type FieldSpec, type Values } from '../forms.js';
import { useTitle } from '../hooks.js';
import { href } from '../router.js';
import type { View } from '../types.js';
import { RECORD_FIELDS, recordBody } from './record.js';
import './extract.css';

export const EXTRACT_FIELDS: readonly FieldSpec[] = [
  {
    name: 'text',
    label: 'Text',
    type: 'textarea',
    paths: ['text'],
    required: true,
    hint: 'A statement or news report, pasted as it is (at most 50,000 characters).',
  },
  { name: 'publisher', label: 'Publisher', paths: ['source.publisher', 'source'], required: true },
  {
    name: 'publishedOn',
    label: 'Published on',
    type: 'date',
    paths: ['source.publishedAt'],
    required: true,
  },
  { name: 'sourceTitle', label: 'Title', paths: ['source.title'], hint: 'Of the report.' },
  { name: 'sourceUrl', label: 'Source link', type: 'url', paths: ['source.url'] },
  {
    name: 'statementDate',
    label: 'Statement date',
    type: 'date',
    paths: ['statementDate'],
    hint: 'When it was said. Left empty: the dateline ("Tashkent, November 15 (Xinhua) —"), else the publication date.',
  },
];

/** The `POST /extractions` body from the form's text (validated with ExtractionRequest). */
export function extractionBody(v: Values): Record<string, unknown> {
  const source: Record<string, unknown> = {
    publisher: v.publisher ?? '',
    publishedAt: v.publishedOn ?? '',
  };
  if (v.sourceTitle?.trim()) source.title = v.sourceTitle.trim();
  if (v.sourceUrl?.trim()) source.url = v.sourceUrl.trim();
  const body: Record<string, unknown> = { text: v.text ?? '', source };
  if (v.statementDate?.trim()) body.statementDate = v.statementDate.trim();
  return body;
}

/** A deadline as the Record form's Deadline field shows it. */
function dueText(due: RecordCommitmentBody['due']): string {
  if (!due) return '';
  if ('text' in due) return due.text;
  if ('edtf' in due) return due.edtf;
  return due.latest;
}

/** The Record form's values for a candidate's body: what the inline editor starts from. */
export function candidateValues(b: RecordCommitmentBody): Values {
  return {
    title: b.title,
    kind: b.kind,
    parties: b.parties.join(', '),
    quote: b.statement.quote,
    saidOn: b.statement.madeAt,
    saidBy: (b.statement.madeBy ?? []).join(', '),
    publisher: b.source.publisher,
    publishedOn: b.source.publishedAt,
    sourceUrl: b.source.url ?? '',
    deadline: dueText(b.due),
    metricName: b.metric?.name ?? '',
    unit: b.metric?.unit ?? '',
    baseline: b.metric?.baseline ? String(b.metric.baseline.value) : '',
    target: b.metric ? String(b.metric.target) : '',
    tags: (b.tags ?? []).join(', '),
  };
}

/**
 * The body of an edited candidate: the Record form's body for the values, keeping what the form
 * has no field for from the original (the statement's language, the source's title, the baseline's
 * date, the review interval, an id) and the original deadline when its phrase was not changed (it
 * may be an EDTF form or a vague phrase the form would otherwise send as plain text).
 */
export function editedBody(v: Values, original: RecordCommitmentBody): Record<string, unknown> {
  const body = recordBody(v);
  const statement = body.statement as Record<string, unknown>;
  if (original.statement.language) statement.language = original.statement.language;
  const source = body.source as Record<string, unknown>;
  if (original.source.title) source.title = original.source.title;
  const metric = body.metric as { baseline?: { value: number; asOf: string } } | undefined;
  if (metric?.baseline && original.metric?.baseline)
    metric.baseline.asOf = original.metric.baseline.asOf;
  if (original.due && (v.deadline ?? '').trim() === dueText(original.due)) body.due = original.due;
  if (original.reviewEvery) body.reviewEvery = original.reviewEvery;
  if (original.id) body.id = original.id;
  return body;
}

export interface Span {
  start: number;
  end: number;
  n: number;
}

/**
 * The text with each span marked (`<mark>`), numbered as its candidate. Spans are taken in order
 * of their start; one that overlaps an earlier one is marked from where the earlier one ends.
 */
export function highlight(text: string, spans: readonly Span[]): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start || a.n - b.n)) {
    const start = Math.max(s.start, at);
    const end = Math.min(s.end, text.length);
    if (end <= start) continue;
    if (start > at) out.push(text.slice(at, start));
    out.push(
      <mark id={`ex-q-${s.n}`} key={`m${s.n}`}>
        <span class="mark-n">{s.n}</span>
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function MetricText({ m }: { m: NonNullable<Candidate['metric']> }) {
  return (
    <>
      {m.name}: {formatAmount(m.target, m.unit)}
      {m.baseline ? (
        <>
          {' '}
          (from {formatAmount(m.baseline.value, m.unit)} on <DateText iso={m.baseline.asOf} />)
        </>
      ) : null}
    </>
  );
}

function DueText({ due }: { due: NonNullable<Candidate['due']> }) {
  if (due.vague || !due.latest)
    return (
      <>
        “{due.text}” <span class="muted">(vague: kept as said, no dates)</span>
      </>
    );
  return (
    <>
      “{due.text}”: {due.earliest ? <DateText iso={due.earliest} /> : 'by'}
      {due.earliest ? ' – ' : ' '}
      <DateText iso={due.latest} />
    </>
  );
}

type Recorded = { id: string; title: string };

function CandidateCard(props: { c: Candidate; n: number; onReject: () => void }) {
  const { c, n } = props;
  const fields = RECORD_FIELDS.map((f) => ({ ...f }));
  const initial = candidateValues(c.body);
  for (const f of fields) f.initial = initial[f.name] ?? '';
  const form = useZodForm(fields, RecordCommitmentBody, (v) => editedBody(v, c.body));
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [recorded, setRecorded] = useState<Recorded | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [tried, setTried] = useState(false);
  const doneRef = useRef<HTMLAnchorElement>(null);
  const editRef = useRef<HTMLFormElement>(null);
  /** Set when the user opens the editor: its first field takes focus (not after a server problem, whose summary does). */
  const focusFirst = useRef(false);
  const dirty = fields.some((f) => (form.values[f.name] ?? '') !== (f.initial ?? ''));
  const idp = `ex${n}`;
  const headingId = `${idp}-h`;

  useEffect(() => {
    if (recorded) doneRef.current?.focus();
  }, [recorded]);
  useEffect(() => {
    if (editing && focusFirst.current)
      editRef.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    focusFirst.current = false;
  }, [editing]);

  async function accept(): Promise<void> {
    if (dirty && !form.valid) {
      setEditing(true);
      setTried(true);
      form.attempt();
      return;
    }
    setBusy(true);
    setFailed(null);
    try {
      const r = await api<View>('/commitments', {
        method: 'POST',
        body: dirty ? form.body : c.body,
      });
      setRecorded({ id: r.data.id, title: r.data.title });
      setEditing(false);
    } catch (err) {
      const named = err instanceof ApiError && (err.problem?.errors?.length ?? 0) > 0;
      // Problems that name fields are shown beside those fields, in the editor; others in the card.
      if (named) {
        form.serverFailed(err);
        setEditing(true);
        setTried(true);
      } else setFailed(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class="candidate" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1}>
        <span class="mark-n">{n}</span> {c.title}
      </h3>
      <blockquote class="candidate-quote">
        {c.quote} <a href={`#ex-q-${n}`}>Show in the text</a>
      </blockquote>
      <dl class="facts">
        <div>
          <dt>Kind</dt>
          <dd>{humanise(c.kind)}</dd>
        </div>
        <div>
          <dt>Parties</dt>
          <dd>{c.parties.join(', ') || <span class="muted">none found</span>}</dd>
        </div>
        {c.madeBy?.length ? (
          <div>
            <dt>Made by</dt>
            <dd>{c.madeBy.join(', ')}</dd>
          </div>
        ) : null}
        <div>
          <dt>Metric</dt>
          <dd>{c.metric ? <MetricText m={c.metric} /> : <span class="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Deadline</dt>
          <dd>{c.due ? <DueText due={c.due} /> : <span class="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>{percent(c.confidence)}</dd>
        </div>
      </dl>
      <p class="reasons-h" id={`${idp}-reasons`}>
        Reasons
      </p>
      <ul class="reasons" aria-labelledby={`${idp}-reasons`}>
        {c.reasons.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
      {recorded ? (
        <p class="report report-ok" role="status">
          Recorded as{' '}
          <a ref={doneRef} href={href(`/commitments/${encodeURIComponent(recorded.id)}`)}>
            {recorded.title}
          </a>
          .
        </p>
      ) : (
        <>
          {dirty && !editing ? <p class="hint">Edited: Accept records it as edited.</p> : null}
          {failed ? <ErrorMessage error={failed} onRetry={() => void accept()} /> : null}
          {editing ? (
            <form
              ref={editRef}
              class="record-form candidate-editor"
              aria-label={`Edit candidate ${n}`}
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void accept();
              }}
            >
              <ErrorSummary form={form} fields={fields} idPrefix={idp} show={tried} />
              {fields.map((f) => (
                <Field
                  key={f.name}
                  spec={f}
                  idPrefix={idp}
                  value={form.values[f.name] ?? ''}
                  errors={form.shown[f.name]}
                  onInput={(v) => form.set(f.name, v)}
                />
              ))}
              <div class="actions">
                <button type="submit" disabled={busy}>
                  {busy ? 'Recording…' : 'Accept as edited'}
                </button>
              </div>
            </form>
          ) : null}
          <div class="candidate-actions" role="group" aria-label={`Candidate ${n}`}>
            {!editing && (
              <button type="button" disabled={busy} onClick={() => void accept()}>
                {busy ? 'Recording…' : 'Accept'}
              </button>
            )}
            <button
              type="button"
              class="secondary"
              aria-expanded={editing}
              onClick={() => {
                focusFirst.current = !editing;
                setEditing(!editing);
              }}
            >
              {editing ? 'Close editor' : 'Edit'}
            </button>
            <button type="button" class="secondary" disabled={busy} onClick={props.onReject}>
              Reject
            </button>
          </div>
        </>
      )}
    </article>
  );
}

interface Run {
  /** Counts extractions, so each new one starts its cards afresh. */
  run: number;
  text: string;
  result: ExtractionResult;
}

export function ExtractView() {
  useTitle('Extract');
  const form = useZodForm(EXTRACT_FIELDS, ExtractionRequest, extractionBody);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<unknown>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [rejected, setRejected] = useState<ReadonlySet<number>>(new Set());
  const resultsRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (run) resultsRef.current?.focus();
  }, [run]);

  async function submit(): Promise<void> {
    form.attempt();
    setTried(true);
    if (!form.valid) return;
    setBusy(true);
    setFailed(null);
    const text = form.values.text ?? '';
    try {
      const r = await api<ExtractionResult>('/extractions', { method: 'POST', body: form.body });
      setRejected(new Set());
      setRun((old) => ({ run: (old?.run ?? 0) + 1, text, result: r.data }));
    } catch (err) {
      const named = err instanceof ApiError && (err.problem?.errors?.length ?? 0) > 0;
      // Problems that name fields are shown beside those fields; others below the form.
      if (named) form.serverFailed(err);
      else setFailed(err);
    } finally {
      setBusy(false);
    }
  }

  const shown = run
    ? run.result.candidates.map((c, i) => ({ c, n: i + 1 })).filter(({ n }) => !rejected.has(n))
    : [];

  return (
    <>
      <h1 tabIndex={-1}>Extract commitments from a text</h1>
      <p>
        Paste a statement or a news report. The server proposes the commitments it finds; nothing is
        recorded until you accept one.
      </p>
      <form
        class="record-form extract-form"
        aria-label="Text to extract from"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <ErrorSummary form={form} fields={EXTRACT_FIELDS} idPrefix="ext" show={tried} />
        {EXTRACT_FIELDS.map((f) => (
          <Field
            key={f.name}
            spec={f}
            idPrefix="ext"
            value={form.values[f.name] ?? ''}
            errors={form.shown[f.name]}
            onInput={(v) => form.set(f.name, v)}
          />
        ))}
        <div class="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Extracting…' : 'Extract candidates'}
          </button>
        </div>
      </form>
      {busy && <Loading what="candidates" />}
      {!busy && failed ? <ErrorMessage error={failed} onRetry={() => void submit()} /> : null}
      {!busy && run && (
        <section aria-labelledby="ex-results" class="extract-results">
          <h2 id="ex-results" ref={resultsRef} tabIndex={-1}>
            Candidates ({shown.length})
          </h2>
          <p>
            Statement date <DateText iso={run.result.statementDate} />.{' '}
            {run.result.candidates.length === 0
              ? 'No commitment was found in this text.'
              : `${run.result.candidates.length} found${rejected.size ? `, ${rejected.size} rejected` : ''}.`}{' '}
            {rejected.size > 0 && (
              <button type="button" class="secondary" onClick={() => setRejected(new Set())}>
                Show rejected again
              </button>
            )}
          </p>
          <h3 id="ex-text-h">The text, with each candidate’s quote marked</h3>
          <div class="extract-text" role="region" aria-labelledby="ex-text-h" tabIndex={0}>
            {highlight(
              run.text,
              shown.map(({ c, n }) => ({ start: c.start, end: c.end, n })),
            )}
          </div>
          <div class="candidates">
            {shown.map(({ c, n }) => (
              <CandidateCard
                key={`${run.run}-${n}`}
                c={c}
                n={n}
                onReject={() => {
                  setRejected((old) => new Set([...old, n]));
                  resultsRef.current?.focus();
                }}
              />
            ))}
          </div>
          <details class="skipped">
            <summary>Skipped sentences ({run.result.skipped.length})</summary>
            <p class="hint">
              Sentences that looked like commitments and were judged not to be. To record one
              anyway, use <a href={href('/record')}>Record</a>.
            </p>
            {run.result.skipped.length === 0 ? (
              <p>None.</p>
            ) : (
              <ul>
                {run.result.skipped.map((s, i) => (
                  <li key={i}>
                    <q>{s.quote}</q> <span class="skip-reason">{s.reason}</span>{' '}
                    <span class="muted">
                      (characters {s.start}–{s.end})
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </details>
        </section>
      )}
    </>
  );
}
