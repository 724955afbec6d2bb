/**
 * The one command handler: read the state, `decide`, append with the expected revision.
 * Invariants:
 * - A write is appended only at the revision it was decided on; a concurrent writer makes the
 *   append fail and the command is decided again on fresh state (`RETRY_POLICY`).
 * - A keyed command whose events are already stored is answered from those events, never
 *   decided twice; the same key with another request is refused.
 * - The state read first comes from the read model only when it is written in the append's own
 *   transaction (`readModelIsCurrent`); a stale row is caught by the expected revision.
 */
import { evolveDecision, initialDecisionState, type DecisionState } from '../domain/decide.js';
import {
  DomainError,
  IdempotencyKeyReusedError,
  NotFoundError,
  PreconditionFailedError,
} from '../domain/errors.js';
import { storedDomainEvent, type DomainEvent } from '../domain/events.js';
import {
  envelopeOf,
  evolveDomain,
  evolveStored,
  foldStored,
  toView,
} from '../../projections/index.js';
import type { CommitmentState } from '../../projections/types.js';
import { DuplicateEventError, WrongExpectedRevisionError } from '../store/errors.js';
import type { EventStore, StoredEvent } from '../store/port.js';
import { commitmentIdOf } from '../store/port.js';
import type { ReadModel } from '../read-model/port.js';
import { firstEventId } from './ids.js';
import { newEvents } from './new-events.js';
import type { CommandContext, CommandResult } from './types.js';

/** When a command is decided again: after a concurrent append, up to `maxRetries` times. */
export const RETRY_POLICY = {
  maxRetries: 5,
  retryOn: (err: unknown): boolean => err instanceof WrongExpectedRevisionError,
} as const;

export type Decider = (state: DecisionState) => Promise<DomainEvent[]> | DomainEvent[];

export interface CommandHandlerDeps {
  store: EventStore;
  readModel: ReadModel;
  readModelIsCurrent: boolean;
  today(): string;
  /** Wait until the read model has applied `position` (a no-op when it is written inline). */
  waitForProjection(position: number): Promise<void>;
}

/**
 * The decision state of a read-model row: what `decide` needs, without reading the stream. It
 * lacks the earliest source and observation dates (a row keeps the latest ones), so commands
 * bounded by them (CorrectRecord) fold the stream instead (`foldStream`).
 */
export function decisionOfState(s: CommitmentState): DecisionState {
  const closedAs = s.status === 'withdrawn' || s.status === 'superseded' ? s.status : null;
  return {
    exists: true,
    id: s.id,
    revision: s.revision,
    final: closedAs !== null,
    closedAs,
    hasMetric: s.metric !== null,
    // For assessments (the party must be one of these) and honest dates (bounded by madeAt).
    parties: s.parties,
    madeAt: s.statement.madeAt,
  };
}

function decisionStateOf(events: readonly StoredEvent[]): DecisionState {
  let s = initialDecisionState;
  for (const e of events)
    s = evolveDecision(s, storedDomainEvent(e.type, e.metadata.schemaVersion, e.data));
  return s;
}

/** Refuse a retry whose stored events were produced by another request (same key). */
function assertSameRequest(stored: StoredEvent, ctx: CommandContext): void {
  const was = stored.metadata.requestHash;
  if (ctx.requestHash !== undefined && was !== undefined && was !== ctx.requestHash) {
    throw new IdempotencyKeyReusedError(ctx.idempotencyKey ?? '');
  }
}

interface Loaded {
  current: number;
  /** The stream as read, or null when the state came from the read model. */
  existing: StoredEvent[] | null;
  modelState: CommitmentState | null;
  decision: DecisionState;
}

