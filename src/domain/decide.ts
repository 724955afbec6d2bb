/**
 * The decider: pure functions that turn a command into events, enforcing the invariants
 * of issue 2. `decide` either returns the events to append or throws a typed error:
 *
 * - DomainError (→ HTTP 409, or 404 for code `not_recorded`) when a domain rule forbids the command;
 * - InvalidInputError (→ 400, with the field path) when a deadline cannot be interpreted.
 *
 * The state is minimal: only what the invariants need. It is rebuilt by folding a stream's
 * events with `evolveDecision`. Time never comes from a clock here: `ctx.today` is passed in.
 */
import type { Command } from './commands.js';
import { interpretDue } from './deadline.js';
import { DomainError } from './errors.js';
import type { DomainEvent, EventData } from './events.js';
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
    };

export const initialDecisionState: DecisionState = { exists: false };

export interface DecideContext {
  /** The date the command is recorded (UTC); relative phrases in a deadline revision resolve against it. */
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
    };
  }
  if (!state.exists) return state; // an event without a recording cannot change anything we decide on
  const next = { ...state, revision: state.revision + 1 };
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

/** Commands still accepted once a commitment is withdrawn or superseded. */
const ALLOWED_WHEN_FINAL: ReadonlySet<Command['type']> = new Set(['sources', 'corrections']);

/**
 * Decide a command against the current state.
 * @returns the events to append (always one for now)
 * @throws DomainError with code `already_exists`, `not_recorded`, `closed`, `no_metric`,
 *   `self_supersession` or `unknown_superseding`
 * @throws InvalidInputError when a `due` cannot be interpreted (path `due.text`, `due.edtf`, `due.latest`)
 * @throws TypeError when RecordCommitment arrives without an id (the application layer must fill it)
 */
export function decide(state: DecisionState, command: Command, ctx: DecideContext): DomainEvent[] {
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

  switch (command.type) {
    case 'sources':
      return [{ type: 'SourceAdded', data: stripUndefined(command.body) }];

    case 'progress':
      if (command.body.value !== undefined && !state.hasMetric) {
        throw new DomainError(
          'no_metric',
          `commitment ${state.id} has no metric, so progress cannot carry a value`,
        );
      }
      return [{ type: 'ProgressReported', data: stripUndefined(command.body) }];

    case 'reviews':
      return [{ type: 'ReviewRecorded', data: stripUndefined(command.body) }];

    case 'deadline': {
      const { due, reason, source } = command.body;
      return [
        {
          type: 'DeadlineRevised',
          data: stripUndefined({ due: interpretDue(due, ctx.today, 'due'), reason, source }),
        },
      ];
    }

    case 'target':
      if (!state.hasMetric) {
        throw new DomainError(
          'no_metric',
          `commitment ${state.id} has no metric, so it has no target to revise`,
        );
      }
      return [{ type: 'TargetRevised', data: stripUndefined(command.body) }];

    case 'outcome':
      // May be recorded again: the latest outcome counts.
      return [{ type: 'OutcomeRecorded', data: stripUndefined(command.body) }];

    case 'withdrawal':
      return [{ type: 'CommitmentWithdrawn', data: stripUndefined(command.body) }];

    case 'supersession':
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

    case 'corrections':
      return [{ type: 'RecordCorrected', data: stripUndefined(command.body) }];

    default: {
      const unknown: never = command;
      throw new TypeError(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}
