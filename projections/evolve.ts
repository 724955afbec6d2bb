/**
 * The projection of one commitment: `evolve(state, event) -> state`, pure, no I/O, no clock.
 * The rules are those of issue 3 and are stated in plain words in docs/projections.md.
 *
 * `evolve` never mutates its input: it returns a new state object (sharing unchanged parts).
 */
import { addIsoDurationClamped } from '../src/domain/duration.js';
import {
  CURRENT_SCHEMA_VERSION,
  storedDomainEvent,
  toDomainEvent,
  type DomainEvent,
  type EventOf,
} from '../src/domain/events.js';
import type { Observation } from '../src/domain/values.js';
import { isClosed } from './timing.js';
import type {
  CommitmentState,
  EventEnvelope,
  MetricView,
  PartyAssessmentView,
  Status,
} from './types.js';
import type { Assessment } from '../src/domain/values.js';

/** Where an event sits in its stream: what `evolve` needs besides the event itself. */
export interface EventPosition {
  revision: number;
  recordedAt: string;
}

/** Withdrawn or superseded: from here on only sources and corrections change the state. */
function isFinal(status: Status): boolean {
  return status === 'withdrawn' || status === 'superseded';
}

const maxDate = (a: string, b: string | null): string => (b !== null && b > a ? b : a);

/** (latest − baseline) / (target − baseline); null without a baseline or latest, or when target equals baseline. */
export function progressOf(
  baseline: Observation | null,
  target: number,
  latest: Observation | null,
): number | null {
  if (baseline === null || latest === null) return null;
  const span = target - baseline.value;
  if (span === 0) return null;
  const p = (latest.value - baseline.value) / span;
  return Number.isFinite(p) ? p : null;
}

/**
 * min(lastActivity + reviewEvery, due.latest) while the status is open, in_progress or stalled;
 * null for a closed status.
 */
export function nextFollowUpOf(
  status: Status,
  lastActivity: string,
  reviewEvery: string,
  dueLatest: string | null,
): string | null {
  if (isClosed(status)) return null;
  const next = addIsoDurationClamped(lastActivity, reviewEvery);
  return dueLatest !== null && dueLatest < next ? dueLatest : next;
}

/**
 * Recompute the derived fields (lastActivity, nextFollowUp) of a state whose inputs changed.
 * `s` must be a fresh object owned by the caller (a copy made in this module): its two derived
 * fields are set in place, which saves one copy of the whole state per folded event.
 */
function derive(s: CommitmentState): CommitmentState {
  s.lastActivity = maxDate(s.statement.madeAt, s.lastReported);
  s.nextFollowUp = nextFollowUpOf(s.status, s.lastActivity, s.reviewEvery, s.due?.latest ?? null);
  return s;
}

/** The status an open commitment takes from a review's assessment. */
export function statusOfAssessment(assessment: Assessment): Status {
  return assessment === 'on_track' ? 'in_progress' : assessment;
}

/**
 * Put a party's assessment in place: it replaces the same party's earlier one in the same phase
 * (later report, or on the same report date the later event); history keeps both as events.
 */
function withPartyAssessment(
  list: readonly PartyAssessmentView[] | undefined,
  a: PartyAssessmentView,
): PartyAssessmentView[] {
  // A state saved by an older version (read model's state_json) may lack the list.
  if (list === undefined) return [a];
  const i = list.findIndex((x) => x.party === a.party && x.phase === a.phase);
  if (i < 0) return [...list, a];
  const old = list[i];
  if (old !== undefined && old.report.publishedAt > a.report.publishedAt) return [...list];
  const out = [...list];
  out[i] = a;
  return out;
}

function withMetric(
  metric: MetricView,
  changes: Partial<Pick<MetricView, 'target' | 'latest'>>,
): MetricView {
  const next = { ...metric, ...changes };
  next.progress = progressOf(next.baseline, next.target, next.latest);
  return next;
}

function recorded(data: EventOf<'CommitmentRecorded'>['data'], at: EventPosition): CommitmentState {
  return derive({
    id: data.id,
    title: data.title,
    kind: data.kind,
    parties: [...data.parties],
    tags: [...data.tags],
    status: 'open',
    due: data.due === null ? null : { ...data.due },
    reviewEvery: data.reviewEvery,
    lastActivity: data.statement.madeAt,
    lastReported: null,
    nextFollowUp: null,
    metric:
      data.metric === null
        ? null
        : {
            name: data.metric.name,
            unit: data.metric.unit,
            baseline: data.metric.baseline === null ? null : { ...data.metric.baseline },
            target: data.metric.target,
            latest: null,
            progress: null,
          },
    statement: { ...data.statement },
    sources: [{ ...data.source }],
    outcome: null,
    supersededBy: null,
    assessment: null,
    withdrawal: null,
    supersession: null,
    partyAssessments: [],
    revision: at.revision,
    recordedAt: at.recordedAt,
    updatedAt: at.recordedAt,
  });
}

/**
 * Apply an already parsed domain event. Use this when the caller has parsed the data itself;
 * `evolve` parses and upcasts a stored envelope, then calls this.
 */
