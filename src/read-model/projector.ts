/**
 * Keeping the read model up to date with the log. `catchUp` runs on start for the embedded
 * store (torn state: a deleted, partly written or outdated read model is brought up to the log
 * before serving). `Projector` follows an external store (EventStoreDB) through a `commitment-`
 * filtered subscription and applies small batches.
 * Invariants: rows and checkpoint are written in one transaction; the checkpoint is the position
 * of the last APPLIED event (never a filter checkpoint); after an error the projector waits
 * (capped backoff) and resubscribes from the checkpoint; `waitFor` bounds read-your-writes.
 */
import type { Database } from 'better-sqlite3';

import { COMMITMENT_STREAM_PREFIX } from '../store/port.js';
import type { EventStore, StoredEvent, Subscription } from '../store/port.js';
import {
  applyLog,
  projectBatch,
  readCheckpoint,
  rebuild,
  sameFileStore,
  type RebuildOptions,
} from './sqlite-read-model.js';

export interface ProjectorLogger {
  info(message: string): void;
  warn(message: string, error?: unknown): void;
  error(message: string, error?: unknown): void;
}

const silent: ProjectorLogger = { info: () => {}, warn: () => {}, error: () => {} };

export interface ProjectorStatus {
  /** The subscription is live (it delivered an event or reached the head since it was opened). */
  connected: boolean;
  /** Not yet caught up with the head of the log, or events are waiting to be applied. */
  behind: boolean;
  lastError: string | null;
}

export interface ProjectorOptions {
  /** Most events applied in one transaction. Default 500. */
  maxBatch?: number;
  /** First retry delay, ms. Default 100. */
  minBackoffMs?: number;
  /** Longest retry delay, ms. Default 10 000. */
  maxBackoffMs?: number;
}

/**
 * Apply everything after the checkpoint (embedded store, on start). An empty read model (checkpoint
 * 0: first start, a deleted read model, a read-model schema upgrade) over the store's own file is
 * built with the stream-by-stream rebuild instead, which writes each commitment once (see
 * docs/performance.md).
 */
export async function catchUp(
  db: Database,
  store: Pick<EventStore, 'readAll' | 'local'>,
  opts: RebuildOptions = {},
): Promise<{ events: number; position: number }> {
  if (readCheckpoint(db) === 0 && sameFileStore(db, store)) {
    const r = await rebuild(db, store, opts);
    return { events: r.events, position: r.position };
  }
  return applyLog(db, store, opts);
}

interface Waiter {
  position: number;
  resolve(reached: boolean): void;
  timer: NodeJS.Timeout;
}

export class Projector {
  readonly #store: EventStore;
  readonly #db: Database;
  readonly #log: ProjectorLogger;
  readonly #maxBatch: number;
  readonly #minBackoff: number;
  readonly #maxBackoff: number;

  #position: number;
  #subscription: Subscription | null = null;
  #generation = 0;
  #running = false;
  #connected = false;
  #caughtUp = false;
  #lastError: string | null = null;
  #backoff: number;
  #retryTimer: NodeJS.Timeout | null = null;
  #buffer: StoredEvent[] = [];
  #flushScheduled = false;
  #waiters = new Set<Waiter>();

  constructor(
    store: EventStore,
    db: Database,
    logger: ProjectorLogger = silent,
    opts: ProjectorOptions = {},
  ) {
    this.#store = store;
    this.#db = db;
    this.#log = logger;
    this.#maxBatch = Math.max(1, opts.maxBatch ?? 500);
    this.#minBackoff = Math.max(1, opts.minBackoffMs ?? 100);
    this.#maxBackoff = Math.max(this.#minBackoff, opts.maxBackoffMs ?? 10_000);
    this.#backoff = this.#minBackoff;
    this.#position = readCheckpoint(db);
  }

  /** Position of the last event applied to the read model. */
  get position(): number {
    return this.#position;
  }