export function commandHandler(deps: CommandHandlerDeps) {
  const { store } = deps;

  function result(
    state: CommitmentState | null,
    appended: StoredEvent[],
    position = appended[appended.length - 1]?.position ?? 0,
  ): CommandResult {
    if (!state) throw new Error('a write produced no state');
    return {
      view: toView(state, deps.today()),
      revision: state.revision,
      position,
      events: appended,
    };
  }

  /** The view after a write, from the stream itself (the read model may lag on an external store). */
  function resultOfStream(all: StoredEvent[], appended: StoredEvent[]): CommandResult {
    const last = appended[appended.length - 1] ?? all[all.length - 1];
    return result(foldStored(all.map(envelopeOf)), appended, last?.position ?? 0);
  }

  /** The state after the append, folded from the read-model row and the events just stored. */
  function resultOfModel(
    modelState: CommitmentState,
    decided: readonly DomainEvent[],
    stored: StoredEvent[],
  ): CommandResult {
    let state: CommitmentState | null = modelState;
    for (let i = 0; i < stored.length; i += 1) {
      const e = stored[i] as StoredEvent;
      const d = decided[i];
      // When the stored event carries the very data object `decide` produced, fold that;
      // otherwise (the embedded store hands back the data as stored) the stored fast path.
      state =
        d !== undefined && d.type === e.type && d.data === e.data
          ? evolveDomain(state, d, { revision: e.revision, recordedAt: e.metadata.recordedAt })
          : evolveStored(state, envelopeOf(e));
    }
    return result(state, stored);
  }

  /** A retry whose event id is already stored: answer with the stream as it stood after that event. */
  async function replayDuplicate(
    stream: string,
    eventId: string,
    ctx: CommandContext,
  ): Promise<CommandResult> {
    const events = await store.readStream(stream);
    const idx = events.findIndex((e) => e.id === eventId);
    if (idx < 0) {
      const found = await store.findEvent(eventId);
      if (found) assertSameRequest(found, ctx);
      if (found && found.stream !== stream) {
        throw new DomainError(
          'already_exists',
          'this Idempotency-Key was already used for another commitment',
        );
      }
      throw new DuplicateEventError(eventId);
    }
    assertSameRequest(events[idx] as StoredEvent, ctx);
    return resultOfStream(events.slice(0, idx + 1), [events[idx] as StoredEvent]);
  }

  /**
   * A keyed request refused before its append may be the retry of one whose events are stored
   * but whose response was lost; deciding again would answer differently, so it is answered from
   * the stored events. Looked up only on this failure path (on EventStoreDB a missing id scans
   * the end of the log). Otherwise rethrows `err`.
   */
  async function replayKeyedRetry(
    stream: string,
    ctx: CommandContext,
    err: unknown,
  ): Promise<CommandResult> {
    const refused =
      err instanceof DomainError ||
      err instanceof NotFoundError ||
      err instanceof PreconditionFailedError;
    const firstId = firstEventId(ctx);
    if (firstId === undefined || !refused) throw err;
    if ((await store.findEvent(firstId)) === null) throw err;
    return replayDuplicate(stream, firstId, ctx);
  }

  async function load(stream: string, mustExist: boolean, fromModel: boolean): Promise<Loaded> {
    const id = commitmentIdOf(stream);
    const modelState =
      fromModel && deps.readModelIsCurrent && id !== null ? deps.readModel.getState(id) : null;
    if (modelState) {
      return {
        current: modelState.revision,
        existing: null,
        modelState,
        decision: decisionOfState(modelState),
      };
    }
    const existing = await store.readStream(stream);
    if (mustExist && existing.length === 0)
      throw new NotFoundError(`no commitment ${id ?? stream}`);
    return {
      current: existing.length,
      existing,
      modelState: null,
      decision: decisionStateOf(existing),
    };
  }

  /** After a refused append: a replay, a typed refusal, or 'retry'. */
  async function onAppendError(
    err: unknown,
    stream: string,
    ctx: CommandContext,
    current: number,
    eventId: string | undefined,
  ): Promise<CommandResult | 'retry'> {
    if (err instanceof DuplicateEventError && eventId) return replayDuplicate(stream, eventId, ctx);
    if (!RETRY_POLICY.retryOn(err)) throw err;
    if (ctx.expectedRevision !== undefined) {
      throw new PreconditionFailedError(
        ctx.expectedRevision,
        (err as WrongExpectedRevisionError).actual,
      );
    }
    if (current === 0) {
      // Another writer created the stream first; a retry with the same key lands here too.
      if (eventId && (await store.readStream(stream)).some((e) => e.id === eventId)) {
        return replayDuplicate(stream, eventId, ctx);
      }
      throw new DomainError('already_exists', `a commitment with this id already exists`);
    }
    return 'retry';
  }

  /**
   * Decide on the current state of `stream` and append the events at that revision. With
   * `foldStream`, the state is folded from the stream even when the read model is current: for a
   * command whose rules need what a read-model row does not keep (see `decisionOfState`).
   */
  return async function handle(
    stream: string,
    decideFrom: Decider,
    ctx: CommandContext,
    opts: { mustExist: boolean; foldStream?: boolean },
  ): Promise<CommandResult> {
    for (let attempt = 0; ; attempt += 1) {
      let loaded: Loaded;
      let decided: DomainEvent[];
      try {
        const fromModel = opts.mustExist && attempt === 0 && opts.foldStream !== true;
        loaded = await load(stream, opts.mustExist, fromModel);
        if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== loaded.current) {
          throw new PreconditionFailedError(ctx.expectedRevision, loaded.current);
        }
        decided = await decideFrom(loaded.decision);
      } catch (err) {
        return replayKeyedRetry(stream, ctx, err);
      }
      const toAppend = newEvents(decided, ctx);
      try {
        const res = await store.append(stream, toAppend, {
          expectedRevision: loaded.current === 0 ? 'no_stream' : loaded.current,
        });
        await deps.waitForProjection(res.position);
        return loaded.modelState
          ? resultOfModel(loaded.modelState, decided, res.events)
          : resultOfStream([...(loaded.existing as StoredEvent[]), ...res.events], res.events);
      } catch (err) {
        const out = await onAppendError(err, stream, ctx, loaded.current, toAppend[0]?.id);
        if (out !== 'retry') return out;
        if (attempt >= RETRY_POLICY.maxRetries) throw err;
      }
    }
  };
}
