/**
 * The event-store port: the only thing the rest of the tracker knows about storage.
 * Adapters: `sqlite/` (embedded, default) and `esdb/` (EventStoreDB).
 * One contract suite (test/contract/event-store.contract.ts) runs against every adapter.
 */

/** `no_stream`: the stream must not exist. `any`: no check. A number: the stream's current revision must equal it. */
export type ExpectedRevision = 'no_stream' | 'any' | number;

/** What a caller hands to `append`. The store adds position, revision, recordedAt and hash. */
export interface NewEvent {
  /** Unique event id (UUID). When absent the store makes one (the embedded store a time-ordered UUID v7). Deterministic ids make retries idempotent. */
  id?: string;
  type: string;
  data: unknown;
  metadata: {
    recordedBy: string;
    requestId?: string;
    idempotencyKey?: string;
    /** With an idempotency key: sha256 of the request (method, path, canonical body). */
    requestHash?: string;
  };
}

export interface EventMetadata {
  /** Server clock at append, UTC ISO instant with milliseconds. */
  recordedAt: string;
  recordedBy: string;
  requestId?: string;
  idempotencyKey?: string;
  /** With an idempotency key: sha256 of the request that produced the event. */
  requestHash?: string;
  /** Version of the event's data shape; see domain/events.ts `upcast`. */
  schemaVersion: number;
}

export interface StoredEvent {
  /** Global position in the log: strictly increasing, not necessarily contiguous (ESDB commit positions are not). */
  position: number;
  stream: string;
  /** Revision within the stream, starting at 1. */
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** sha256(previous hash in the stream + canonical JSON of this event); see hash-chain.ts. */
  hash: string;
}

export interface AppendResult {
  /** The stream's revision after the append (revision of the last appended event). */
  revision: number;
  /** Global position of the last appended event. */
  position: number;
  events: StoredEvent[];
}

export interface ReadAllOptions {
  /**
   * Exclusive lower bound; 0 reads from the start. Must be 0 or a position the store returned:
   * anything else throws `InvalidPositionError` (EventStoreDB cannot read from another offset).
   */
  after: number;
  /** Page size. */
  limit: number;
  /** Only streams whose name starts with this prefix. */
  streamPrefix?: string;
}

export interface SubscribeOptions {
  /** Catch up from after this position (0 or a position the store returned), then follow live appends. */
  after: number;
  streamPrefix?: string;
}

/**
 * A subscription delivers events in global order, one at a time; the next event is
 * delivered only after the handler's promise settles. A handler that throws stops
 * the subscription and reports through `onError`.
 */
export interface Subscription {
  stop(): Promise<void>;
}

export interface SubscriptionHandlers {
  onEvent(event: StoredEvent): Promise<void> | void;
  /** Called when the subscription has caught up with the head of the log (may be called again after falling behind). */
  onCaughtUp?(position: number): void;
  onError?(error: Error): void;
}

export interface EventStore {
  /** Which adapter: `sqlite` or `eventstoredb`. */
  readonly kind: 'sqlite' | 'eventstoredb';
  /**
   * Append events atomically to one stream. Throws `WrongExpectedRevisionError` on a mismatch
   * (carrying the actual revision), `DuplicateEventError` when an event id was already stored,
   * `StoreUnavailableError` when the store cannot be reached. An acknowledged append is durable.
   */
  append(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Read one stream in revision order (empty array when the stream does not exist). */
  readStream(stream: string, options?: { fromRevision?: number }): Promise<StoredEvent[]>;
  /** One page of the global log after a position, in order. */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /** Position of the last event in the log, 0 when empty. */
  headPosition(): Promise<number>;
  /** Catch up from a position, then follow live appends. */
  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): Subscription;
  /** Find an already stored event by id (used to answer idempotent retries), or null. */
  findEvent(id: string): Promise<StoredEvent | null>;
  close(): Promise<void>;
  /** Present on a store kept in a local SQLite file: synchronous reads for rebuilds and audits. */
  readonly local?: LocalLog;
}

/** One raw event row: position, stream, revision, type, data JSON, metadata JSON. */
export type RawEventRow = [number, string, number, string, string, string];

/**
 * Synchronous reads of a log kept in a local SQLite file. They run on the store's own
 * connection, so inside a transaction of that connection they see one consistent snapshot.
 */
export interface LocalLog {
  /** True when `connection` is the store's own (the read model lives in the same file). */
  sharesConnection(connection: unknown): boolean;
  /** Every commitment event in (stream, revision) order, `pageSize` rows at a time, JSON unparsed. */
  readCommitmentsByStream(
    pageSize: number,
    visit: (row: RawEventRow) => void,
    afterPage?: () => void,
  ): void;
  /**
   * The same rows as `readCommitmentsByStream`, pulled one page at a time (keyset paging, no
   * transaction held between pages): for a streaming replay that yields to the event loop
   * between pages. Each page is one consistent read; pages may see appends made in between.
   */
  pagesOfCommitmentsByStream(pageSize: number): Generator<RawEventRow[], void, undefined>;
  /**
   * `[position, metadata JSON]` of every commitment event, newest first (a scan of the log
   * backwards, stopped when the caller stops iterating): the streamed replay finds the position
   * it covers before it writes its first byte.
   */
  commitmentMetadataNewestFirst(): IterableIterator<[number, string]>;
  /** The first event after `after` whose stored JSON no longer parses, or null. */
  firstUnreadableAfter(
    after: number,
  ): { position: number; stream: string; revision: number } | null;
  /** The head (revision and hash) the store records for each stream. */
  streamHeads(): Array<{ stream: string; revision: number; hash: string }>;
}

/** Stream name of a commitment. */
export const COMMITMENT_STREAM_PREFIX = 'commitment-';
export const commitmentStream = (id: string): string => `${COMMITMENT_STREAM_PREFIX}${id}`;
export const commitmentIdOf = (stream: string): string | null =>
  stream.startsWith(COMMITMENT_STREAM_PREFIX)
    ? stream.slice(COMMITMENT_STREAM_PREFIX.length)
    : null;
