/**
 * A fake of the part of @eventstore/db-client 6.2 the adapter uses (EsdbClient), behaving as an
 * EventStoreDB 24.10 server answers it, so the adapter can be tested without a node. What it imitates,
 * from the server and client sources:
 *
 * - one transaction log: commit positions are byte offsets of records (not contiguous), and a read of
 *   $all from an offset where no record starts is refused (InvalidPosition, raised by the client as an
 *   UnknownError); reads are inclusive of the starting record;
 * - MaxAppendSize (1 MiB by default): an append whose events' data and metadata exceed it is refused
 *   with MaxAppendSizeExceededError;
 * - optimistic concurrency with the server's idempotence: an append whose ids are already stored right
 *   after its expected revision succeeds again without writing;
 * - ids are returned in lower case (the server keeps UUID bytes); custom metadata is returned byte for
 *   byte (and parsed as JSON by the client when it parses);
 * - a cluster seen from a follower: with `followerLag()` a read without `requiresLeader` sees the log
 *   as it was; `notLeaderOnWrites(n)` makes the next n writes fail with NotLeaderError (the client then
 *   reconnects to the leader, so the next attempt reaches it);
 * - `deadlineAfterStoring(n)`: the next n appends are stored, then answered with DeadlineExceededError;
 * - hard deletes: `tombstone(stream)` writes a `$streamDeleted` record (revision 2^63-1) into $all, and
 *   later reads or appends of the stream fail with StreamDeletedError; other applications' events and
 *   system streams can be written with appendToStream like any client would;
 * - reads are streams that ignore the call's `deadline` (as the client does: it passes Infinity);
 *   `stallReads('silent' | 'trickle')` makes them never end;
 * - subscriptions to $all push the catch-up events, then emit `caughtUp` while those events are still
 *   buffered, then push live appends.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import {
  ANY,
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  AppendExpectedRevision,
  EventData,
  Filter,
  Position,
  ReadPosition,
  ReadRevision,
  RecordedEvent,
} from '@eventstore/db-client';
import type { EsdbClient } from '../../src/store/esdb/context.js';

interface FakeRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  contentType: string;
  data: Buffer;
  metadata: Buffer;
  commit: bigint;
  created: Date;
}

/** docker-compose.yml sets EVENTSTORE_MAX_APPEND_SIZE to this, for the server and the API alike. */
export const COMPOSE_MAX_APPEND_SIZE = 4 * 1024 * 1024;

const TOMBSTONE_REVISION = 2n ** 63n - 1n;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A read stream as the client returns it: objectMode, with cancel(). */
class FakeRead extends PassThrough {
  cancelled = false;
  constructor() {
    super({ objectMode: true });
  }
  cancel(): Promise<void> {
    this.cancelled = true;
    return Promise.resolve();
  }
}

const CAUGHT_UP = Symbol('caughtUp');

/**
 * A subscription as the client returns it: a Transform of server messages into events, with
 * unsubscribe(). As in the client, 'caughtUp' is emitted when that message is transformed, so the
 * events before it are then in the readable buffer, not yet consumed.
 */
class FakeSubscription extends Transform {
  stopped = false;
  constructor(private readonly onStop: () => void) {
    super({ objectMode: true });
  }
  override _transform(msg: unknown, _enc: BufferEncoding, next: TransformCallback): void {
    if (msg === CAUGHT_UP) {
      this.emit('caughtUp');
      next();
      return;
    }
    next(null, msg);
  }
  sendCaughtUp(): void {
    this.write(CAUGHT_UP);
  }
  unsubscribe(): Promise<void> {
    this.stopped = true;
    this.onStop();
    return Promise.resolve();
  }
}

function notLeader(): NotLeaderError {
  const map = { 'leader-endpoint-host': 'leader.example', 'leader-endpoint-port': '2113' };
  // The client builds NotLeaderError from a gRPC ServiceError; this is the part it reads.
  const serviceError = {
    message: 'Leader info available',
    code: 5,
    metadata: { getMap: () => map },
  };
  return new NotLeaderError(
    serviceError as unknown as ConstructorParameters<typeof NotLeaderError>[0],
  );
}

