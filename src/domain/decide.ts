/**
 * The decider: pure functions that turn a command into events, enforcing the invariants
 * of issue 2. `decide` either returns the events to append or throws a typed error:
 *
 * - DomainError (→ HTTP 409, or 404 for code `not_recorded`) when a domain rule forbids the command;
 * - UnprocessableError (→ 422, with the field path and the bound) when a date is not honest (see
 *   `checkHonestDates`) or an assessed party is not one of the commitment's;
 * - InvalidInputError (→ 400, with the field path) when a deadline cannot be interpreted.
 *
 * The state is minimal: only what the invariants need. It is rebuilt by folding a stream's
 * events with `evolveDecision`. Time never comes from a clock here: `ctx.today` is passed in.
 */
import type { Command } from './commands.js';
import { interpretDue } from './deadline.js';
import { DomainError, UnprocessableError } from './errors.js';
import { markDecided, type DomainEvent, type EventData } from './events.js';
import type { CommitmentId, IsoDate } from './values.js';

export type DecisionState =
  | { exists: false }
  | {
      exists: true;
      id: CommitmentId;
      /** Number of events in the stream (the stream revision). */
      revision: number;
      /** Withdrawn or superseded: only sources and corrections are accepted from now on. */
      final: boolean;
      /** Why the commitment is final, for error messages; null while open. */
      closedAs: 'withdrawn' | 'superseded' | null;
      hasMetric: boolean;
      /** The commitment's parties (as stored: ISO alpha-2 codes or names), after corrections. */
      parties?: readonly string[];
      /** statement.madeAt, after corrections. */
      madeAt?: IsoDate;
      /** Earliest `publishedAt` of any source recorded on the stream. */
      earliestSource?: IsoDate | null;
      /** Earliest observation date recorded (progress, review, outcome, withdrawal, assessment). */
      earliestObservation?: IsoDate | null;
    };

export const initialDecisionState: DecisionState = { exists: false };

export interface DecideContext {
  /**
   * The date the command is recorded (UTC): no observation or statement may lie after it, and a
   * relative phrase in a deadline revision without a source resolves against it.
   */
  today: IsoDate;
  /** For `supersession`: whether the commitment named by `by` exists. Resolved by the caller. */
  supersedingExists?: boolean;
}

/** Fold one event into the decision state. */
export function evolveDecision(state: DecisionState, event: DomainEvent): DecisionState {
  if (event.type === 'CommitmentRecorded') {
    return {
      exists: true,
      id: event.data.id,
      revision: 1,
      final: false,
      closedAs: null,
      hasMetric: event.data.metric !== null,
      parties: event.data.parties,
      madeAt: event.data.statement.madeAt,
      earliestSource: event.data.source.publishedAt,
      earliestObservation: null,
    };
  }
  if (!state.exists) return state; // an event without a recording cannot change anything we decide on
  const next = { ...state, revision: state.revision + 1 };
  const source = 'source' in event.data ? event.data.source : undefined;
  if (source !== undefined) next.earliestSource = minDate(next.earliestSource, source.publishedAt);
  const observed = observationDateOf(event);
  if (observed !== null) next.earliestObservation = minDate(next.earliestObservation, observed);
  if (event.type === 'RecordCorrected') {
    if (event.data.fields.parties) next.parties = event.data.fields.parties;
    if (event.data.fields.statement) next.madeAt = event.data.fields.statement.madeAt;
  }
  switch (event.type) {
    case 'CommitmentWithdrawn':
      return { ...next, final: true, closedAs: 'withdrawn' };
    case 'CommitmentSuperseded':
      return { ...next, final: true, closedAs: 'superseded' };
    default:
      return next;
  }
}

/**
 * Drop `undefined` members recursively so event data is clean JSON (and hashes the same
 * before and after a round trip through the store).
 */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => stripUndefined(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = stripUndefined(v);
    }
    return out as T;
  }
  return value;
}

const minDate = (a: IsoDate | null | undefined, b: IsoDate): IsoDate =>
  a !== null && a !== undefined && a < b ? a : b;

/** The date an event observes the world at, if it is an observation. */
function observationDateOf(event: DomainEvent): IsoDate | null {
  switch (event.type) {
    case 'ProgressReported':
      return event.data.asOf;
    case 'ReviewRecorded':
      return event.data.reviewedAt;
    case 'OutcomeRecorded':
      return event.data.decidedAt;
    case 'CommitmentWithdrawn':
      return event.data.at;
    case 'PartyAssessed':
      return event.data.report.periodEnd;
    default:
      return null;
  }
}

