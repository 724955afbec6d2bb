/**
 * Group commit: appends that arrive in the same macrotask are queued and run on `setImmediate`
 * in ONE outer `BEGIN IMMEDIATE … COMMIT` (one fsync), at most `maxBatch` of them. Each append
 * runs in its own savepoint, so a failing append (conflict, duplicate id, failing inline
 * projection) rolls back only itself. Every promise of a batch settles after the outer COMMIT
 * returns; when the COMMIT fails, all of them are rejected.
 */
import type { Database as Db, Transaction } from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.js';
import type { AppendResult, ExpectedRevision, NewEvent } from '../port.js';
import { mapSqliteError } from './errors.js';

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

interface Pending {
  stream: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: AppendResult } | { ok: false; error: unknown };

/** One append; called inside the outer transaction, where better-sqlite3 makes it a savepoint. */
export type AppendOne = (
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
) => AppendResult;

export class GroupCommit {
  private queue: Pending[] = [];
  private flushScheduled = false;
  private readonly batchTx: Transaction<(batch: Pending[]) => Outcome[]>;

  constructor(
    private readonly db: Db,
    appendOne: AppendOne,
    private readonly maxBatch: number,
    private readonly stats: SqliteStoreStats,
    private readonly onAppended: () => void,
  ) {
    this.batchTx = db.transaction((batch: Pending[]) => {
      const outcomes: Outcome[] = [];
      for (const p of batch) {
        try {
          outcomes.push({ ok: true, value: appendOne(p.stream, p.events, p.expected) });
        } catch (error) {
          // Some SQLite errors (IOERR, FULL, BUSY) roll back the whole transaction: then the
          // rest of the batch must not run in autocommit mode. Abort and reject the batch.
          if (!db.inTransaction) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
  }

  enqueue(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ stream, events, expected, resolve, reject });
      this.schedule();
    });
  }

  /** Write everything queued now (before a synchronous write, or on close). */
  drain(): void {
    while (this.queue.length > 0) this.flush();
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private takeBatch(): Pending[] {
    const batch = this.queue.slice(0, this.maxBatch);
    this.queue = this.queue.slice(batch.length);
    if (this.queue.length > 0) this.schedule();
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    return batch;
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.takeBatch();
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
    batch.forEach((p, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) {
        any = true;
        this.stats.appends += 1;
        p.resolve(o.value);
      } else {
        this.stats.failedAppends += 1;
        p.reject(mapSqliteError(o.error));
      }
    });
    if (any) this.onAppended();
  }
}
