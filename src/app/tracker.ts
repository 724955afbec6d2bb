/**
 * The application service: commands and queries over the ports it is handed (event store,
 * read model, clock). It opens nothing itself; src/bootstrap.ts chooses the adapters and wires
 * them. Commands go through the one command handler (command-handler.ts); queries read the
 * read-model port, except audits and `knownAt`, which replay the log.
 */
import type { Clock } from '../domain/clock.js';
import { utcDate } from '../domain/clock.js';
import { normaliseParty } from '../domain/parties.js';
import { scoredCommitmentsKnownAt, type ScorecardFilter } from '../read-model/scorecards.js';
import type { CommitmentCommandName, RecordCommitmentBody } from '../domain/commands.js';
import { decide } from '../domain/decide.js';
import { DomainError } from '../domain/errors.js';
import { toView } from '../../projections/index.js';
import type { EventStore } from '../store/port.js';
import { commitmentStream } from '../store/port.js';
import { replayKnownAt, replayViews, stateKnownAt } from '../read-model/replay.js';
import type { ReadModel } from '../read-model/port.js';
import { summaryOfStates } from '../read-model/queries-summary.js';
import { commandHandler } from './command-handler.js';
import { partyScorecardOf, scorecardOf, type ScorecardQuery } from './scorecards.js';
import { generateId } from './ids.js';
import type { CommandBody, CommandContext, CommandResult, Health, Tracker } from './types.js';

/**
 * At most this many sources per commitment (the statement's own source counts): the view and the
 * history of a commitment stay bounded. One more is a 409 with the code `too_many_sources`.
 */
export const MAX_SOURCES = 50;

/** A read model that follows the log asynchronously (external store): its progress and health. */
export interface LogFollower {
  readonly position: number;
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
  status(): { connected: boolean; behind: boolean; lastError: string | null };
}

export interface TrackerPorts {
  store: EventStore;
  readModel: ReadModel;
  clock: Clock;
  /** True when the read model is written in the append's own transaction (embedded store). */
  readModelIsCurrent: boolean;
  follower?: LogFollower;
  /** Bounded read-your-writes wait for a follower, ms. */
  projectionWaitMs?: number;
  warn?(fields: Record<string, unknown>, message: string): void;
  /** Releases what the composition root opened. */
  close(): Promise<void>;
}

