/**
 * EventStoreDB adapter of the event-store port (@eventstore/db-client v6; KurrentDB speaks the same protocol).
 * Selected when EVENTSTORE_URL is set. Conversions live in ./mapping.ts.
 *
 * Stream safety: every read stream the client hands out is drained to its end or cancelled and destroyed,
 * always has an 'error' listener, and is bounded by an inactivity deadline (the client itself gives
 * streaming reads no deadline), so an unreachable or silent server fails fast with StoreUnavailableError.
 */
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  streamNameFilter,
} from '@eventstore/db-client';
import { NO_STREAM, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  ReadPosition,
  ReadRevision,
  ResolvedEvent,
  StreamingRead,
} from '@eventstore/db-client';
import type { Clock } from '../../domain/clock.js';
import { CURRENT_SCHEMA_VERSION } from '../../domain/events.js';
import {
  ChainMismatchError,
  DuplicateEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../errors.js';
import { GENESIS_HASH, eventHash } from '../hash-chain.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandlers,
} from '../port.js';
import {
  EVENT_ID_RESERVED,
  LOG_STREAMS_REGEX,
  eventIdIndexStream,
  fromEsdbPosition,
  fromRecordedEvent,
  isInternalStream,
  isStreamNotFound,
  readAllFrom,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbRevision,
  translateError,
} from './mapping.js';

export interface EsdbOptions {
  clock?: Clock;
  /** Deadline of each call, and the longest a read may stay silent, in ms. Default 5000. */
  deadlineMs?: number;
  /** Logs subscription errors and resubscriptions. */
  log?: (msg: string, err?: unknown) => void;
  /** Cap of the resubscribe backoff, ms. Default 30000. */
  maxBackoffMs?: number;
  /** First resubscribe delay, ms. Default 250. */
  minBackoffMs?: number;
  /** How many events of $all (newest first) findEvent scans at most. Default 10000. */
  findEventScanLimit?: number;
  /** Attempts of an append with expectedRevision 'any' when other writers race it. Default 5. */
  anyRetries?: number;
}

const systemClock: Clock = { now: () => new Date() };
const READ_BATCH = 500;