  status(): ProjectorStatus {
    return {
      connected: this.#connected,
      behind: !this.#caughtUp || this.#buffer.length > 0,
      lastError: this.#lastError,
    };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#subscribe();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#generation += 1;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const sub = this.#subscription;
    this.#subscription = null;
    if (sub) {
      try {
        await sub.stop();
      } catch (err) {
        this.#log.warn('projector: stopping the subscription failed', err);
      }
    }
    try {
      this.#flush();
    } catch (err) {
      this.#log.warn('projector: applying the last events failed on stop', err);
    }
    this.#connected = false;
    for (const w of this.#waiters) {
      clearTimeout(w.timer);
      w.resolve(this.#position >= w.position);
    }
    this.#waiters.clear();
  }

  /** Resolves true once `position` is applied, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.#position >= position) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const w: Waiter = {
        position,
        resolve,
        timer: setTimeout(
          () => {
            this.#waiters.delete(w);
            resolve(this.#position >= position);
          },
          Math.max(0, timeoutMs),
        ),
      };
      this.#waiters.add(w);
    });
  }

  #subscribe(): void {
    if (!this.#running) return;
    const generation = ++this.#generation;
    this.#buffer = [];
    this.#caughtUp = false;
    // The checkpoint in the database is the truth (another process may have moved it).
    this.#position = Math.max(this.#position, readCheckpoint(this.#db));
    const after = this.#position;
    this.#log.info(`projector: subscribing after position ${after}`);
    try {
      this.#subscription = this.#store.subscribe(
        { after, streamPrefix: COMMITMENT_STREAM_PREFIX },
        {
          onEvent: (event) => {
            if (generation !== this.#generation) return;
            this.#live();
            this.#buffer.push(event);
            if (this.#buffer.length >= this.#maxBatch) this.#flushOrFail(generation);
            else this.#scheduleFlush(generation);
          },
          onCaughtUp: () => {
            if (generation !== this.#generation) return;
            this.#live();
            this.#flushOrFail(generation);
            if (generation === this.#generation) {
              this.#caughtUp = true;
              this.#backoff = this.#minBackoff;
            }
          },
          onError: (error) => {
            if (generation !== this.#generation) return;
            this.#fail(error);
          },
        },
      );
    } catch (err) {
      this.#fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #live(): void {
    if (!this.#connected) this.#log.info('projector: subscription is live');
    this.#connected = true;
  }

  #scheduleFlush(generation: number): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      if (generation === this.#generation) this.#flushOrFail(generation);
    });
  }

  #flushOrFail(generation: number): void {
    try {
      this.#flush();
    } catch (err) {
      if (generation === this.#generation) {
        this.#fail(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** Apply the buffered events: rows and checkpoint in one transaction. */
  #flush(): void {
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    try {
      projectBatch(this.#db, batch);
    } catch (err) {
      // Apply what precedes the failing event one by one, so the checkpoint gets as far as it can;
      // the failing event itself is never skipped (the error goes on to a resubscribe).
      if (batch.length > 1) for (const e of batch) this.#applyOne(e);
      throw err;
    } finally {
      this.#advance();
    }
    this.#backoff = this.#minBackoff;
  }

  #applyOne(e: StoredEvent): void {
    projectBatch(this.#db, [e]);
    this.#advance();
  }

  #advance(): void {
    this.#position = Math.max(this.#position, readCheckpoint(this.#db));
    for (const w of this.#waiters) {
      if (this.#position >= w.position) {
        clearTimeout(w.timer);
        this.#waiters.delete(w);
        w.resolve(true);
      }
    }
  }

  /** Log, drop the subscription and whatever was not applied, and resubscribe after a backoff. */
  #fail(error: Error): void {
    this.#generation += 1;
    this.#connected = false;
    this.#caughtUp = false;
    this.#buffer = [];
    this.#lastError = error.message;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#maxBackoff, this.#backoff * 2);
    this.#log.error(`projector: ${error.message}; resubscribing in ${delay} ms`, error);
    const sub = this.#subscription;
    this.#subscription = null;
    if (sub) {
      sub.stop().catch((err: unknown) => this.#log.warn('projector: stop after error failed', err));
    }
    if (!this.#running) return;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#subscribe();
    }, delay);
    this.#retryTimer.unref?.();
  }
}
