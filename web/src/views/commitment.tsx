/**
 * A commitment (`/app/commitments/{id}`): the title as h1, the quote, every source, the deadline
 * as written and as interpreted, status and latest assessment, progress as a chart and a table,
 * a timeline of every event, an "As known on" control that redraws the page from `knownAt`,
 * and the follow-up actions as forms (sent with If-Match: a concurrent change is a 412).
 */
import { useState } from 'preact/hooks';
import type { z } from 'zod';
import {
  RecordOutcomeBody,
  RecordReviewBody,
  ReportProgressBody,
  ReviseDeadlineBody,
  WithdrawBody,
} from '../../../src/domain/commands.js';
import { ASSESSMENTS, OUTCOMES } from '../../../src/domain/values.js';
import { api, apiPath } from '../api.js';
import { ProgressChart, type Point } from '../chart.js';
import {
  DateText,
  ErrorMessage,
  InstantText,
  Loading,
  StatusBadge,
  TableWrap,
} from '../components.js';
import {
  ITEM_LABELS,
  formatAmount,
  humanise,
  instantToLocalInput,
  localInputToInstant,
  todayUtc,
} from '../format.js';
import {
  ErrorSummary,
  Field,
  parseAmount,
  useZodForm,
  type FieldSpec,
  type Values,
} from '../forms.js';
import { useApi, useHistory, useTitle } from '../hooks.js';
import { href, navigate } from '../router.js';
import type { HistoryEvent, View } from '../types.js';

type Data = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Data => (v && typeof v === 'object' ? (v as Data) : {});

/** When the event's fact happened (not when it was recorded). */
export function happenedOn(e: HistoryEvent): string {
  const d = e.data;
  return (
    str(d.asOf) ||
    str(d.reviewedAt) ||
    str(d.decidedAt) ||
    str(d.at) ||
    str(obj(d.statement).madeAt) ||
    str(obj(obj(d.report)).publishedAt) ||
    str(obj(d.source).publishedAt) ||
    e.recordedAt.slice(0, 10)
  );
}

/** One line saying what the event was. */
export function describeEvent(e: HistoryEvent, unit: string | undefined): string {
  const d = e.data;
  switch (e.type) {
    case 'CommitmentRecorded':
      return `Recorded from ${str(obj(d.source).publisher) || 'a source'}`;
    case 'SourceAdded':
      return `Source added: ${str(obj(d.source).publisher)}`;
    case 'ProgressReported':
      return `Progress reported${typeof d.value === 'number' ? `: ${formatAmount(d.value, unit)}` : ''}${str(d.note) ? ` (${str(d.note)})` : ''}`;
    case 'ReviewRecorded':
      return `Reviewed: ${humanise(str(d.assessment)).toLowerCase()}${str(d.note) ? ` (${str(d.note)})` : ''}`;
    case 'DeadlineRevised':
      return `Deadline revised to ${str(obj(d.due).text) || str(obj(d.due).edtf) || str(obj(d.due).latest)}: ${str(d.reason)}`;
    case 'TargetRevised':
      return `Target revised to ${typeof d.target === 'number' ? formatAmount(d.target, unit) : ''}: ${str(d.reason)}`;
    case 'OutcomeRecorded':
      return `Outcome: ${humanise(str(d.outcome)).toLowerCase()}${str(d.note) ? ` (${str(d.note)})` : ''}`;
    case 'CommitmentWithdrawn':
      return `Withdrawn: ${str(d.reason)}`;
    case 'CommitmentSuperseded':
      return `Superseded by ${str(d.by)}`;
    case 'RecordCorrected':
      return `Record corrected: ${str(d.reason)}`;
    case 'PartyAssessed':
      return `Assessed ${str(d.party)}: ${String(d.score)} (${str(d.phase)})`;
    default:
      return humanise(e.type);
  }
}

