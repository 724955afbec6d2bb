/**
 * An EventStore whose appends run in a worker thread (writer-worker.ts) holding its own
 * connection to the same SQLite file, while reads, subscriptions and the LocalLog stay on a
 * main-thread connection (WAL: readers see every committed append). Prototype for the
 * experiment of issue 18: only `append` (what `POST /commitments/{id}/progress` uses) goes to
 * the worker; `appendMany` and `importEvents` would still write on the main connection.
 */
import { Worker } from 'node:worker_threads';
import { checkAtTheDoor } from '../../../src/store/door.js';
import {
  DuplicateEventError,
  InvalidEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../../src/store/errors.js';
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
} from '../../../src/store/port.js';
import type { SqliteEventStore } from '../../../src/store/sqlite/sqlite-event-store.js';
import type {
  AppendRequest,
  ToWriter,
  WireError,
  WriterMessage,
  WriterWorkerData,
} from './protocol.js';

function unwire(e: WireError): Error {
  switch (e.name) {
    case 'WrongExpectedRevisionError':
      return new WrongExpectedRevisionError(e.stream ?? '', e.expected ?? 'any', e.actual ?? 0);
    case 'DuplicateEventError':
      return new DuplicateEventError(e.eventId ?? '');
    case 'StoreUnavailableError':
      return new StoreUnavailableError(e.message, e.retryAfterSeconds ?? 5);
    case 'InvalidEventError':
      return new InvalidEventError(e.stream ?? '', e.index ?? 0, e.problems ?? []);
    default:
      return Object.assign(new Error(e.message), { name: e.name });
  }
}

interface Waiting {
  resolve(r: AppendResult): void;
  reject(e: unknown): void;
}

export class WorkerWriterStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly pending = new Map<number, Waiting>();
  /** Appends of this tick, posted together on `setImmediate` (one message, one group commit). */
  private outbox: AppendRequest[] = [];
  private nextId = 1;
  private closed = false;
  private readonly exited: Promise<void>;

  private constructor(
    /** The main thread's connection: reads, subscriptions, the read model's queries. */
    readonly reader: SqliteEventStore,
    private readonly worker: Worker,
    /** Post each append on its own (the first prototype) instead of one message per tick. */
    private readonly perAppend: boolean,
  ) {
    worker.on('message', (m: WriterMessage) => {
      if (m.kind !== 'done') return;
      let any = false;
      for (const a of m.answers) {
        const w = this.pending.get(a.id);
        if (!w) continue;
        this.pending.delete(a.id);
        if (a.ok) {
          any = true;
          w.resolve(a.result);
        } else w.reject(unwire(a.error));
      }
      // Wake this connection's subscriptions now rather than at their next poll.
      if (any) this.reader.notifier.emit('appended');
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.closed = true;
        const err = new StoreUnavailableError(`the writer worker exited (${code})`, 5);
        for (const w of this.pending.values()) w.reject(err);
        this.pending.clear();
        resolve();
      });
    });
  }

  /** Start the worker on `reader`'s file; resolves once its connection is open. */
  static async start(
    reader: SqliteEventStore,
    workerFile: string,
    synchronous: WriterWorkerData['synchronous'],
    perAppend = false,
  ): Promise<WorkerWriterStore> {
    const data: WriterWorkerData = { file: reader.file, synchronous };
    const worker = new Worker(workerFile, { workerData: data });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: WriterMessage) => {
        if (m.kind === 'ready') resolve();
        else if (m.kind === 'fatal') reject(unwire(m.error));
      });
      worker.once('error', reject);
    });
    return new WorkerWriterStore(reader, worker, perAppend);
  }

  append(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('event store is closed'));
    if (typeof stream !== 'string' || stream.length === 0)
      return Promise.reject(new TypeError('stream name must be a non-empty string'));
    try {
      // Validated here, once, on the main thread (cheap for events `decide` marked).
      checkAtTheDoor(stream, events);
    } catch (err) {
      return Promise.reject(err);
    }
    const id = this.nextId++;
    const req: AppendRequest = { id, stream, events, expected: options.expectedRevision };
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.perAppend) {
        this.worker.postMessage([req] satisfies ToWriter);
        return;
      }
      if (this.outbox.length === 0) setImmediate(() => this.post());
      this.outbox.push(req);
    });
  }

  private post(): void {
    if (this.outbox.length === 0) return;
    const batch: ToWriter = this.outbox;
    this.outbox = [];
    this.worker.postMessage(batch);
  }

  get local(): LocalLog {
    return this.reader.local;
  }
  readStream(stream: string, options?: { fromRevision?: number }): Promise<StoredEvent[]> {
    return this.reader.readStream(stream, options);
  }
  readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return this.reader.readAll(options);
  }
  headPosition(): Promise<number> {
    return this.reader.headPosition();
  }
  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): Subscription {
    return this.reader.subscribe(options, handlers);
  }
  findEvent(id: string): Promise<StoredEvent | null> {
    return this.reader.findEvent(id);
  }

  /** Let the worker write what it holds and close its connection, then close the reader. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.post();
      this.worker.postMessage('close' satisfies ToWriter);
      await this.exited;
    }
    await this.reader.close();
  }
}
