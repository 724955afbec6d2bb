/**
 * The embedded event store: SQLite through better-sqlite3 (v12), composed from one file per
 * operation: open.ts (file, pragmas, schema), append.ts, group-commit.ts, import-events.ts,
 * read.ts and subscribe.ts.
 *
 * Invariants: an `append()` promise resolves only after the transaction that holds it has
 * committed (WAL, `synchronous=FULL` by default); positions only grow; every event chains
 * from its stream's previous one (hash-chain.ts).
 *
 * Several processes (the server and the CLI) may open the same file: writes take the write
 * lock with BEGIN IMMEDIATE and wait up to `busyTimeoutMs` for it; subscriptions poll the
 * file to see appends made by other connections.
 */
import { EventEmitter } from 'node:events';
import type { Database as Db, Transaction } from 'better-sqlite3';

import type { Clock } from '../../domain/clock.js';
import { systemClock } from '../../clock.js';
import { InvalidPositionError, StoreUnavailableError } from '../errors.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LocalLog,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandlers,
} from '../port.js';
import {
  appendBatches,
  appendToStream,
  type AppendBatch,
  type InlineProjection,
  type WriteContext,
} from './append.js';
import { mapSqliteError } from './errors.js';
import { GroupCommit, type SqliteStoreStats } from './group-commit.js';
import { importStoredEvents } from './import-events.js';
import { localLog } from './local-log.js';
import { openDatabase, type SqliteSynchronous } from './open.js';
import * as read from './read.js';
import { prepareStatements, type Statements } from './statements.js';
import { subscribe } from './subscribe.js';

