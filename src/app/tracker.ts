/**
 * The application service: the one place where the flow
 *   command → decide (domain) → append (store) → project (read model) → query
 * is wired. The HTTP API and the CLI both call it; neither talks to the store directly.
 *
 * Embedded store: the read model lives in the same SQLite file and is updated inside
 * the append's transaction (read-your-writes by construction).
 * EventStoreDB: a Projector follows the log into a local SQLite read model; a write
 * waits (bounded) until the projector has applied its position.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { v5 as uuidv5 } from 'uuid';

import type { Clock } from '../domain/clock.js';
import { utcDate } from '../domain/clock.js';
import type { CommitmentCommandName, RecordCommitmentBody } from '../domain/commands.js';
import {
  decide,
  evolveDecision,
  initialDecisionState,
  type DecisionState,
} from '../domain/decide.js';
import {
  DomainError,
  IdempotencyKeyReusedError,
  NotFoundError,
  PreconditionFailedError,
} from '../domain/errors.js';
import { toDomainEvent, type DomainEvent } from '../domain/events.js';
import { evolve, evolveDomain, fold, toView } from '../../projections/index.js';
import type { CommitmentState, CommitmentView } from '../../projections/types.js';
import { DuplicateEventError, WrongExpectedRevisionError } from '../store/errors.js';
import type { EventStore, NewEvent, StoredEvent } from '../store/port.js';
import { commitmentIdOf, commitmentStream } from '../store/port.js';
import { SqliteEventStore, dataFile } from '../store/sqlite/sqlite-event-store.js';
import { EsdbEventStore } from '../store/esdb/esdb-event-store.js';
import {
  ensureReadModelSchema,
  envelopeOf,
  inlineProjection,
} from '../read-model/sqlite-read-model.js';
import { catchUp, Projector } from '../read-model/projector.js';
import * as queries from '../read-model/queries.js';
import * as audit from '../read-model/audit.js';
import type {
  CommandBody,
  CommandContext,
  CommandResult,
  Health,
  ListFilter,
  ListPage,
  OverdueItem,
  ReplayResult,
  Tracker,
  UpcomingItem,
  VerifyReport,
} from './types.js';

export interface TrackerConfig {
  dataDir: string;
  /** When set, events live in EventStoreDB; the read model stays in a local SQLite file. */
  eventstoreUrl?: string;
  clock: Clock;
  /** SQLite durability; FULL survives a power cut. */
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  logger?: Logger;
  /** Bounded read-your-writes wait for an external store, ms. */
  projectionWaitMs?: number;
}

export interface OpenTracker extends Tracker {
  /** SQLite database holding the read model (and, embedded, the events); HTTP idempotency keys live here too. */
  readonly localDb: Database.Database;
  readonly storeKind: 'sqlite' | 'eventstoredb';
  readonly store: EventStore;
}

/** Namespace for event ids derived from idempotency keys (UUID v5). */
export const IDEMPOTENCY_NAMESPACE = '6f1c2c3e-8b7a-4d43-9a51-3c1f0e4b7a20';

/** Deterministic event id for the n-th event of a command sent with an idempotency key. */
export function idempotentEventId(scope: string, key: string, index: number): string {
  return uuidv5(`${scope}\u0000${key}\u0000${index}`, IDEMPOTENCY_NAMESPACE);
}

/** A readable id from the title, made unique by a suffix (derived from the idempotency key when there is one). */
export function generateId(
  title: string,
  ctx: Pick<CommandContext, 'idempotencyKey' | 'idempotencyScope'>,
): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  const suffix = ctx.idempotencyKey
    ? createHash('sha256')
        .update(`${ctx.idempotencyScope ?? 'anonymous'}\u0000${ctx.idempotencyKey}`)
        .digest('hex')
        .slice(0, 8)
    : randomBytes(4).toString('hex');
  return slug.length >= 2 ? `${slug}-${suffix}` : `c-${suffix}`;
}