export function evolveDomain(
  state: CommitmentState | null,
  event: DomainEvent,
  at: EventPosition,
): CommitmentState | null {
  if (state === null) {
    return event.type === 'CommitmentRecorded' ? recorded(event.data, at) : null;
  }
  // Every event counts for revision and updatedAt, even one that changes nothing else. `s` is the
  // one copy made per event; the cases below set its top-level fields (never nested objects of
  // the input, which they replace).
  const s: CommitmentState = { ...state, revision: at.revision, updatedAt: at.recordedAt };

  // Sources and corrections apply whatever the status.
  if (event.type === 'SourceAdded') {
    s.sources = [...s.sources, { ...event.data.source }];
    return s;
  }
  if (event.type === 'RecordCorrected') {
    const f = event.data.fields;
    if (f.title !== undefined) s.title = f.title;
    if (f.kind !== undefined) s.kind = f.kind;
    if (f.parties) s.parties = [...f.parties];
    if (f.tags) s.tags = [...f.tags];
    if (f.statement) s.statement = { ...f.statement };
    return derive(s);
  }
  // A withdrawn or superseded commitment accepts nothing else (the decider refuses it); should
  // such an event reach the log anyway, it is counted but not applied. A second CommitmentRecorded
  // on an existing stream is treated the same way.
  if (isFinal(s.status) || event.type === 'CommitmentRecorded') return s;

  switch (event.type) {
    case 'ProgressReported': {
      const d = event.data;
      // Ties on asOf: the later event wins.
      if (
        s.metric !== null &&
        d.value !== undefined &&
        (s.metric.latest === null || d.asOf >= s.metric.latest.asOf)
      ) {
        s.metric = withMetric(s.metric, { latest: { value: d.value, asOf: d.asOf } });
      }
      if (!isClosed(s.status)) s.status = 'in_progress';
      s.lastReported = maxDate(d.asOf, s.lastReported);
      return derive(s);
    }
    case 'ReviewRecorded': {
      const d = event.data;
      // The latest review (by reviewedAt; on a tie the later event) sets the assessment, and the
      // status of an open commitment follows it. An older review changes neither.
      // `== null`: a state saved by an older version may lack the field.
      if (s.assessment == null || d.reviewedAt >= s.assessment.at) {
        s.assessment = { value: d.assessment, at: d.reviewedAt, note: d.note ?? null };
        if (!isClosed(s.status)) s.status = statusOfAssessment(d.assessment);
      }
      s.lastReported = maxDate(d.reviewedAt, s.lastReported);
      return derive(s);
    }
    case 'PartyAssessed': {
      const d = event.data;
      s.partyAssessments = withPartyAssessment(s.partyAssessments, {
        party: d.party,
        score: d.score,
        phase: d.phase,
        report: { ...d.report },
      });
      return s;
    }
    case 'DeadlineRevised':
      s.due = { ...event.data.due };
      return derive(s);
    case 'TargetRevised':
      if (s.metric !== null) s.metric = withMetric(s.metric, { target: event.data.target });
      return s;
    case 'OutcomeRecorded': {
      const d = event.data;
      s.status = d.outcome;
      s.outcome = { outcome: d.outcome, decidedAt: d.decidedAt, note: d.note ?? null };
      return derive(s);
    }
    case 'CommitmentWithdrawn':
      s.status = 'withdrawn';
      s.withdrawal = { at: event.data.at, reason: event.data.reason };
      return derive(s);
    case 'CommitmentSuperseded':
      s.status = 'superseded';
      s.supersededBy = event.data.by;
      s.supersession = { by: event.data.by, at: event.data.at };
      return derive(s);
  }
}

/**
 * Fold one stored event into the state of its commitment.
 * The data is parsed and upcast with `toDomainEvent`; data that does not fit its schema, or an
 * unknown event type, throws (a corrupt log must not be projected silently).
 * Events that arrive before `CommitmentRecorded` (state null) leave the state null.
 */
export function evolve(
  state: CommitmentState | null,
  event: EventEnvelope,
): CommitmentState | null {
  const domain = toDomainEvent(
    event.type,
    event.schemaVersion ?? CURRENT_SCHEMA_VERSION,
    event.data,
  );
  return evolveDomain(state, domain, { revision: event.revision, recordedAt: event.recordedAt });
}

/**
 * Fold one event AS STORED (rebuild, replay, the projector, verify's scratch model): the fast
 * path. Stored events were validated at the store's door, so data of the current schemaVersion
 * is folded without a zod parse (`storedDomainEvent`: only the type and that the data is an
 * object are checked); an older schemaVersion is upcast and parsed. Use `evolve` for anything
 * that did not come out of the store.
 */
export function evolveStored(
  state: CommitmentState | null,
  event: EventEnvelope,
): CommitmentState | null {
  const domain = storedDomainEvent(
    event.type,
    event.schemaVersion ?? CURRENT_SCHEMA_VERSION,
    event.data,
  );
  return evolveDomain(state, domain, { revision: event.revision, recordedAt: event.recordedAt });
}

/** Fold a whole stream, in order, from nothing. */
export function fold(events: Iterable<EventEnvelope>): CommitmentState | null {
  let state: CommitmentState | null = null;
  for (const e of events) state = evolve(state, e);
  return state;
}

/** Fold a whole stream AS STORED (the fast path of `evolveStored`), in order, from nothing. */
export function foldStored(events: Iterable<EventEnvelope>): CommitmentState | null {
  let state: CommitmentState | null = null;
  for (const e of events) state = evolveStored(state, e);
  return state;
}
