/**
 * Shapes produced by the pure projections. The view is the contract of
 * `GET /commitments/{id}` (see docs/api.md); do not rename fields.
 */
import type { Due, Kind, Observation, Outcome, Source, Statement } from '../src/domain/values.js';

export const OPEN_STATUSES = ['open', 'in_progress', 'stalled'] as const;
export const CLOSED_STATUSES = [
  'fulfilled',
  'partially_fulfilled',
  'missed',
  'withdrawn',
  'superseded',
] as const;
export const STATUSES = [...OPEN_STATUSES, ...CLOSED_STATUSES] as const;
export type Status = (typeof STATUSES)[number];

export const TIMINGS = ['closed', 'no_deadline', 'overdue', 'due_soon', 'on_schedule'] as const;
export type Timing = (typeof TIMINGS)[number];

export interface MetricView {
  name: string;
  unit: string;
  baseline: Observation | null;
  target: number;
  latest: Observation | null;
  progress: number | null;
}

export interface OutcomeView {
  outcome: Outcome;
  decidedAt: string;
  note: string | null;
}

/**
 * Folded state of one commitment: everything that does not depend on `asOf`.
 * `evolve(state, event)` builds it; `toView(state, asOf)` adds timing.
 */
export interface CommitmentState {
  id: string;
  title: string;
  kind: Kind;
  parties: string[];
  tags: string[];
  status: Status;
  due: Due | null;
  /** ISO-8601 duration. */
  reviewEvery: string;
  /** max(statement.madeAt, every progress asOf, every reviewedAt). */
  lastActivity: string;
  /**
   * max(every progress asOf, every reviewedAt), or null before the first progress or review.
   * Kept apart from `statement.madeAt` so that a RecordCorrected changing `madeAt` can recompute
   * `lastActivity` exactly. Not part of the view.
   */
  lastReported: string | null;
  /** min(lastActivity + reviewEvery, due.latest) while not closed, else null. */
  nextFollowUp: string | null;
  metric: MetricView | null;
  statement: Statement;
  sources: Source[];
  outcome: OutcomeView | null;
  supersededBy: string | null;
  revision: number;
  recordedAt: string;
  updatedAt: string;
}

/** Fields of the state that only feed the projection (the follow-up rule), not the API's view. */
export type InternalStateField = 'reviewEvery' | 'lastActivity' | 'lastReported';

/**
 * The view at an `asOf` date: the state without its internal fields, plus timing. `toView`
 * writes the fields in the order of the API contract.
 */
export type CommitmentView = Omit<CommitmentState, InternalStateField> & { timing: Timing };

/** What `evolve` needs of a stored event: its type, data, stream revision and when it was recorded. */
export interface EventEnvelope {
  type: string;
  data: unknown;
  revision: number;
  recordedAt: string;
  /** schemaVersion of the stored data, for upcasting; defaults to current. */
  schemaVersion?: number;
}

export type AgendaItemKind = 'deadline' | 'follow_up';

export interface AgendaItem {
  commitmentId: string;
  item: AgendaItemKind;
  date: string;
}