export function createTracker(ports: TrackerPorts): Tracker {
  const { store, readModel, follower } = ports;
  const today = (): string => utcDate(ports.clock.now());
  const handle = commandHandler({
    store,
    readModel,
    readModelIsCurrent: ports.readModelIsCurrent,
    today,
    async waitForProjection(position) {
      if (!follower) return;
      const reached = await follower.waitFor(position, ports.projectionWaitMs ?? 5000);
      if (!reached)
        ports.warn?.({ position }, 'read model has not reached the appended position yet');
    },
  });

  /** Whether a commitment is recorded: the read-model row when it is current, else the stream. */
  async function commitmentExists(id: string): Promise<boolean> {
    if (ports.readModelIsCurrent) return readModel.getState(id) !== null;
    return (await store.readStream(commitmentStream(id))).length > 0;
  }

  /** Run inside the decide step, so a retry after a concurrent append counts again. */
  async function checkSourceLimit(id: string): Promise<void> {
    const state = ports.readModelIsCurrent
      ? readModel.getState(id)
      : await stateKnownAt(store, id, '9999-12-31T23:59:59.999Z');
    if (state && state.sources.length >= MAX_SOURCES) {
      throw new DomainError(
        'too_many_sources',
        `commitment ${id} already has ${state.sources.length} sources; at most ${MAX_SOURCES} are kept per commitment`,
      );
    }
  }

  async function health(): Promise<Health> {
    if (!follower) return { status: 'ok', store: store.kind, position: await store.headPosition() };
    const s = follower.status();
    const position = follower.position;
    if (s.connected && !s.behind) return { status: 'ok', store: store.kind, position };
    return {
      status: 'degraded',
      store: store.kind,
      position,
      detail: s.connected
        ? 'projector is behind the log'
        : `store unreachable: ${s.lastError ?? 'connecting'}`,
    };
  }

  /** The commitments a scorecard counts: the read model's, or a replay's with `knownAt`. */
  async function scored(q: ScorecardQuery) {
    const filter: ScorecardFilter = {
      ...(q.tag !== undefined ? { tag: q.tag } : {}),
      ...(q.party !== undefined ? { party: q.party } : {}),
    };
    return q.knownAt !== undefined
      ? scoredCommitmentsKnownAt(store, { ...filter, knownAt: q.knownAt })
      : readModel.scoredCommitments(filter);
  }

  return {
    record(body: RecordCommitmentBody, ctx: CommandContext): Promise<CommandResult> {
      const id = body.id ?? generateId(body.title, ctx);
      return handle(
        commitmentStream(id),
        (state) =>
          decide(state, { type: 'RecordCommitment', body: { ...body, id } }, { today: today() }),
        ctx,
        { mustExist: false },
      );
    },

    execute<K extends CommitmentCommandName>(
      id: string,
      command: K,
      body: CommandBody<K>,
      ctx: CommandContext,
    ): Promise<CommandResult> {
      return handle(
        commitmentStream(id),
        async (state) => {
          if (command === 'AddSource') await checkSourceLimit(id);
          let supersedingExists: boolean | undefined;
          if (command === 'Supersede') {
            const by = (body as CommandBody<'Supersede'>).by;
            supersedingExists = by !== id && (await commitmentExists(by));
          }
          const cmd = { type: command, body } as Parameters<typeof decide>[1];
          return decide(state, cmd, {
            today: today(),
            ...(supersedingExists !== undefined ? { supersedingExists } : {}),
          });
        },
        ctx,
        // A correction of the statement is bounded by the earliest source and observation on
        // the stream (issue 15, honest dates), which a read-model row does not keep.
        { mustExist: true, foldStream: command === 'CorrectRecord' },
      );
    },

    async get(id, opts) {
      const state = opts.knownAt
        ? await stateKnownAt(store, id, opts.knownAt)
        : readModel.getState(id);
      return state ? toView(state, opts.asOf) : null;
    },
    list: async (filter) => readModel.list(filter),
    overdue: async (filter) => readModel.overdue(filter),
    upcoming: async (filter) => readModel.upcoming(filter),
    async summary(opts) {
      const filter = {
        asOf: opts.asOf,
        ...(opts.party !== undefined ? { party: opts.party } : {}),
        ...(opts.tag !== undefined ? { tag: opts.tag } : {}),
      };
      if (opts.knownAt === undefined) return readModel.summary(filter);
      const replayed = await replayKnownAt(store, { knownAt: opts.knownAt, asOf: opts.asOf });
      return summaryOfStates(replayed.commitments, { ...filter, knownAt: opts.knownAt });
    },
    async history(id, opts) {
      const from = opts?.fromRevision ?? 1;
      const events = await store.readStream(
        commitmentStream(id),
        from > 1 ? { fromRevision: from } : undefined,
      );
      if (events.length) return events;
      if (from <= 1) return null;
      return (await commitmentExists(id)) ? [] : null;
    },
    replay: (opts) => replayKnownAt(store, opts),
    replayViews: (opts) => replayViews(store, opts),
    verify: () => readModel.verify(),
    async scorecard(q) {
      const nq = q.party !== undefined ? { ...q, party: normaliseParty(q.party) } : q;
      return scorecardOf(await scored(nq), nq);
    },
    async partyScorecard(party, q) {
      const p = normaliseParty(party);
      return partyScorecardOf(await scored({ ...q, party: p }), p, q);
    },
    events: (opts) => store.readAll({ after: opts.after, limit: opts.limit }),
    health,
    close: () => ports.close(),
  };
}