/** Baseline, then every reported value, in date order. */
export function progressPoints(view: View, events: readonly HistoryEvent[]): Point[] {
  const pts: Point[] = [];
  const b = view.metric?.baseline;
  if (b) pts.push({ date: b.asOf, value: b.value, label: 'Baseline' });
  for (const e of events) {
    if (e.type === 'ProgressReported' && typeof e.data.value === 'number') {
      pts.push({
        date: str(e.data.asOf),
        value: e.data.value,
        label: str(e.data.note) || 'Reported',
      });
    }
  }
  return pts.sort((a, b2) => a.date.localeCompare(b2.date));
}

interface ActionSpec {
  key: string;
  title: string;
  path: string;
  schema: z.ZodType;
  fields: FieldSpec[];
  build: (v: Values) => unknown;
}

function actions(view: View): ActionSpec[] {
  const today = todayUtc();
  const note: FieldSpec = { name: 'note', label: 'Note', type: 'textarea', paths: ['note'] };
  const list: ActionSpec[] = [
    {
      key: 'progress',
      title: 'Report progress',
      path: 'progress',
      schema: ReportProgressBody,
      fields: [
        {
          name: 'asOf',
          label: 'As of',
          type: 'date',
          paths: ['asOf'],
          required: true,
          initial: today,
        },
        ...(view.metric
          ? [
              {
                name: 'value',
                label: `Value (${view.metric.unit})`,
                type: 'number' as const,
                paths: ['value'],
              },
            ]
          : []),
        note,
      ],
      build: (v) => ({
        asOf: v.asOf,
        ...(parseAmount(v.value ?? '') !== undefined ? { value: parseAmount(v.value ?? '') } : {}),
        ...(v.note?.trim() ? { note: v.note } : {}),
      }),
    },
    {
      key: 'reviews',
      title: 'Review',
      path: 'reviews',
      schema: RecordReviewBody,
      fields: [
        {
          name: 'reviewedAt',
          label: 'Reviewed on',
          type: 'date',
          paths: ['reviewedAt'],
          required: true,
          initial: today,
        },
        {
          name: 'assessment',
          label: 'Assessment',
          type: 'select',
          options: ASSESSMENTS,
          paths: ['assessment'],
          required: true,
        },
        note,
      ],
      build: (v) => ({
        reviewedAt: v.reviewedAt,
        assessment: v.assessment || undefined,
        ...(v.note?.trim() ? { note: v.note } : {}),
      }),
    },
    {
      key: 'outcome',
      title: 'Outcome',
      path: 'outcome',
      schema: RecordOutcomeBody,
      fields: [
        {
          name: 'outcome',
          label: 'Outcome',
          type: 'select',
          options: OUTCOMES,
          paths: ['outcome'],
          required: true,
        },
        {
          name: 'decidedAt',
          label: 'Decided on',
          type: 'date',
          paths: ['decidedAt'],
          required: true,
          initial: today,
        },
        note,
      ],
      build: (v) => ({
        outcome: v.outcome || undefined,
        decidedAt: v.decidedAt,
        ...(v.note?.trim() ? { note: v.note } : {}),
      }),
    },
    {
      key: 'deadline',
      title: 'Revise deadline',
      path: 'deadline',
      schema: ReviseDeadlineBody,
      fields: [
        {
          name: 'due',
          label: 'New deadline',
          paths: ['due'],
          required: true,
          hint: 'As written: "by 2031".',
        },
        { name: 'reason', label: 'Reason', type: 'textarea', paths: ['reason'], required: true },
      ],
      build: (v) => ({ due: { text: v.due ?? '' }, reason: v.reason ?? '' }),
    },
    {
      key: 'withdrawal',
      title: 'Withdraw',
      path: 'withdrawal',
      schema: WithdrawBody,
      fields: [
        {
          name: 'at',
          label: 'Withdrawn on',
          type: 'date',
          paths: ['at'],
          required: true,
          initial: today,
        },
        { name: 'reason', label: 'Reason', type: 'textarea', paths: ['reason'], required: true },
      ],
      build: (v) => ({ at: v.at, reason: v.reason ?? '' }),
    },
  ];
  return list;
}

