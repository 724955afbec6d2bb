/**
 * Shapes produced by the pure projections. The view is the contract of
 * `GET /commitments/{id}` (see docs/api.md); do not rename fields.
 */
import type {
  Assessment,
  Due,
  Kind,
  Observation,
  Outcome,
  Phase,
  Report,
  Score,
  Source,
  Statement,
} from '../src/domain/values.js';

/** `at_risk` (issue 15): the latest review judged the commitment at risk. */
export const OPEN_STATUSES = ['open', 'in_progress', 'at_risk', 'stalled'] as const;
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

/** The latest review (latest `reviewedAt`; on a tie, the later event). */
export interface AssessmentView {
  value: Assessment;
  at: string;
  note: string | null;
}

export interface WithdrawalView {
  at: string;
  reason: string;
}

export interface SupersessionView {
  by: string;
  at: string;
}

/** One party's score from one report. */
export interface PartyAssessmentView {
  party: string;
  score: Score;
  phase: Phase;
  report: Report;
}

/** How many parties scored −1, 0 and +1. */
export interface ScoreCounts {
  '-1': number;
  '0': number;
  '1': number;
}

/** Mean of the scores (null when none), how many were scored, and the count of each score. */
export interface Compliance {
  average: number | null;
  scored: number;
  counts: ScoreCounts;
}

/** An agenda item of this commitment that is overdue at asOf. */
export interface OverdueEntry {
  item: AgendaItemKind;
  date: string;
  daysOverdue: number;
}

/** The next agenda item of this commitment on or after asOf. */
export interface NextEntry {
  item: AgendaItemKind;
  date: string;
  daysUntil: number;
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
  /** The latest review's assessment, or null before any review. */
  assessment: AssessmentView | null;
  withdrawal: WithdrawalView | null;
  supersession: SupersessionView | null;
  /**
   * Every party's latest assessment in each phase (at most one interim and one final per party),
   * in the order first assessed. The view shows one per party (final over interim).
   */
  partyAssessments: PartyAssessmentView[];
  revision: number;
  recordedAt: string;
  updatedAt: string;
}

/** Fields of the state that only feed the projection (the follow-up rule), not the API's view. */
export type InternalStateField =
  'reviewEvery' | 'lastActivity' | 'lastReported' | 'partyAssessments';

/**
 * The view at an `asOf` date: the state without its internal fields, plus timing (the
 * deadline's alone), the overdue agenda items and the next one, each party's latest assessment and
 * their compliance. `toView` writes the fields in the order of the API contract.
 */
export type CommitmentView = Omit<CommitmentState, InternalStateField> & {
  timing: Timing;
  overdue: OverdueEntry[];
  next: NextEntry | null;
  assessments: PartyAssessmentView[];
  compliance: Compliance;
};

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