const toBuffer = (v: unknown): Buffer =>
  v === undefined
    ? Buffer.alloc(0)
    : v instanceof Uint8Array
      ? Buffer.from(v)
      : Buffer.from(JSON.stringify(v), 'utf8');

export interface FakeEsdbOptions {
  /** The server's MaxAppendSize in bytes. Default 1 MiB, the server's default. */
  maxAppendSize?: number;
}

export class FakeEsdbClient {
  readonly maxAppendSize: number;
  private readonly log: FakeRecord[] = [];
  private readonly streams = new Map<string, FakeRecord[]>();
  private readonly deleted = new Set<string>();
  private readonly subs = new Set<{ sub: FakeSubscription; match: (r: FakeRecord) => boolean }>();
  private nextCommit = 1_000n;
  private followerSees: number | null = null;
  private notLeaderWrites = 0;
  private deadlineWrites = 0;
  private deadlineOnly: (stream: string) => boolean = () => true;
  private inFlight = 0;
  /** Most appends in flight at once (round trips that overlap). */
  maxConcurrentAppends = 0;
  private stall: 'silent' | 'trickle' | null = null;
  private denyAll = false;
  /** Calls of readAll. */
  readAllCalls = 0;
  /** Records of $all handed out by reads (not subscriptions): how much a call scanned. */
  allRecordsRead = 0;
  /** The `requiresLeader` of every stream read, in order. */
  readonly streamReadsRequiringLeader: boolean[] = [];
  /** Every append that reached the server (stored or refused), in order. */
  readonly appendCalls: { stream: string; count: number; bytes: number }[] = [];

  constructor(opts: FakeEsdbOptions = {}) {
    this.maxAppendSize = opts.maxAppendSize ?? 1024 * 1024;
  }

  /** As the client's structural type, for `new EsdbEventStore(fake.asClient(), …)`. */
  asClient(): EsdbClient {
    // The fake implements the overloads the adapter calls, not every generic signature of the client.
    return this as unknown as EsdbClient;
  }

  // ------------------------------------------------------------ fault switches

  /** From now on, reads without requiresLeader see the log as it is now (a follower that stopped replicating). */
  followerLag(): void {
    this.followerSees = this.log.length;
  }
  followerCatchesUp(): void {
    this.followerSees = null;
  }
  notLeaderOnWrites(n: number): void {
    this.notLeaderWrites = n;
  }
  /** The next n appends (to streams starting with `prefix`, when given) are stored, then time out. */
  deadlineAfterStoring(n: number, prefix?: string): void {
    this.deadlineWrites = n;
    this.deadlineOnly = (stream) => prefix === undefined || stream.startsWith(prefix);
  }
  stallReads(how: 'silent' | 'trickle' | null): void {
    this.stall = how;
  }
  /** Refuse reads of $all, as 24.10 does for an anonymous user. */
  denyAllReads(deny = true): void {
    this.denyAll = deny;
  }
  /** Hard-delete a stream: a `$streamDeleted` record enters $all; the stream is gone for good. */
  tombstone(stream: string): void {
    this.deleted.add(stream);
    this.store(stream, TOMBSTONE_REVISION, {
      id: randomUUID(),
      type: '$streamDeleted',
      contentType: 'application/octet-stream',
      data: Buffer.alloc(0),
      metadata: Buffer.alloc(0),
    });
  }
  /** The raw bytes of an event's custom metadata, as the server holds them. */
  storedMetadata(id: string): Buffer | undefined {
    return this.log.find((r) => r.id === id.toLowerCase())?.metadata;
  }

  // ------------------------------------------------------------ the client's API