function decisionStateOf(events: readonly StoredEvent[]): DecisionState {
  let s = initialDecisionState;
  for (const e of events)
    s = evolveDecision(s, toDomainEvent(e.type, e.metadata.schemaVersion, e.data));
  return s;
}

const MAX_RETRIES = 5;

export async function openTracker(config: TrackerConfig): Promise<OpenTracker> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const log = config.logger;
  let store: EventStore;
  let localDb: Database.Database;
  let projector: Projector | null = null;

  if (config.eventstoreUrl) {
    store = await EsdbEventStore.connect(config.eventstoreUrl, {
      clock: config.clock,
      log: (msg: string, err?: unknown) => log?.warn({ err }, msg),
    });
    localDb = new Database(path.join(config.dataDir, 'read-model.db'));
    localDb.pragma('journal_mode = WAL');
    localDb.pragma(`synchronous = ${config.synchronous ?? 'FULL'}`);
    localDb.pragma('busy_timeout = 5000');
    ensureReadModelSchema(localDb);
    projector = new Projector(store, localDb, {
      info: (m) => log?.info(m),
      warn: (m, e) => log?.warn({ err: e }, m),
      error: (m, e) => log?.error({ err: e }, m),
    });
    projector.start();
  } else {
    const sqlite = SqliteEventStore.open({
      file: dataFile(config.dataDir),
      synchronous: config.synchronous ?? 'FULL',
      clock: config.clock,
    });
    localDb = sqlite.db;
    ensureReadModelSchema(localDb);
    // Torn state: anything appended but not projected (an older crash, a deleted read model) is applied first.
    await catchUp(localDb, sqlite);
    sqlite.registerInlineProjection(inlineProjection(sqlite));
    store = sqlite;
  }

  const today = (): string => utcDate(config.clock.now());

  function newEvents(events: DomainEvent[], ctx: CommandContext): NewEvent[] {
    return events.map((e, i) => ({
      ...(ctx.idempotencyKey
        ? { id: idempotentEventId(ctx.idempotencyScope ?? 'anonymous', ctx.idempotencyKey, i) }
        : {}),
      type: e.type,
      data: e.data,
      metadata: {
        recordedBy: ctx.recordedBy,
        ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey } : {}),
        ...(ctx.idempotencyKey && ctx.requestHash ? { requestHash: ctx.requestHash } : {}),
      },
    }));
  }

  async function waitForProjection(position: number): Promise<void> {
    if (!projector) return;
    const reached = await projector.waitFor(position, config.projectionWaitMs ?? 5000);
    if (!reached) log?.warn({ position }, 'read model has not reached the appended position yet');
  }

  /** The view after a write, from the stream itself (the read model may lag on an external store). */
  function resultOf(all: StoredEvent[], appended: StoredEvent[]): CommandResult {
    const state = fold(all.map(envelopeOf));
    const last = appended[appended.length - 1] ?? all[all.length - 1];
    return resultOfState(state, appended, last?.position ?? 0);
  }

  function resultOfState(
    state: CommitmentState | null,
    appended: StoredEvent[],
    position = appended[appended.length - 1]?.position ?? 0,
  ): CommandResult {
    if (!state) throw new Error('a write produced no state');
    return { view: toView(state, today()), revision: state.revision, position, events: appended };
  }

  /**
   * A retry whose idempotency key already produced events carries the hash of its request: when
   * the stored events say another request produced them, the key is being reused (422). Events
   * stored without a hash (before it was recorded) cannot tell, and are replayed as before.
   */
  function assertSameRequest(stored: StoredEvent, ctx: CommandContext): void {
    const was = stored.metadata.requestHash;
    if (ctx.requestHash !== undefined && was !== undefined && was !== ctx.requestHash) {
      throw new IdempotencyKeyReusedError(ctx.idempotencyKey ?? '');
    }
  }

  /**
   * A keyed request refused before its append (unknown commitment, stale If-Match, a domain rule)
   * may be the retry of one whose events are already stored, its response never recorded (a crash
   * between the append and storing it). Deciding again gives another answer than the first time
   * (a retried record finds its own commitment, a retried withdrawal finds it withdrawn), so such a
   * retry is answered from the stored events. Looked up only on this failure path: on EventStoreDB
   * finding an id that was never stored scans the end of the log. Otherwise rethrows `err`.
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
    if (ctx.idempotencyKey === undefined || !refused) throw err;
    const firstId = idempotentEventId(ctx.idempotencyScope ?? 'anonymous', ctx.idempotencyKey, 0);
    if ((await store.findEvent(firstId)) === null) throw err;
    return replayDuplicate(stream, firstId, ctx);
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
    const upTo = events.slice(0, idx + 1);
    return resultOf(upTo, [events[idx] as StoredEvent]);
  }

  /**
   * The decision state from the read model's row (one indexed read of state_json), instead of
   * reading and parsing the whole stream. Only for the embedded store, where the row is written
   * in the same transaction as the events; a stale row is caught by the append's expected
   * revision (the retry then reads the stream).
   */
  const modelIsCurrent = (): boolean => projector === null && store.kind === 'sqlite';
  function stateFromModel(stream: string): CommitmentState | null {
    const id = commitmentIdOf(stream);
    if (!modelIsCurrent() || id === null) return null;
    return queries.getState(localDb, id);
  }

  /**
   * Whether a commitment is recorded. On the embedded store its read-model row answers (written in
   * the append's transaction); elsewhere the stream is read.
   */
  async function commitmentExists(id: string): Promise<boolean> {
    if (modelIsCurrent()) return queries.getState(localDb, id) !== null;
    return (await store.readStream(commitmentStream(id))).length > 0;
  }

  function decisionOfState(s: CommitmentState): DecisionState {
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

  async function appendDecided(
    stream: string,
    decideFrom: (state: DecisionState) => Promise<DomainEvent[]> | DomainEvent[],
    ctx: CommandContext,
    opts: { mustExist: boolean },
  ): Promise<CommandResult> {
    for (let attempt = 0; ; attempt += 1) {
      const modelState = opts.mustExist && attempt === 0 ? stateFromModel(stream) : null;
      let existing: StoredEvent[] | null;
      let current: number;
      let events: DomainEvent[];
      try {
        existing = modelState ? null : await store.readStream(stream);
        if (opts.mustExist && existing !== null && existing.length === 0) {
          throw new NotFoundError(`no commitment ${commitmentIdOf(stream) ?? stream}`);
        }
        current = modelState ? modelState.revision : (existing as StoredEvent[]).length;
        if (ctx.expectedRevision !== undefined && ctx.expectedRevision !== current) {
          throw new PreconditionFailedError(ctx.expectedRevision, current);
        }
        events = await decideFrom(
          modelState ? decisionOfState(modelState) : decisionStateOf(existing as StoredEvent[]),
        );
      } catch (err) {
        return replayKeyedRetry(stream, ctx, err);
      }
      const toAppend = newEvents(events, ctx);
      try {
        const res = await store.append(stream, toAppend, {
          expectedRevision: current === 0 ? 'no_stream' : current,
        });
        await waitForProjection(res.position);
        if (modelState) {
          let state: CommitmentState | null = modelState;
          for (let i = 0; i < res.events.length; i += 1) {
            const e = res.events[i] as StoredEvent;
            const decided = events[i];
            // The stored event carries the very data object `decide` produced (from a body zod
            // already validated): fold it without parsing it again. Anything else is parsed.
            state =
              decided !== undefined && decided.type === e.type && decided.data === e.data
                ? evolveDomain(state, decided, {
                    revision: e.revision,
                    recordedAt: e.metadata.recordedAt,
                  })
                : evolve(state, envelopeOf(e));
          }
          return resultOfState(state, res.events);
        }
        return resultOf([...(existing as StoredEvent[]), ...res.events], res.events);
      } catch (err) {
        if (err instanceof DuplicateEventError && toAppend[0]?.id) {
          return replayDuplicate(stream, toAppend[0].id, ctx);
        }
        if (err instanceof WrongExpectedRevisionError) {
          if (ctx.expectedRevision !== undefined)
            throw new PreconditionFailedError(ctx.expectedRevision, err.actual);
          if (current === 0) {
            // Another writer created the stream first. A retry with the same idempotency key lands here too.
            if (toAppend[0]?.id) {
              const again = await store.readStream(stream);
              if (again.some((e) => e.id === toAppend[0]?.id))
                return replayDuplicate(stream, toAppend[0].id, ctx);
            }
            throw new DomainError('already_exists', `a commitment with this id already exists`);
          }
          if (attempt < MAX_RETRIES) continue; // someone else wrote in between: decide again on fresh state
        }
        throw err;
      }
    }
  }

  const tracker: OpenTracker = {
    localDb,
    storeKind: store.kind,
    store,

    async record(body: RecordCommitmentBody, ctx: CommandContext): Promise<CommandResult> {
      const id = body.id ?? generateId(body.title, ctx);
      const stream = commitmentStream(id);
      return appendDecided(
        stream,
        (state) =>
          decide(state, { type: 'RecordCommitment', body: { ...body, id } }, { today: today() }),
        ctx,
        { mustExist: false },
      );
    },

    async execute<K extends CommitmentCommandName>(
      id: string,
      command: K,
      body: CommandBody<K>,
      ctx: CommandContext,
    ): Promise<CommandResult> {
      const stream = commitmentStream(id);
      return appendDecided(
        stream,
        async (state) => {
          let supersedingExists: boolean | undefined;
          if (command === 'supersession') {
            const by = (body as CommandBody<'supersession'>).by;
            supersedingExists = by !== id && (await commitmentExists(by));
          }
          const cmd = { type: command, body } as Parameters<typeof decide>[1];
          return decide(state, cmd, {
            today: today(),
            ...(supersedingExists !== undefined ? { supersedingExists } : {}),
          });
        },
        ctx,
        { mustExist: true },
      );
    },

    async get(id, opts): Promise<CommitmentView | null> {
      if (opts.knownAt) {
        const state = await audit.stateKnownAt(store, id, opts.knownAt);
        return state ? toView(state, opts.asOf) : null;
      }
      const state = queries.getState(localDb, id);
      return state ? toView(state, opts.asOf) : null;
    },

    async list(filter: ListFilter): Promise<ListPage> {
      return queries.list(localDb, filter);
    },

    async overdue(opts): Promise<OverdueItem[]> {
      return queries.overdue(localDb, opts);
    },

    async upcoming(opts): Promise<UpcomingItem[]> {
      return queries.upcoming(localDb, opts);
    },

    async history(id: string): Promise<StoredEvent[] | null> {
      const events = await store.readStream(commitmentStream(id));
      return events.length ? events : null;
    },

    async replay(opts): Promise<ReplayResult> {
      return audit.replayKnownAt(store, opts);
    },

    async verify(): Promise<VerifyReport> {
      return audit.verify(store, localDb);
    },

    async events(opts): Promise<StoredEvent[]> {
      return store.readAll({ after: opts.after, limit: opts.limit });
    },

    async health(): Promise<Health> {
      if (projector) {
        const s = projector.status();
        const position = projector.position;
        if (!s.connected || s.behind) {
          return {
            status: 'degraded',
            store: store.kind,
            position,
            detail: s.connected
              ? 'projector is behind the log'
              : `store unreachable: ${s.lastError ?? 'connecting'}`,
          };
        }
        return { status: 'ok', store: store.kind, position };
      }
      return { status: 'ok', store: store.kind, position: await store.headPosition() };
    },

    async close(): Promise<void> {
      if (projector) await projector.stop();
      await store.close();
      if (store.kind !== 'sqlite' && localDb.open) localDb.close();
    },
  };
  return tracker;
}