function ActionForm(props: { spec: ActionSpec; view: View; onDone: () => void }) {
  const { spec, view } = props;
  const form = useZodForm(spec.fields, spec.schema, spec.build);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const prefix = `act-${spec.key}`;
  return (
    <details class="action">
      <summary>{spec.title}</summary>
      <form
        aria-label={spec.title}
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          form.attempt();
          setTried(true);
          if (!form.valid) return;
          setBusy(true);
          try {
            await api<View>(`/commitments/${encodeURIComponent(view.id)}/${spec.path}`, {
              method: 'POST',
              body: form.body,
              ifMatch: view.revision,
            });
            form.reset();
            setTried(false);
            props.onDone();
          } catch (err) {
            form.serverFailed(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <ErrorSummary form={form} fields={spec.fields} idPrefix={prefix} show={tried} />
        {spec.fields.map((f) => (
          <Field
            key={f.name}
            spec={f}
            idPrefix={prefix}
            value={form.values[f.name] ?? ''}
            errors={form.shown[f.name]}
            onInput={(v) => form.set(f.name, v)}
          />
        ))}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : spec.title}
        </button>
      </form>
    </details>
  );
}

function Details({
  view,
  events,
  knownAt,
}: {
  view: View;
  events: HistoryEvent[];
  knownAt: string | null;
}) {
  const st = view.statement;
  const points = progressPoints(view, events);
  const lastReview = [...events].reverse().find((e) => e.type === 'ReviewRecorded');
  const assessment =
    view.assessment ??
    (lastReview
      ? {
          value: str(lastReview.data.assessment),
          at: str(lastReview.data.reviewedAt),
          note: str(lastReview.data.note) || null,
        }
      : null);
  const withdrawal =
    view.withdrawal ??
    (() => {
      const w = events.find((e) => e.type === 'CommitmentWithdrawn');
      return w ? { at: str(w.data.at), reason: str(w.data.reason) } : null;
    })();
  return (
    <>
      <dl class="facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={view.status} />{' '}
            <span class="muted">({humanise(view.timing)})</span>
          </dd>
        </div>
        <div>
          <dt>Latest assessment</dt>
          <dd>
            {assessment ? (
              <>
                {humanise(assessment.value)} on <DateText iso={assessment.at} />
                {assessment.note ? ` (${assessment.note})` : ''}
              </>
            ) : (
              <span class="muted">not reviewed yet</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Parties</dt>
          <dd>{view.parties.join(', ')}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{humanise(view.kind)}</dd>
        </div>
        <div>
          <dt>Deadline as written</dt>
          <dd>{view.due ? (view.due.text ?? view.due.edtf) : <span class="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Deadline as interpreted</dt>
          <dd>
            {view.due && view.due.latest === null ? (
              <span class="muted">vague: no dates until a revision settles it</span>
            ) : view.due ? (
              <>
                {view.due.earliest ? (
                  <>
                    <DateText iso={view.due.earliest} /> to{' '}
                  </>
                ) : (
                  'by '
                )}
                <DateText iso={view.due.latest} /> <span class="muted">({view.due.edtf})</span>
                {view.due.anchor ? (
                  <span class="muted">
                    {' '}
                    read from <DateText iso={view.due.anchor} />
                  </span>
                ) : null}
              </>
            ) : (
              <span class="muted">none</span>
            )}
          </dd>
        </div>
        {view.overdue && view.overdue.length > 0 && (
          <div>
            <dt>Overdue</dt>
            <dd>
              {view.overdue.map((o) => (
                <span key={o.item} class="overdue-item">
                  {ITEM_LABELS[o.item] ?? o.item} of <DateText iso={o.date} />, {o.daysOverdue} days
                  late.{' '}
                </span>
              ))}
            </dd>
          </div>
        )}
        <div>
          <dt>Next follow-up</dt>
          <dd>
            <DateText iso={view.nextFollowUp} />
          </dd>
        </div>
        {view.outcome && (
          <div>
            <dt>Outcome</dt>
            <dd>
              {humanise(view.outcome.outcome)} on <DateText iso={view.outcome.decidedAt} />
              {view.outcome.note ? ` (${view.outcome.note})` : ''}
            </dd>
          </div>
        )}
        {withdrawal && (
          <div>
            <dt>Withdrawn</dt>
            <dd>
              <DateText iso={withdrawal.at} />: {withdrawal.reason}
            </dd>
          </div>
        )}
        {(view.supersession || view.supersededBy) && (
          <div>
            <dt>Superseded by</dt>
            <dd>
              <a
                href={href(
                  `/commitments/${encodeURIComponent(view.supersession?.by ?? view.supersededBy ?? '')}`,
                )}
              >
                {view.supersession?.by ?? view.supersededBy}
              </a>
            </dd>
          </div>
        )}
        {view.compliance && view.compliance.average !== null && (
          <div>
            <dt>Compliance</dt>
            <dd>
              {view.compliance.average.toFixed(2)} ({view.compliance.scored} scored)
            </dd>
          </div>
        )}
      </dl>

      <section aria-labelledby="quote-h">
        <h2 id="quote-h">What was said</h2>
        <figure class="quote">
          <blockquote lang={st.language}>{st.quote}</blockquote>
          <figcaption>
            {st.madeBy?.length ? `${st.madeBy.join(' and ')}, ` : ''}
            <DateText iso={st.madeAt} />
          </figcaption>
        </figure>
      </section>

      <section aria-labelledby="sources-h">
        <h2 id="sources-h">Sources</h2>
        <ul class="sources">
          {view.sources.map((s, i) => (
            <li key={i}>
              {s.url ? (
                <a href={s.url} rel="noopener noreferrer">
                  {s.title ?? s.publisher}
                </a>
              ) : (
                (s.title ?? s.publisher)
              )}
              {s.title ? ` (${s.publisher})` : ''}, <DateText iso={s.publishedAt} />
            </li>
          ))}
        </ul>
      </section>

      {view.metric && (
        <section aria-labelledby="progress-h">
          <h2 id="progress-h">Progress</h2>
          <p>
            {view.metric.name}: target {formatAmount(view.metric.target, view.metric.unit)}
            {view.metric.latest
              ? `, latest ${formatAmount(view.metric.latest.value, view.metric.unit)}`
              : ''}
            {view.metric.progress !== null
              ? ` (${Math.round(view.metric.progress * 100)}% of the way)`
              : ''}
            .
          </p>
          <ProgressChart
            title={`Progress of ${view.metric.name}`}
            points={points}
            target={view.metric.target}
            unit={view.metric.unit}
            deadline={view.due?.latest ?? null}
          />
          <TableWrap label={`Progress of ${view.metric.name}`}>
            <table>
              <caption>Progress of {view.metric.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col" class="num">
                    Value
                  </th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p, i) => (
                  <tr key={i}>
                    <td>
                      <DateText iso={p.date} />
                    </td>
                    <td class="num">{formatAmount(p.value, view.metric?.unit)}</td>
                    <td>{p.label}</td>
                  </tr>
                ))}
                <tr>
                  <td>{view.due ? <DateText iso={view.due.latest} /> : 'no deadline'}</td>
                  <td class="num">{formatAmount(view.metric.target, view.metric.unit)}</td>
                  <td>Target</td>
                </tr>
              </tbody>
            </table>
          </TableWrap>
        </section>
      )}

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <TableWrap label="Timeline">
          <table>
            <caption class="visually-hidden">Timeline{knownAt ? ' (as known then)' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">What</th>
                <th scope="col">Happened</th>
                <th scope="col">Recorded</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.revision}>
                  <td>{e.revision}</td>
                  <td>{describeEvent(e, view.metric?.unit)}</td>
                  <td>
                    <DateText iso={happenedOn(e)} />
                  </td>
                  <td>
                    <a
                      href={href(`/commitments/${encodeURIComponent(view.id)}`, {
                        knownAt: e.recordedAt,
                      })}
                      aria-label={`Show as known at revision ${e.revision}`}
                    >
                      <InstantText iso={e.recordedAt} />
                    </a>
                  </td>
                  <td>{e.recordedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}

export function CommitmentPage({ id, query }: { id: string; query: URLSearchParams }) {
  const knownAt = query.get('knownAt');
  const asOf = query.get('asOf');
  const view = useApi<View>(
    apiPath(`/commitments/${encodeURIComponent(id)}`, {
      asOf: asOf ?? undefined,
      knownAt: knownAt ?? undefined,
    }),
  );
  const history = useHistory<HistoryEvent>(`/commitments/${encodeURIComponent(id)}/history`);
  const [draft, setDraft] = useState<string | null>(null);
  useTitle(view.state === 'ok' ? view.data.title : 'Commitment');
  const reloadAll = (): void => {
    view.reload();
    history.reload();
  };
  const setKnownAt = (value: string): void => {
    const instant = value ? localInputToInstant(value) : null;
    if (value && !instant) return;
    setDraft(null);
    navigate(
      href(`/commitments/${encodeURIComponent(id)}`, {
        asOf: asOf ?? undefined,
        knownAt: instant ?? undefined,
      }),
      { replace: true },
    );
  };
  const events =
    history.state === 'ok'
      ? history.data.events.filter((e) => !knownAt || e.recordedAt <= knownAt)
      : [];
  return (
    <>
      {view.state === 'ok' ? (
        <h1 tabIndex={-1}>{view.data.title}</h1>
      ) : (
        <h1 tabIndex={-1}>Commitment {id}</h1>
      )}
      <form
        class="filters"
        aria-label="Time travel"
        onSubmit={(e) => {
          e.preventDefault();
          setKnownAt(draft ?? (knownAt ? instantToLocalInput(knownAt) : ''));
        }}
      >
        <div class="field">
          <label for="known-at">As known on</label>
          <p class="hint" id="known-at-hint">
            UTC; empty for everything recorded so far.
          </p>
          <input
            id="known-at"
            type="datetime-local"
            step={1}
            aria-describedby="known-at-hint"
            value={draft ?? (knownAt ? instantToLocalInput(knownAt) : '')}
            onInput={(e) => setDraft((e.target as HTMLInputElement).value)}
            onChange={(e) => setKnownAt((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field actions">
          <button type="submit">Show</button>
          {knownAt && (
            <a href={href(`/commitments/${encodeURIComponent(id)}`, { asOf: asOf ?? undefined })}>
              Show the latest
            </a>
          )}
        </div>
      </form>
      {knownAt && (
        <p class="notice" role="status">
          Showing what was known at <InstantText iso={knownAt} />.
        </p>
      )}
      {view.state === 'loading' && <Loading what="the commitment" />}
      {view.state === 'error' && <ErrorMessage error={view.error} onRetry={reloadAll} />}
      {view.state === 'ok' && (
        <>
          {history.state === 'error' && (
            <ErrorMessage error={history.error} onRetry={history.reload} />
          )}
          {history.state === 'ok' && history.data.truncated && (
            <p class="notice" role="status">
              The timeline shows the first {history.data.events.length} events; the rest are in the
              API's history pages.
            </p>
          )}
          <Details view={view.data} events={events} knownAt={knownAt} />
          {!knownAt && (
            <section aria-labelledby="follow-h">
              <h2 id="follow-h">Follow up</h2>
              <p class="muted">
                Each form records one event; if someone else changed this commitment meanwhile you
                will be asked to reload.
              </p>
              <div class="actions-grid">
                {actions(view.data).map((a) => (
                  <ActionForm
                    key={`${a.key}-${view.data.revision}`}
                    spec={a}
                    view={view.data}
                    onDone={reloadAll}
                  />
                ))}
              </div>
            </section>
          )}
        </>
      )}
    </>
  );
}