export { dataFile, type SqliteSynchronous } from './open.js';
export { mapSqliteError } from './errors.js';
export type { AppendBatch, InlineProjection } from './append.js';
export type { SqliteStoreStats } from './group-commit.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  file: string;
  /** `PRAGMA synchronous`; FULL (default) makes every acknowledged append survive a power cut. */
  synchronous?: SqliteSynchronous;
  clock?: Clock;
  /** How long a write waits for another connection's lock before failing, ms. Default 5000. */
  busyTimeoutMs?: number;
  /** Most appends in one group commit. Default 512. */
  maxBatch?: number;
  /** How often subscriptions look for appends made by other connections, ms. Default 250. */
  pollIntervalMs?: number;
}

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  readonly db: Db;
  /** Synchronous reads of this file's log, for the read model's rebuild and audits. */
  get local(): LocalLog {
    return localLog(this.db);
  }
  readonly file: string;
  readonly stats: SqliteStoreStats = { commits: 0, appends: 0, failedAppends: 0, largestBatch: 0 };
  readonly notifier = new EventEmitter();
  readonly pollIntervalMs: number;

  private readonly stmt: Statements;
  private readonly write: WriteContext & { projections: InlineProjection[] };
  private readonly groupCommit: GroupCommit;
  private readonly subscriptions = new Set<Subscription>();
  private readonly manyTx: Transaction<(batches: AppendBatch[]) => AppendResult[]>;
  private readonly importTx: Transaction<(events: readonly StoredEvent[]) => StoredEvent[]>;
  private closed = false;

  private constructor(db: Db, file: string, opts: SqliteEventStoreOptions) {
    this.db = db;
    this.file = file;
    this.pollIntervalMs = opts.pollIntervalMs ?? 250;
    this.notifier.setMaxListeners(0);
    this.stmt = prepareStatements(db);
    this.write = { db, stmt: this.stmt, clock: opts.clock ?? systemClock, projections: [] };
    const appendOne = db.transaction(
      (stream: string, events: NewEvent[], expected: ExpectedRevision) =>
        appendToStream(this.write, stream, events, expected),
    );
    this.groupCommit = new GroupCommit(
      db,
      appendOne,
      Math.max(1, opts.maxBatch ?? 512),
      this.stats,
      () => this.notifier.emit('appended'),
    );
    this.manyTx = db.transaction((batches: AppendBatch[]) => appendBatches(this.write, batches));
    this.importTx = db.transaction((events: readonly StoredEvent[]) =>
      importStoredEvents(this.write, events),
    );
  }

  /** Open (and create or migrate) the store in `file`. Throws StoreUnavailableError when it cannot. */
  static open(opts: SqliteEventStoreOptions): SqliteEventStore {
    const db = openDatabase({
      file: opts.file,
      ...(opts.synchronous !== undefined ? { synchronous: opts.synchronous } : {}),
      ...(opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {}),
      now: (opts.clock ?? systemClock).now(),
    });
    return new SqliteEventStore(db, opts.file, opts);
  }

  /** Run `fn` inside every append's savepoint, after the events are written. */
  registerInlineProjection(fn: InlineProjection): void {
    this.write.projections.push(fn);
  }

  // ---------------------------------------------------------------- writes

  append(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('event store is closed'));
    if (typeof stream !== 'string' || stream.length === 0) {
      return Promise.reject(new TypeError('stream name must be a non-empty string'));
    }
    return this.groupCommit.enqueue(stream, events, options.expectedRevision);
  }

  /**
   * Bulk import: many streams in ONE transaction, all or nothing. Each batch is checked like
   * `append` (expected revision, duplicate ids) and fed to the inline projections; the first
   * failure throws and nothing of the call is written. Synchronous.
   */
  appendMany(batches: AppendBatch[]): AppendResult[] {
    const results = this.synchronousWrite(() => this.manyTx.immediate(batches));
    this.stats.appends += results.length;
    return results;
  }

  /**
   * Import events already stored elsewhere, keeping id, metadata and hash (see
   * import-events.ts); used by `commitments import` and `commitments migrate`. ONE
   * transaction, all or nothing. Synchronous.
   */
  importEvents(events: readonly StoredEvent[]): StoredEvent[] {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
    if (events.length === 0) return [];
    const stored = this.synchronousWrite(() => this.importTx.immediate(events));
    this.stats.appends += stored.length;
    return stored;
  }

  /** Queued appends arrived earlier: they are written first, to keep arrival order. */
  private synchronousWrite<T>(tx: () => T): T {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
    this.groupCommit.drain();
    let result: T;
    try {
      result = tx();
    } catch (err) {
      throw mapSqliteError(err);
    }
    this.stats.commits += 1;
    this.notifier.emit('appended');
    return result;
  }

  // ----------------------------------------------------------------- reads

  guard(): void {
    if (this.closed || !this.db.open) throw new StoreUnavailableError('event store is closed');
  }

  private sync<T>(fn: () => T): Promise<T> {
    try {
      this.guard();
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(mapSqliteError(err));
    }
  }

  readStreamSync(stream: string, fromRevision = 1): StoredEvent[] {
    return read.readStream(this.stmt, stream, fromRevision);
  }

  readAllSync(options: ReadAllOptions): StoredEvent[] {
    return read.readAll(this.stmt, options);
  }

  headPositionSync(): number {
    return read.headPosition(this.stmt);
  }

  readStream(stream: string, options?: { fromRevision?: number }): Promise<StoredEvent[]> {
    return this.sync(() => this.readStreamSync(stream, options?.fromRevision ?? 1));
  }

  readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return this.sync(() => {
      // `after` is 0 or a stored event's position, as on EventStoreDB (which refuses any other offset).
      const at = options.after === 0 ? null : this.stmt.readAll.get(options.after - 1, 1);
      if (at !== null && at?.position !== options.after) {
        throw new InvalidPositionError(options.after);
      }
      return this.readAllSync(options);
    });
  }

  headPosition(): Promise<number> {
    return this.sync(() => this.headPositionSync());
  }

  findEvent(id: string): Promise<StoredEvent | null> {
    return this.sync(() => read.findEvent(this.stmt, id));
  }

  /**
   * The whole log (or the streams under a prefix) in position order, read in pages of
   * `batchSize` so it never sits in memory at once. Works with `for…of` and `for await…of`.
   * Other statements may run on the connection between pages.
   */
  *iterateAll(
    options: { after?: number; batchSize?: number; streamPrefix?: string } = {},
  ): Generator<StoredEvent, void, undefined> {
    let after = options.after ?? 0;
    const limit = Math.max(1, options.batchSize ?? 1000);
    for (;;) {
      this.guard();
      const page = this.readAllSync({ after, limit, streamPrefix: options.streamPrefix });
      for (const e of page) yield e;
      if (page.length < limit) return;
      after = (page[page.length - 1] as StoredEvent).position;
    }
  }

  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): Subscription {
    const sub = subscribe(this, options, handlers, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(sub);
    return sub;
  }

  /** Write pending appends, stop subscriptions, close the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.db.open) this.groupCommit.drain();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.db.open) this.db.close();
  }
}
