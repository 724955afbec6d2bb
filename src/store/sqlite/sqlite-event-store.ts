/**
 * The embedded event store: SQLite through better-sqlite3 (v12).
 *
 * Durability: WAL with `synchronous=FULL` by default, so a committed transaction survives a
 * power cut. An `append()` promise resolves only after the transaction that holds it has
 * committed.
 *
 * Group commit: appends that arrive in the same macrotask are queued and run on
 * `setImmediate` in ONE outer `BEGIN IMMEDIATE … COMMIT` (one fsync). Each append runs in
 * its own nested transaction (a SAVEPOINT), so a failing append (conflict, duplicate id,
 * failing inline projection) rolls back only itself. All promises of a batch settle after
 * the outer COMMIT returns; when the COMMIT fails, all of them are rejected.
 *
 * Expected revision: `no_stream` and the number `0` both mean "the stream must not exist";
 * `any` skips the check; a positive number must equal the stream's current revision.
 *
 * Several processes (the server and the CLI) may open the same file: writes take the write
 * lock with BEGIN IMMEDIATE and wait up to `busyTimeoutMs` for it; subscriptions poll the
 * file to see appends made by other connections.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hash as oneShotHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { Database as Db, Statement, Transaction } from 'better-sqlite3';

import type { Clock } from '../../domain/clock.js';
import { CURRENT_SCHEMA_VERSION } from '../../domain/events.js';
import {
  ChainMismatchError,
  DuplicateEventError,
  InvalidPositionError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../errors.js';
import { GENESIS_HASH } from '../hash-chain.js';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandlers,
} from '../port.js';
import { fastCanonicalJson } from './canonical.js';
import { migrate } from './schema.js';

export type SqliteSynchronous = 'FULL' | 'NORMAL' | 'OFF';

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

/** The data file inside a data dir. */
export const dataFile = (dataDir: string): string => path.join(dataDir, 'commitments.db');

/** Called inside each append's savepoint with the stored events; throwing fails that append. */
export type InlineProjection = (db: Db, events: StoredEvent[]) => void;

export interface SqliteStoreStats {
  /** Outer transactions committed (group commits and appendMany calls). */
  commits: number;
  /** Appends that succeeded. */
  appends: number;
  /** Appends that failed (conflict, duplicate, projection error). */
  failedAppends: number;
  /** Largest number of appends in one group commit. */
  largestBatch: number;
}

interface Row {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  hash: string;
}

interface Pending {
  stream: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** One stream's events for `appendMany`. */
export interface AppendBatch {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

type Outcome = { ok: true; value: AppendResult } | { ok: false; error: unknown };

const systemClock: Clock = { now: () => new Date() };

const PAGE = 500;

const UNAVAILABLE_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_IOERR',
];

function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Database.SqliteError) return err.code;
  return undefined;
}

/** SQLite failures that mean "the store cannot be used right now" become StoreUnavailableError. */
export function mapSqliteError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  const code = sqliteCode(err);
  if (code && UNAVAILABLE_CODES.some((c) => code === c || code.startsWith(`${c}_`))) {
    const retry = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') ? 1 : 5;
    return new StoreUnavailableError(`event store unavailable (${code})`, retry, { cause: err });
  }
  if (err instanceof TypeError && /database connection is not open/i.test(err.message)) {
    return new StoreUnavailableError('event store is closed', 5, { cause: err });
  }
  return err;
}

/**
 * The hash of hash-chain.ts `eventHash`, computed from already canonical JSON of the data
 * and metadata (which are also what is stored), so canonicalisation runs once per event.
 * Keys of the hashed object in sorted order: data, id, metadata, revision, stream, type.
 */
function chainHash(
  previousHash: string,
  stream: string,
  revision: number,
  id: string,
  type: string,
  dataJson: string,
  metadataJson: string,
): string {
  const body = `{"data":${dataJson},"id":${JSON.stringify(id)},"metadata":${metadataJson},"revision":${revision},"stream":${JSON.stringify(stream)},"type":${JSON.stringify(type)}}`;
  return oneShotHash('sha256', previousHash + body, 'hex');
}