/** A user-safe rendering of the connection string (no credentials). */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export class EsdbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private closed = false;
  private readonly subscriptions = new Set<{ stop(): Promise<void> }>();
  private readonly deadlineMs: number;
  private readonly clock: Clock;
  private readonly log: (msg: string, err?: unknown) => void;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly target: string,
    private readonly opts: EsdbOptions,
  ) {
    this.deadlineMs = opts.deadlineMs ?? 5000;
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? (() => undefined);
  }

  /**
   * Create the adapter for a connection string such as `esdb://localhost:2113?tls=false`.
   * The client connects lazily: an unreachable server is reported by the first call
   * (StoreUnavailableError), not here. A malformed connection string throws here.
   */
  static async connect(url: string, opts: EsdbOptions = {}): Promise<EsdbEventStore> {
    const deadline = opts.deadlineMs ?? 5000;
    const withDeadline = /[?&]defaultDeadline=/i.test(url)
      ? url
      : `${url}${url.includes('?') ? '&' : '?'}defaultDeadline=${deadline}`;
    const client = EventStoreDBClient.connectionString(withDeadline);
    return Promise.resolve(new EsdbEventStore(client, redact(url), opts));
  }

  // ------------------------------------------------------------------ reads

  /**
   * Drain a client read stream: every item goes to `onItem` (return false to stop early, which
   * cancels and destroys the stream). Rejects with StoreUnavailableError when the stream stays
   * silent for deadlineMs. Never leaves a stream unconsumed or without an error listener.
   */
  private async drain<T>(rs: StreamingRead<T>, onItem: (item: T) => boolean | void): Promise<void> {
    rs.on('error', () => undefined); // errors surface through the iterator; this stops late ones from crashing
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void rs.cancel().catch(() => undefined);
        rs.destroy(
          new StoreUnavailableError(
            `EventStoreDB is unavailable: no answer from ${this.target} within ${this.deadlineMs} ms`,
          ),
        );
      }, this.deadlineMs);
    };
    arm();
    let stoppedEarly = false;
    try {
      for await (const item of rs as AsyncIterable<T>) {
        arm();
        if (onItem(item) === false) {
          stoppedEarly = true;
          break;
        }
      }
    } finally {
      clearTimeout(timer);
      if (stoppedEarly || !rs.readableEnded) {
        await rs.cancel().catch(() => undefined);
        rs.destroy();
      }
    }
  }

  private guard(): void {
    if (this.closed) throw new StoreUnavailableError('the EventStoreDB store is closed');
  }

  /** Read a stream forward from an ESDB revision; [] when it does not exist. */
  private async readStreamRaw(
    stream: string,
    from: ReadRevision,
    maxCount?: number,
  ): Promise<StoredEvent[]> {
    this.guard();
    const out: StoredEvent[] = [];
    try {
      await this.drain(
        this.client.readStream(stream, {
          fromRevision: from,
          direction: FORWARDS,
          ...(maxCount !== undefined ? { maxCount } : {}),
          deadline: this.deadlineMs,
        }),
        (r: ResolvedEvent) => {
          if (r.event) out.push(fromRecordedEvent(r.event));
        },
      );
    } catch (err) {
      if (isStreamNotFound(err)) return [];
      throw translateError(err, { stream });
    }
    return out;
  }

  async readStream(
    stream: string,
    options: { fromRevision?: number } = {},
  ): Promise<StoredEvent[]> {
    const from =
      options.fromRevision !== undefined && options.fromRevision > 1
        ? toEsdbRevision(options.fromRevision)
        : START;
    return this.readStreamRaw(stream, from);
  }

  /**
   * Scan $all in batches from `from` in `direction`, handing every non-system event to `visit`
   * (return false to stop). Each batch is drained completely.
   */
  private async scanAll(
    from: ReadPosition,
    direction: typeof FORWARDS | typeof BACKWARDS,
    visit: (e: AllStreamResolvedEvent) => boolean | void,
    maxEvents = Number.POSITIVE_INFINITY,
  ): Promise<void> {
    this.guard();
    let position: ReadPosition = from;
    let seen = 0;
    let lastCommit: bigint | null = null;
    for (;;) {
      let got = 0;
      let stop = false;
      let last: AllStreamResolvedEvent | null = null;
      try {
        await this.drain(
          this.client.readAll({
            fromPosition: position,
            direction,
            maxCount: READ_BATCH,
            deadline: this.deadlineMs,
          }),
          (r: AllStreamResolvedEvent) => {
            got += 1;
            if (stop) return; // keep draining the batch
            const ev = r.event;
            if (!ev) return;
            const commit = ev.position.commit;
            // Batches overlap by one event at their boundary (reads are inclusive): skip what was seen.
            if (
              lastCommit !== null &&
              (direction === FORWARDS ? commit <= lastCommit : commit >= lastCommit)
            )
              return;
            last = r;
            seen += 1;
            if (!isInternalStream(ev.streamId) && visit(r) === false) stop = true;
            if (seen >= maxEvents) stop = true;
          },
        );
      } catch (err) {
        throw translateError(err);
      }
      const lastEvent = (last as AllStreamResolvedEvent | null)?.event;
      if (stop || got < READ_BATCH || !lastEvent) return;
      lastCommit = lastEvent.position.commit;
      position = lastEvent.position;
    }
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    if (options.limit <= 0) return out;
    const after = BigInt(options.after);
    await this.scanAll(readAllFrom(options.after), FORWARDS, (r) => {
      const ev = r.event;
      if (!ev || ev.position.commit <= after) return true;
      if (options.streamPrefix !== undefined && !ev.streamId.startsWith(options.streamPrefix))
        return true;
      out.push(fromRecordedEvent(ev));
      return out.length < options.limit;
    });
    return out;
  }

  /** Position of the newest non-system event (optionally of streams with a prefix), 0 when none. */
  private async lastPosition(streamPrefix?: string): Promise<number> {
    let found = 0;
    await this.scanAll(END, BACKWARDS, (r) => {
      const ev = r.event;
      if (!ev) return true;
      if (streamPrefix !== undefined && !ev.streamId.startsWith(streamPrefix)) return true;
      found = fromEsdbPosition(ev.position);
      return false;
    });
    return found;
  }

  headPosition(): Promise<number> {
    return this.lastPosition();
  }

  /** The stream that reserved a caller-given event id (see reserveId), or null. */
  private async reservedBy(id: string): Promise<string | null> {
    this.guard();
    let owner: string | null = null;
    try {
      await this.drain(
        this.client.readStream(eventIdIndexStream(id), {
          fromRevision: START,
          maxCount: 1,
          deadline: this.deadlineMs,
        }),
        (r: ResolvedEvent) => {
          const data = r.event?.data as { stream?: unknown } | undefined;
          if (typeof data?.stream === 'string') owner = data.stream;
        },
      );
    } catch (err) {
      if (isStreamNotFound(err)) return null;
      throw translateError(err);
    }
    return owner;
  }

  /**
   * Reserve a caller-given event id for `stream` in the event-id index (one stream per id, created
   * with NO_STREAM, so two writers cannot both win). Already reserved by another stream → DuplicateEventError.
   */
  private async reserveId(id: string, stream: string): Promise<void> {
    try {
      await this.client.appendToStream(
        eventIdIndexStream(id),
        jsonEvent({ type: EVENT_ID_RESERVED, data: { stream } }),
        {
          expectedRevision: NO_STREAM,
          deadline: this.deadlineMs,
        },
      );
    } catch (err) {
      if (!(err instanceof WrongExpectedVersionError)) throw translateError(err);
      const owner = await this.reservedBy(id);
      if (owner !== stream) throw new DuplicateEventError(id);
    }
  }

  /**
   * Caller-given ids are found through the event-id index. Store-generated (random) ids are not
   * indexed: for them this scans $all backwards over at most `findEventScanLimit` events (default
   * 10000) and returns null when the id is not among them, which proves nothing about older events.
   */
  async findEvent(id: string): Promise<StoredEvent | null> {
    const owner = await this.reservedBy(id);
    if (owner !== null) {
      return (await this.readStreamRaw(owner, START)).find((e) => e.id === id) ?? null;
    }
    let found: StoredEvent | null = null;
    await this.scanAll(
      END,
      BACKWARDS,
      (r) => {
        if (r.event?.id !== id) return true;
        found = fromRecordedEvent(r.event);
        return false;
      },
      this.opts.findEventScanLimit ?? 10_000,
    );
    return found;
  }

  // ------------------------------------------------------------------ append

  async append(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const attempts =
      options.expectedRevision === 'any' ? Math.max(1, this.opts.anyRetries ?? 5) : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.appendOnce(stream, events, options.expectedRevision);
      } catch (err) {
        // 'any' still keeps the chain intact: we append against the revision we read and re-read on a race.
        if (err instanceof WrongExpectedRevisionError && attempt < attempts) continue;
        throw err;
      }
    }
  }

  private async appendOnce(
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    this.guard();
    // The whole stream: its last revision and hash, and the ids already in it (ESDB does not reject a
    // repeated id when the expected revision matches, so duplicates are checked here).
    const existing = await this.readStreamRaw(stream, START);
    const current = existing.length;
    if (
      (expected === 'no_stream' && current !== 0) ||
      (typeof expected === 'number' && expected !== current)
    ) {
      throw new WrongExpectedRevisionError(stream, expected, current);
    }
    const known = new Set(existing.map((e) => e.id));
    const recordedAt = this.clock.now().toISOString();
    let prev = existing[current - 1]?.hash ?? GENESIS_HASH;
    const prepared: Omit<StoredEvent, 'position'>[] = [];
    for (const [i, e] of events.entries()) {
      const id = e.id ?? randomUUID();
      if (known.has(id)) throw new DuplicateEventError(id);
      known.add(id);
      const metadata = {
        recordedAt,
        recordedBy: e.metadata.recordedBy,
        ...(e.metadata.requestId !== undefined ? { requestId: e.metadata.requestId } : {}),
        ...(e.metadata.requestHash !== undefined ? { requestHash: e.metadata.requestHash } : {}),
        ...(e.metadata.idempotencyKey !== undefined
          ? { idempotencyKey: e.metadata.idempotencyKey }
          : {}),
        schemaVersion: CURRENT_SCHEMA_VERSION,
      };
      const part = { stream, revision: current + i + 1, id, type: e.type, data: e.data, metadata };
      const hash = eventHash(prev, part);
      prepared.push({ ...part, hash });
      prev = hash;
    }
    if (prepared.length === 0) {
      return { revision: current, position: existing[current - 1]?.position ?? 0, events: [] };
    }
    // Caller-given ids may repeat across streams (idempotency keys): reserve them before appending.
    const given = events.flatMap((e) => (e.id !== undefined ? [e.id] : []));
    const reservations = await Promise.allSettled(given.map((id) => this.reserveId(id, stream)));
    for (const r of reservations) if (r.status === 'rejected') throw r.reason;
    try {
      await this.client.appendToStream(stream, prepared.map(toEsdbEventData), {
        expectedRevision: toEsdbExpectedRevision(current === 0 ? 'no_stream' : current),
        deadline: this.deadlineMs,
      });
    } catch (err) {
      throw translateError(err, { stream, expected });
    }
    // Read back what is stored at our revisions: it gives each event's log position, and it shows
    // when ESDB treated the append as an idempotent repeat of events another writer stored first.
    const stored = await this.readStreamRaw(stream, toEsdbRevision(current + 1), prepared.length);
    for (const [i, p] of prepared.entries()) {
      const s = stored[i];
      if (!s || s.id !== p.id || s.hash !== p.hash) throw new DuplicateEventError(p.id);
    }
    const last = stored[stored.length - 1] as StoredEvent;
    return { revision: last.revision, position: last.position, events: stored };
  }

  /**
   * Import events stored elsewhere with their original id, type, data, metadata and hash
   * (`commitments migrate --to esdb://…`). Each run of one stream is appended in one call at
   * the stream's head; revision continuity and the hash chain are checked before writing.
   */
  async importEvents(events: readonly StoredEvent[]): Promise<StoredEvent[]> {
    this.guard();
    const out: StoredEvent[] = [];
    let i = 0;
    while (i < events.length) {
      const stream = (events[i] as StoredEvent).stream;
      let j = i;
      while (j < events.length && (events[j] as StoredEvent).stream === stream) j += 1;
      const run = events.slice(i, j);
      const existing = await this.readStreamRaw(stream, START);
      let prev = existing[existing.length - 1]?.hash ?? GENESIS_HASH;
      let revision = existing.length;
      for (const e of run) {
        if (e.revision !== revision + 1) {
          throw new WrongExpectedRevisionError(stream, e.revision - 1, revision);
        }
        if (eventHash(prev, e) !== e.hash) throw new ChainMismatchError(stream, e.revision, e.id);
        prev = e.hash;
        revision = e.revision;
      }
      for (const e of run) await this.reserveId(e.id, stream);
      try {
        await this.client.appendToStream(stream, run.map(toEsdbEventData), {
          expectedRevision: toEsdbExpectedRevision(
            existing.length === 0 ? 'no_stream' : existing.length,
          ),
          deadline: this.deadlineMs,
        });
      } catch (err) {
        throw translateError(err, { stream, expected: existing.length });
      }
      out.push(
        ...(await this.readStreamRaw(stream, toEsdbRevision(existing.length + 1), run.length)),
      );
      i = j;
    }
    return out;
  }

  // ------------------------------------------------------------------ subscribe

  /**
   * Catch up from `after`, then follow live appends, via subscribeToAll with a stream-name filter.
   * One event at a time: the next is delivered after the handler settles. Transport errors are
   * logged, reported to `onError` as StoreUnavailableError (the subscription stays alive) and
   * followed by a resubscription from the last delivered position with capped exponential backoff.
   * A handler that throws stops the subscription; its error goes to `onError` as is.
   */
  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): Subscription {
    this.guard();
    const prefix = options.streamPrefix;
    const minBackoff = this.opts.minBackoffMs ?? 250;
    const maxBackoff = this.opts.maxBackoffMs ?? 30_000;
    let last = options.after;
    let stopped = false;
    let current: AllStreamSubscription | null = null;
    let wake: (() => void) | null = null;

    const sleep = (ms: number): Promise<void> =>
      new Promise((resolve) => {
        const t = setTimeout(() => {
          wake = null;
          resolve();
        }, ms);
        wake = () => {
          clearTimeout(t);
          wake = null;
          resolve();
        };
      });

    const runOnce = async (): Promise<'handler-failed' | 'ended'> => {
      // Where "caught up" is, for servers that do not send a caught-up message.
      const head = await this.lastPosition(prefix);
      if (stopped) return 'ended';
      let caughtUp = false;
      const markCaughtUp = (): void => {
        caughtUp = true;
        handlers.onCaughtUp?.(last);
      };
      if (last >= head) markCaughtUp();
      const sub = this.client.subscribeToAll({
        fromPosition: readAllFrom(last),
        filter:
          prefix !== undefined
            ? streamNameFilter({ prefixes: [prefix] })
            : streamNameFilter({ regex: LOG_STREAMS_REGEX }),
      });
      current = sub;
      sub.on('error', () => undefined); // errors surface through the iterator
      sub.on('caughtUp', () => {
        if (!stopped) markCaughtUp();
      });
      try {
        for await (const r of sub as AsyncIterable<AllStreamResolvedEvent>) {
          if (stopped) break;
          const ev = r.event;
          if (!ev || isInternalStream(ev.streamId)) continue;
          if (prefix !== undefined && !ev.streamId.startsWith(prefix)) continue;
          const pos = fromEsdbPosition(ev.position);
          if (pos <= last) continue;
          const stored = fromRecordedEvent(ev);
          try {
            await handlers.onEvent(stored);
          } catch (err) {
            handlers.onError?.(err instanceof Error ? err : new Error(String(err)));
            return 'handler-failed';
          }
          last = pos;
          if (!caughtUp && last >= head) markCaughtUp();
        }
        return 'ended';
      } finally {
        current = null;
        await sub.unsubscribe().catch(() => undefined);
        sub.destroy();
      }
    };

    const loop = async (): Promise<void> => {
      let failures = 0;
      while (!stopped && !this.closed) {
        try {
          const how = await runOnce();
          if (how === 'handler-failed') return;
          if (stopped) return;
          failures = 0;
          this.log(`EventStoreDB subscription ended at position ${last}; resubscribing`);
        } catch (err) {
          if (stopped) return;
          const translated = translateError(err);
          const error = translated instanceof Error ? translated : new Error(String(translated));
          const delay = Math.min(maxBackoff, minBackoff * 2 ** Math.min(failures, 20));
          failures += 1;
          this.log(
            `EventStoreDB subscription failed (${error.message}); resubscribing in ${delay} ms`,
            error,
          );
          handlers.onError?.(error);
          await sleep(delay);
        }
      }
    };

    const done = loop().catch((err: unknown) => {
      this.log('EventStoreDB subscription loop crashed', err);
    });
    const handle = {
      stop: async (): Promise<void> => {
        stopped = true;
        wake?.();
        const sub = current;
        if (sub) {
          await sub.unsubscribe().catch(() => undefined);
          sub.destroy();
        }
        await done;
        this.subscriptions.delete(handle);
      },
    };
    this.subscriptions.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.closed = true;
    await this.client.dispose();
  }
}