  appendToStream(
    streamName: string,
    event: EventData | EventData[],
    options: { expectedRevision?: AppendExpectedRevision; deadline?: number } = {},
  ): Promise<{ success: boolean; nextExpectedRevision: bigint; position: Position }> {
    const events = Array.isArray(event) ? event : [event];
    this.inFlight += 1;
    this.maxConcurrentAppends = Math.max(this.maxConcurrentAppends, this.inFlight);
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        this.inFlight -= 1;
        try {
          resolve(this.appendNow(streamName, events, options.expectedRevision ?? ANY));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  readStream(
    streamName: string,
    options: {
      fromRevision?: ReadRevision;
      direction?: string;
      maxCount?: number | bigint;
      requiresLeader?: boolean;
    } = {},
  ): FakeRead {
    this.streamReadsRequiringLeader.push(options.requiresLeader ?? false);
    const rs = new FakeRead();
    const view = this.view(options.requiresLeader ?? false);
    setImmediate(() => {
      if (this.deleted.has(streamName)) {
        rs.destroy(StreamDeletedError.fromStreamName(streamName));
        return;
      }
      const records = view.filter(
        (r) => r.streamId === streamName && r.revision !== TOMBSTONE_REVISION,
      );
      if (records.length === 0) {
        rs.destroy(new StreamNotFoundError(undefined, streamName));
        return;
      }
      const from =
        options.fromRevision === undefined || options.fromRevision === START
          ? 0n
          : options.fromRevision;
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const picked = records
        .filter((r) => typeof from !== 'bigint' || r.revision >= from)
        .slice(0, max);
      this.emit(rs, picked, false);
    });
    return rs;
  }

  readAll(
    options: {
      fromPosition?: ReadPosition;
      direction?: string;
      maxCount?: number | bigint;
      requiresLeader?: boolean;
    } = {},
  ): FakeRead {
    this.readAllCalls += 1;
    const rs = new FakeRead();
    const view = this.view(options.requiresLeader ?? false);
    setImmediate(() => {
      if (this.denyAll) {
        rs.destroy(new AccessDeniedError(undefined, 'Access denied'));
        return;
      }
      const backwards = options.direction === 'backwards';
      const from = options.fromPosition ?? (backwards ? 'end' : START);
      let records = backwards ? [...view].reverse() : [...view];
      if (typeof from === 'object') {
        const at = records.findIndex((r) => r.commit === from.commit);
        if (at < 0) {
          rs.destroy(new UnknownError(undefined, '13 INTERNAL: Invalid position.'));
          return;
        }
        records = records.slice(at);
      }
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      this.emit(rs, records.slice(0, max), true);
    });
    return rs;
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter } = {}): FakeSubscription {
    const entry = {
      sub: new FakeSubscription(() => this.subs.delete(entry)),
      match: (r: FakeRecord): boolean => this.matches(options.filter, r),
    };
    const from = options.fromPosition ?? START;
    setImmediate(() => {
      if (typeof from === 'object' && !this.log.some((r) => r.commit === from.commit)) {
        entry.sub.destroy(new UnknownError(undefined, '13 INTERNAL: Invalid position.'));
        return;
      }
      const after = typeof from === 'object' ? from.commit : from === 'end' ? this.nextCommit : -1n;
      for (const r of this.log)
        if (r.commit > after && entry.match(r)) entry.sub.write(this.resolved(r));
      // The server's caught-up message arrives after the catch-up events, which are still buffered.
      entry.sub.sendCaughtUp();
      this.subs.add(entry);
    });
    return entry.sub;
  }

  dispose(): Promise<void> {
    for (const { sub } of this.subs) sub.end();
    this.subs.clear();
    return Promise.resolve();
  }

  // ------------------------------------------------------------ internals

  private view(requiresLeader: boolean): FakeRecord[] {
    return requiresLeader || this.followerSees === null
      ? this.log
      : this.log.slice(0, this.followerSees);
  }

  private emit(rs: FakeRead, records: FakeRecord[], isAll: boolean): void {
    if (this.stall === 'silent') return;
    if (this.stall === 'trickle') {
      const first = records[0];
      const timer = setInterval(() => {
        if (rs.destroyed || rs.cancelled || !first) return clearInterval(timer);
        rs.write(this.resolved(first));
      }, 20);
      return;
    }
    if (isAll) this.allRecordsRead += records.length;
    for (const r of records) rs.write(this.resolved(r));
    rs.end();
  }

  private matches(filter: Filter | undefined, r: FakeRecord): boolean {
    if (!filter) return true;
    if ('prefixes' in filter) return filter.prefixes.some((p) => r.streamId.startsWith(p));
    return new RegExp(filter.regex).test(r.streamId);
  }

  private resolved(r: FakeRecord): AllStreamResolvedEvent {
    const isJson = r.contentType === 'application/json';
    let metadata: unknown;
    if (r.metadata.length > 0) {
      try {
        metadata = JSON.parse(r.metadata.toString('utf8'));
      } catch {
        metadata = new Uint8Array(r.metadata);
      }
    }
    const event = {
      streamId: r.streamId,
      id: r.id,
      revision: r.revision,
      type: r.type,
      data: isJson ? (JSON.parse(r.data.toString('utf8')) as unknown) : new Uint8Array(r.data),
      metadata,
      isJson,
      created: r.created,
      position: { commit: r.commit, prepare: r.commit },
    } as RecordedEvent;
    return { event, commitPosition: r.commit } as AllStreamResolvedEvent;
  }

  private store(
    streamId: string,
    revision: bigint,
    e: { id: string; type: string; contentType: string; data: Buffer; metadata: Buffer },
  ): FakeRecord {
    const record: FakeRecord = {
      streamId,
      revision,
      commit: this.nextCommit,
      created: new Date(),
      ...e,
    };
    // A record's size moves the next offset: positions are not contiguous.
    this.nextCommit += BigInt(
      100 + e.data.length + e.metadata.length + Buffer.byteLength(streamId),
    );
    this.log.push(record);
    if (revision !== TOMBSTONE_REVISION) {
      const list = this.streams.get(streamId) ?? [];
      list.push(record);
      this.streams.set(streamId, list);
    }
    for (const { sub, match } of this.subs) if (match(record)) sub.write(this.resolved(record));
    return record;
  }

  private appendNow(
    stream: string,
    events: EventData[],
    expected: AppendExpectedRevision,
  ): { success: boolean; nextExpectedRevision: bigint; position: Position } {
    const prepared = events.map((e) => {
      if (!UUID_RE.test(e.id)) throw new Error(`Invalid UUID: ${e.id}`);
      return {
        id: e.id.toLowerCase(),
        type: e.type,
        contentType: e.contentType,
        data: toBuffer(e.data),
        metadata: toBuffer(e.metadata),
      };
    });
    const bytes = prepared.reduce((n, e) => n + e.data.length + e.metadata.length, 0);
    this.appendCalls.push({ stream, count: events.length, bytes });
    if (this.notLeaderWrites > 0) {
      this.notLeaderWrites -= 1;
      throw notLeader();
    }
    if (this.deleted.has(stream)) throw StreamDeletedError.fromStreamName(stream);
    if (bytes > this.maxAppendSize)
      throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendSize);
    const existing = this.streams.get(stream) ?? [];
    const current: bigint | 'no_stream' =
      existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    const start =
      expected === NO_STREAM ? 0 : typeof expected === 'bigint' ? Number(expected) + 1 : null;
    const matchesExpectation =
      expected === ANY ||
      (expected === NO_STREAM && current === 'no_stream') ||
      (typeof expected === 'bigint' && current === expected);
    if (!matchesExpectation) {
      // The server's idempotence: the same ids already right after the expected revision.
      const already = start === null ? [] : existing.slice(start, start + prepared.length);
      if (already.length === prepared.length && already.every((r, i) => r.id === prepared[i]?.id)) {
        const last = already[already.length - 1] as FakeRecord;
        return {
          success: true,
          nextExpectedRevision: last.revision,
          position: { commit: last.commit, prepare: last.commit },
        };
      }
      throw new WrongExpectedVersionError(undefined, {
        streamName: stream,
        expected: expected === NO_STREAM ? 'no_stream' : expected,
        current,
      } as unknown as ConstructorParameters<typeof WrongExpectedVersionError>[1]);
    }
    let last: FakeRecord | undefined;
    for (const e of prepared)
      last = this.store(stream, BigInt((this.streams.get(stream) ?? []).length), e);
    const result = {
      success: true,
      nextExpectedRevision: last?.revision ?? 0n,
      position: { commit: last?.commit ?? 0n, prepare: last?.commit ?? 0n },
    };
    if (this.deadlineWrites > 0 && this.deadlineOnly(stream)) {
      this.deadlineWrites -= 1;
      throw new DeadlineExceededError(undefined, '4 DEADLINE_EXCEEDED: Deadline exceeded');
    }
    return result;
  }
}