/** Refuse `date` at `path` when it is before the statement or after the recording day. */
function observation(path: string, date: IsoDate, madeAt: IsoDate | undefined, today: IsoDate) {
  if (madeAt !== undefined && date < madeAt) {
    throw new UnprocessableError(
      'date_before_statement',
      path,
      madeAt,
      `${path} (${date}) is before the statement's date ${madeAt}: an observation cannot precede the commitment`,
    );
  }
  if (date > today) {
    throw new UnprocessableError(
      'date_in_future',
      path,
      today,
      `${path} (${date}) is after ${today}, the day it is recorded: a future observation is not an observation`,
    );
  }
}

/** Refuse a source published before the statement. */
function sourceDate(path: string, source: { publishedAt: IsoDate } | undefined, madeAt?: IsoDate) {
  if (source === undefined || madeAt === undefined || source.publishedAt >= madeAt) return;
  throw new UnprocessableError(
    'date_before_statement',
    `${path}.publishedAt`,
    madeAt,
    `${path}.publishedAt (${source.publishedAt}) is before the statement's date ${madeAt}`,
  );
}

/** Refuse a statement dated after the recording day. */
function statementDate(path: string, madeAt: IsoDate, today: IsoDate) {
  if (madeAt <= today) return;
  throw new UnprocessableError(
    'date_in_future',
    path,
    today,
    `${path} (${madeAt}) is after ${today}, the day it is recorded: a statement cannot be made in the future`,
  );
}

/**
 * Honest dates (issue 15): observations (progress `asOf`, review `reviewedAt`, outcome
 * `decidedAt`, withdrawal `at`, an assessment's report dates) lie between the statement's date and
 * the day they are recorded; a statement is not made after the day it is recorded; no source is
 * published before the statement. A correction of the statement is held to the same rules against
 * everything already recorded.
 * @throws UnprocessableError naming the field and the bound it crossed
 */
export function checkHonestDates(state: DecisionState, command: Command, today: IsoDate): void {
  if (command.type === 'RecordCommitment') {
    const { statement, source } = command.body;
    statementDate('statement.madeAt', statement.madeAt, today);
    sourceDate('source', source, statement.madeAt);
    return;
  }
  if (!state.exists) return;
  const madeAt = state.madeAt;
  const b = command.body;
  if ('source' in b && command.type !== 'CorrectRecord') sourceDate('source', b.source, madeAt);
  switch (command.type) {
    case 'ReportProgress':
      observation('asOf', command.body.asOf, madeAt, today);
      return;
    case 'RecordReview':
      observation('reviewedAt', command.body.reviewedAt, madeAt, today);
      return;
    case 'RecordOutcome':
      observation('decidedAt', command.body.decidedAt, madeAt, today);
      return;
    case 'Withdraw':
      observation('at', command.body.at, madeAt, today);
      return;
    case 'AssessParty': {
      const { report } = command.body;
      observation('report.publishedAt', report.publishedAt, madeAt, today);
      observation('report.periodEnd', report.periodEnd, madeAt, today);
      if (report.periodEnd > report.publishedAt) {
        throw new UnprocessableError(
          'date_in_future',
          'report.periodEnd',
          report.publishedAt,
          `report.periodEnd (${report.periodEnd}) is after report.publishedAt (${report.publishedAt}): a report cannot cover a period after its publication`,
        );
      }
      return;
    }
    case 'CorrectRecord': {
      const st = command.body.fields.statement;
      if (st === undefined) return;
      statementDate('fields.statement.madeAt', st.madeAt, today);
      const bounds: Array<[IsoDate | null | undefined, string]> = [
        [state.earliestSource, 'a recorded source'],
        [state.earliestObservation, 'a recorded observation'],
      ];
      for (const [bound, what] of bounds) {
        if (bound !== null && bound !== undefined && st.madeAt > bound) {
          throw new UnprocessableError(
            'date_before_statement',
            'fields.statement.madeAt',
            bound,
            `fields.statement.madeAt (${st.madeAt}) is after ${bound}, the date of ${what}: nothing recorded may precede the statement`,
          );
        }
      }
      return;
    }
    default:
      return;
  }
}

/** Commands still accepted once a commitment is withdrawn or superseded. */
const ALLOWED_WHEN_FINAL: ReadonlySet<Command['type']> = new Set(['AddSource', 'CorrectRecord']);