function toStored(row: Row): StoredEvent {
  return {
    position: row.position,
    stream: row.stream,
    revision: row.revision,
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    hash: row.hash,
  };
}

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  readonly db: Db;
  readonly file: string;
  readonly stats: SqliteStoreStats = { commits: 0, appends: 0, failedAppends: 0, largestBatch: 0 };

  private readonly clock: Clock;
  private readonly maxBatch: number;
  private readonly pollIntervalMs: number;
  private readonly projections: InlineProjection[] = [];
  private readonly notifier = new EventEmitter();
  private readonly subscriptions = new Set<Subscription>();
  private queue: Pending[] = [];
  private flushScheduled = false;
  private closed = false;

  private readonly stmt: {
    head: Statement<[string], { revision: number; hash: string }>;
    insert: Statement<[string, number, string, string, string, string, string]>;
    upsertHead: Statement<[string, number, string]>;
    readStream: Statement<[string, number], Row>;
    readAll: Statement<[number, number], Row>;
    readAllPrefix: Statement<[number, string, string, number], Row>;
    headPosition: Statement<[], { p: number | null }>;
    findEvent: Statement<[string], Row>;
    positionAt: Statement<[string, number], { position: number }>;
  };
  /** One append inside a savepoint (when called inside the outer transaction). */
  private readonly appendTx: (
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ) => AppendResult;
  private readonly batchTx: Transaction<(batch: Pending[]) => Outcome[]>;
  private readonly manyTx: Transaction<(batches: AppendBatch[]) => AppendResult[]>;
  private readonly importTx: Transaction<(events: readonly StoredEvent[]) => StoredEvent[]>;

  private constructor(db: Db, file: string, opts: SqliteEventStoreOptions) {
    this.db = db;
    this.file = file;
    this.clock = opts.clock ?? systemClock;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 512);
    this.pollIntervalMs = opts.pollIntervalMs ?? 250;
    this.notifier.setMaxListeners(0);

    const cols = 'position, stream, revision, id, type, data, metadata, hash';
    this.stmt = {
      head: db.prepare('SELECT revision, hash FROM streams WHERE stream = ?'),
      insert: db.prepare(
        'INSERT INTO events (stream, revision, id, type, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertHead: db.prepare(
        'INSERT INTO streams (stream, revision, hash) VALUES (?, ?, ?) ' +
          'ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision, hash = excluded.hash',
      ),
      readStream: db.prepare(
        `SELECT ${cols} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`,
      ),
      readAll: db.prepare(
        `SELECT ${cols} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      ),
      readAllPrefix: db.prepare(
        `SELECT ${cols} FROM events WHERE position > ? AND substr(stream, 1, length(?)) = ? ` +
          'ORDER BY position LIMIT ?',
      ),
      headPosition: db.prepare('SELECT max(position) AS p FROM events'),
      findEvent: db.prepare(`SELECT ${cols} FROM events WHERE id = ?`),
      positionAt: db.prepare('SELECT position FROM events WHERE stream = ? AND revision = ?'),
    };

    this.appendTx = db.transaction(
      (stream: string, events: NewEvent[], expected: ExpectedRevision) =>
        this.appendCore(stream, events, expected),
    );
    this.batchTx = db.transaction((batch: Pending[]) => {
      const outcomes: Outcome[] = [];
      for (const p of batch) {
        try {
          outcomes.push({ ok: true, value: this.appendTx(p.stream, p.events, p.expected) });
        } catch (error) {
          // Some SQLite errors (IOERR, FULL, BUSY) roll back the whole transaction: then the
          // rest of the batch must not run in autocommit mode. Abort and reject the batch.
          if (!db.inTransaction) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
    this.manyTx = db.transaction((batches: AppendBatch[]) => {
      // Stream heads are kept in memory for the import and written once per stream.
      // The inline projections run once, over every stored event in position order, at the end
      // of the transaction: a commitment touched by many batches is then written once, not once
      // per batch. All or nothing either way, since it is one transaction.
      const heads = new Map<string, { revision: number; hash: string }>();
      const results = batches.map((b) =>
        this.appendCore(b.stream, b.events, b.expectedRevision, heads),
      );
      for (const [stream, h] of heads) this.stmt.upsertHead.run(stream, h.revision, h.hash);
      const stored = results.flatMap((r) => r.events).sort((a, b) => a.position - b.position);
      if (stored.length > 0) for (const fn of this.projections) fn(this.db, stored);
      return results;
    });
    this.importTx = db.transaction((events: readonly StoredEvent[]) => this.importCore(events));
  }

  /** Open (and create or migrate) the store in `file`. Throws StoreUnavailableError when it cannot. */
  static open(opts: SqliteEventStoreOptions): SqliteEventStore {
    const file = opts.file;
    const synchronous = opts.synchronous ?? 'FULL';
    if (!['FULL', 'NORMAL', 'OFF'].includes(synchronous)) {
      throw new TypeError(`synchronous must be FULL, NORMAL or OFF, not ${String(synchronous)}`);
    }
    let db: Db | undefined;
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      db = new Database(file, { timeout: opts.busyTimeoutMs ?? 5000 });
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      // Checkpoint the WAL every ~40 MB instead of every ~4 MB: pages rewritten by many commits
      // (read-model rows, index pages) are copied back once. Durability is unchanged.
      db.pragma('wal_autocheckpoint = 10000');
      migrate(db, (opts.clock ?? systemClock).now().toISOString());
      return new SqliteEventStore(db, file, opts);
    } catch (err) {
      if (db?.open) db.close();
      const mapped = mapSqliteError(err);
      if (mapped instanceof StoreUnavailableError) throw mapped;
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
        throw new StoreUnavailableError(`cannot open event store ${file} (${code})`, 5, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /** Run `fn` inside every append's savepoint, after the events are written. */
  registerInlineProjection(fn: InlineProjection): void {
    this.projections.push(fn);
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
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ stream, events, expected: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Bulk import: many streams in ONE transaction, all or nothing. Each batch is checked like
   * `append` (expected revision, duplicate ids) and fed to the inline projections; the first
   * failure throws and nothing of the call is written. Synchronous.
   */
  appendMany(batches: AppendBatch[]): AppendResult[] {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
    // Queued async appends were made earlier: write them first to keep arrival order.
    this.drainQueue();
    let results: AppendResult[];
    try {
      results = this.manyTx.immediate(batches);
    } catch (err) {
      throw mapSqliteError(err);
    }
    this.stats.commits += 1;
    this.stats.appends += results.length;
    this.notifier.emit('appended');
    return results;
  }

  /**
   * Import events already stored elsewhere (an NDJSON export, another store) with their original
   * id, type, data, metadata (recordedAt, recordedBy, …) and hash: used by `commitments import`
   * and `commitments migrate`. ONE transaction, all or nothing. Each event must continue its
   * stream (revision = head + 1, else WrongExpectedRevisionError) and its hash must chain from
   * the stream head (else ChainMismatchError); an id already stored is a DuplicateEventError.
   * Positions are assigned anew. Inline projections see the stored events. Synchronous.
   */
  importEvents(events: readonly StoredEvent[]): StoredEvent[] {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
    if (events.length === 0) return [];
    this.drainQueue();
    let stored: StoredEvent[];
    try {
      stored = this.importTx.immediate(events);
    } catch (err) {
      throw mapSqliteError(err);
    }
    this.stats.commits += 1;
    this.stats.appends += stored.length;
    this.notifier.emit('appended');
    return stored;
  }

  private importCore(events: readonly StoredEvent[]): StoredEvent[] {
    const heads = new Map<string, { revision: number; hash: string }>();
    const stored: StoredEvent[] = [];
    for (const e of events) {
      const head = heads.get(e.stream) ?? this.stmt.head.get(e.stream);
      const actual = head?.revision ?? 0;
      if (e.revision !== actual + 1) {
        throw new WrongExpectedRevisionError(e.stream, e.revision - 1, actual);
      }
      const dataJson = fastCanonicalJson(e.data);
      const metadataJson = fastCanonicalJson(e.metadata);
      const prev = head?.hash ?? GENESIS_HASH;
      const hash = chainHash(prev, e.stream, e.revision, e.id, e.type, dataJson, metadataJson);
      if (hash !== e.hash) throw new ChainMismatchError(e.stream, e.revision, e.id);
      let position: number;
      try {
        position = Number(
          this.stmt.insert.run(e.stream, e.revision, e.id, e.type, dataJson, metadataJson, hash)
            .lastInsertRowid,
        );
      } catch (err) {
        if (
          sqliteCode(err) === 'SQLITE_CONSTRAINT_UNIQUE' &&
          /events\.id/.test((err as Error).message)
        ) {
          throw new DuplicateEventError(e.id);
        }
        throw err;
      }
      heads.set(e.stream, { revision: e.revision, hash });
      stored.push({ ...e, position });
    }
    for (const [stream, h] of heads) this.stmt.upsertHead.run(stream, h.revision, h.hash);
    for (const fn of this.projections) fn(this.db, stored);
    return stored;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const batch =
      this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = this.queue.length <= this.maxBatch ? [] : this.queue.slice(this.maxBatch);
    if (this.queue.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);

    let outcomes: Outcome[];
    try {
      if (!this.db.open) throw new StoreUnavailableError('event store is closed');
      outcomes = this.batchTx.immediate(batch);
    } catch (err) {
      const mapped = mapSqliteError(err);
      this.stats.failedAppends += batch.length;
      for (const p of batch) p.reject(mapped);
      return;
    }
    this.stats.commits += 1;
    let any = false;
    for (let i = 0; i < batch.length; i += 1) {
      const p = batch[i] as Pending;
      const o = outcomes[i] as Outcome;
      if (o.ok) {
        any = true;
        this.stats.appends += 1;
        p.resolve(o.value);
      } else {
        this.stats.failedAppends += 1;
        p.reject(mapSqliteError(o.error));
      }
    }
    if (any) this.notifier.emit('appended');
  }

  private drainQueue(): void {
    while (this.queue.length > 0) this.flush();
  }

  /**
   * The append itself; must run inside a transaction. With `heads`, stream heads are read
   * from and written to that map (bulk import) instead of the streams table.
   */
  private appendCore(
    stream: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    heads?: Map<string, { revision: number; hash: string }>,
  ): AppendResult {
    const head = heads?.get(stream) ?? this.stmt.head.get(stream);
    const actual = head?.revision ?? 0;
    const ok =
      expected === 'any' ||
      (expected === 'no_stream'
        ? actual === 0
        : typeof expected === 'number' && actual === expected);
    if (!ok) throw new WrongExpectedRevisionError(stream, expected, actual);

    if (events.length === 0) {
      const position = actual === 0 ? 0 : (this.stmt.positionAt.get(stream, actual)?.position ?? 0);
      return { revision: actual, position, events: [] };
    }

    const recordedAt = this.clock.now().toISOString();
    let prev = head?.hash ?? GENESIS_HASH;
    let revision = actual;
    const stored: StoredEvent[] = new Array<StoredEvent>(events.length);
    for (let i = 0; i < events.length; i += 1) {
      const e = events[i] as NewEvent;
      revision += 1;
      // Time-ordered (UUID v7): consecutive ids land on the same page of the `id` index instead
      // of a random one, which keeps large imports from slowing down as the index grows.
      const id = e.id ?? uuidv7();
      const m = e.metadata;
      const metadata: EventMetadata = {
        recordedAt,
        recordedBy: m.recordedBy,
        schemaVersion: CURRENT_SCHEMA_VERSION,
      };
      if (m.requestId !== undefined) metadata.requestId = m.requestId;
      if (m.idempotencyKey !== undefined) metadata.idempotencyKey = m.idempotencyKey;
      if (m.requestHash !== undefined) metadata.requestHash = m.requestHash;
      const dataJson = fastCanonicalJson(e.data);
      const metadataJson = fastCanonicalJson(metadata);
      const hash = chainHash(prev, stream, revision, id, e.type, dataJson, metadataJson);
      let position: number;
      try {
        position = Number(
          this.stmt.insert.run(stream, revision, id, e.type, dataJson, metadataJson, hash)
            .lastInsertRowid,
        );
      } catch (err) {
        if (
          sqliteCode(err) === 'SQLITE_CONSTRAINT_UNIQUE' &&
          /events\.id/.test((err as Error).message)
        ) {
          throw new DuplicateEventError(id);
        }
        throw err;
      }
      stored[i] = { position, stream, revision, id, type: e.type, data: e.data, metadata, hash };
      prev = hash;
    }
    if (heads) {
      // appendMany: heads and projections are written once at the end of its transaction.
      heads.set(stream, { revision, hash: prev });
    } else {
      this.stmt.upsertHead.run(stream, revision, prev);
      for (const fn of this.projections) fn(this.db, stored);
    }
    const last = stored[stored.length - 1] as StoredEvent;
    return { revision, position: last.position, events: stored };
  }

  // ----------------------------------------------------------------- reads

  private guard(): void {
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
    return this.stmt.readStream.all(stream, fromRevision).map(toStored);
  }

  readAllSync(options: ReadAllOptions): StoredEvent[] {
    const limit = Math.max(0, Math.floor(options.limit));
    const rows =
      options.streamPrefix !== undefined && options.streamPrefix !== ''
        ? this.stmt.readAllPrefix.all(
            options.after,
            options.streamPrefix,
            options.streamPrefix,
            limit,
          )
        : this.stmt.readAll.all(options.after, limit);
    return rows.map(toStored);
  }

  headPositionSync(): number {
    return this.stmt.headPosition.get()?.p ?? 0;
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
    return this.sync(() => {
      const row = this.stmt.findEvent.get(id);
      return row ? toStored(row) : null;
    });
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

  // --------------------------------------------------------- subscriptions

  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): Subscription {
    let position = options.after;
    let stopped = false;
    let wake: (() => void) | null = null;
    const onAppended = (): void => wake?.();
    this.notifier.on('appended', onAppended);

    const waitForNews = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.pollIntervalMs);
        timer.unref();
        function done(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });

    const loop = async (): Promise<void> => {
      let behind = true;
      while (!stopped) {
        let page: StoredEvent[];
        let head: number;
        try {
          this.guard();
          head = this.headPositionSync();
          page = this.readAllSync({
            after: position,
            limit: PAGE,
            streamPrefix: options.streamPrefix,
          });
        } catch (err) {
          if (stopped) return;
          throw mapSqliteError(err);
        }
        if (page.length === 0) {
          // Nothing under the prefix up to `head`: no need to scan that range again.
          if (head > position) position = head;
          if (behind) {
            behind = false;
            handlers.onCaughtUp?.(position);
          }
          await waitForNews();
          continue;
        }
        behind = true;
        for (const e of page) {
          if (stopped) return;
          await handlers.onEvent(e);
          position = e.position;
        }
      }
    };

    const running = loop()
      .catch((err: unknown) => {
        stopped = true;
        const error = err instanceof Error ? err : new Error(String(err));
        handlers.onError?.(error);
      })
      .finally(() => {
        this.notifier.off('appended', onAppended);
        this.subscriptions.delete(sub);
      });

    const sub: Subscription = {
      stop: async () => {
        stopped = true;
        wake?.();
        await running;
      },
    };
    this.subscriptions.add(sub);
    return sub;
  }

  // ---------------------------------------------------------------- close

  /** Write pending appends, stop subscriptions, close the connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.db.open) this.drainQueue();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.db.open) this.db.close();
  }
}