/**
 * Decide a command against the current state.
 * @returns the events to append (always one for now)
 * @throws DomainError with code `already_exists`, `not_recorded`, `closed`, `no_metric`,
 *   `self_supersession` or `unknown_superseding`
 * @throws InvalidInputError when a `due` cannot be interpreted (path `due.text`, `due.edtf`, `due.latest`)
 * @throws TypeError when RecordCommitment arrives without an id (the application layer must fill it)
 */
export function decide(state: DecisionState, command: Command, ctx: DecideContext): DomainEvent[] {
  // Marked as validated for the store's door (`validateForStore`): built from a parsed command.
  return markDecided(decideEvents(state, command, ctx));
}

function decideEvents(state: DecisionState, command: Command, ctx: DecideContext): DomainEvent[] {
  if (command.type === 'RecordCommitment') {
    const b = command.body;
    if (b.id === undefined) {
      throw new TypeError(
        'RecordCommitment needs an id: the application layer generates one before deciding',
      );
    }
    if (state.exists) {
      throw new DomainError('already_exists', `commitment ${b.id} already exists`);
    }
    checkHonestDates(state, command, ctx.today);
    const data: EventData<'CommitmentRecorded'> = {
      id: b.id,
      title: b.title,
      kind: b.kind,
      parties: b.parties,
      statement: b.statement,
      source: b.source,
      metric: b.metric
        ? {
            name: b.metric.name,
            unit: b.metric.unit,
            baseline: b.metric.baseline ?? null,
            target: b.metric.target,
          }
        : null,
      due: b.due ? interpretDue(b.due, b.statement.madeAt, 'due') : null,
      reviewEvery: b.reviewEvery ?? 'P3M',
      tags: b.tags ?? [],
    };
    return [{ type: 'CommitmentRecorded', data: stripUndefined(data) }];
  }

  if (!state.exists) {
    throw new DomainError('not_recorded', 'no commitment with this id has been recorded');
  }
  if (state.final && !ALLOWED_WHEN_FINAL.has(command.type)) {
    throw new DomainError(
      'closed',
      `commitment ${state.id} is ${state.closedAs ?? 'closed'}; only sources and corrections can be added`,
    );
  }
  checkHonestDates(state, command, ctx.today);

  switch (command.type) {
    case 'AddSource':
      return [{ type: 'SourceAdded', data: stripUndefined(command.body) }];

    case 'ReportProgress':
      if (command.body.value !== undefined && !state.hasMetric) {
        throw new DomainError(
          'no_metric',
          `commitment ${state.id} has no metric, so progress cannot carry a value`,
        );
      }
      return [{ type: 'ProgressReported', data: stripUndefined(command.body) }];

    case 'RecordReview':
      return [{ type: 'ReviewRecorded', data: stripUndefined(command.body) }];

    case 'ReviseDeadline': {
      // A relative phrase means what it meant on the day its source was published, if it has one.
      const { due, reason, source } = command.body;
      const anchor = source?.publishedAt ?? ctx.today;
      return [
        {
          type: 'DeadlineRevised',
          data: stripUndefined({ due: interpretDue(due, anchor, 'due'), reason, source }),
        },
      ];
    }

    case 'AssessParty': {
      const parties = state.parties ?? [];
      if (!parties.includes(command.body.party)) {
        throw new UnprocessableError(
          'not_a_party',
          'party',
          parties.join(', '),
          `party ${command.body.party} is not one of the commitment's parties (${parties.join(', ')})`,
        );
      }
      return [{ type: 'PartyAssessed', data: stripUndefined(command.body) }];
    }

    case 'ReviseTarget':
      if (!state.hasMetric) {
        throw new DomainError(
          'no_metric',
          `commitment ${state.id} has no metric, so it has no target to revise`,
        );
      }
      return [{ type: 'TargetRevised', data: stripUndefined(command.body) }];

    case 'RecordOutcome':
      // May be recorded again: the latest outcome counts.
      return [{ type: 'OutcomeRecorded', data: stripUndefined(command.body) }];

    case 'Withdraw':
      return [{ type: 'CommitmentWithdrawn', data: stripUndefined(command.body) }];

    case 'Supersede':
      if (command.body.by === state.id) {
        throw new DomainError('self_supersession', 'a commitment cannot supersede itself');
      }
      if (ctx.supersedingExists !== true) {
        throw new DomainError(
          'unknown_superseding',
          `commitment ${command.body.by} (named in "by") does not exist`,
        );
      }
      return [{ type: 'CommitmentSuperseded', data: stripUndefined(command.body) }];

    case 'CorrectRecord':
      return [{ type: 'RecordCorrected', data: stripUndefined(command.body) }];

    default: {
      const unknown: never = command;
      throw new TypeError(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}
