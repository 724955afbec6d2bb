/**
 * EventStoreDB adapter of the event-store port (@eventstore/db-client v6; KurrentDB speaks the same
 * protocol). Selected when EVENTSTORE_URL is set. This file wires the operations, one module each:
 * read.ts, append.ts, import.ts, id-index.ts, subscribe.ts; conversions live in mapping.ts, error
 * translation in translate-error.ts, and the shared deadline and retry discipline in context.ts.
 *
 * The client is injected (`new EsdbEventStore(client, …)`), so the adapter can run against a fake
 * that behaves as the server does (test/contract/fake-esdb-client.ts); `connect` builds the real one.
 */
import { EventStoreDBClient } from '@eventstore/db-client';
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
import { systemClock } from '../../clock.js';
import { append } from './append.js';
import {
  DEFAULT_MAX_APPEND_BYTES,
  type EsdbClient,
  type EsdbContext,
  type EsdbOptions,
} from './context.js';
import { findEvent } from './id-index.js';
import { importEvents } from './import.js';
import { clientConnectionString } from './mapping.js';
import { headPosition, readAll, readStream } from './read.js';
import { subscribe } from './subscribe.js';

export type { EsdbClient, EsdbOptions } from './context.js';

/** A user-safe rendering of the connection string (no credentials). */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** EVENTSTORE_MAX_APPEND_SIZE, the server's setting, when the operator gave the API the same value. */
function maxAppendFromEnv(): number | undefined {
  const raw = process.env.EVENTSTORE_MAX_APPEND_SIZE;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export class EsdbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  private readonly ctx: EsdbContext;

  /** An adapter over a client made elsewhere (the real one, or a fake in tests). */
  constructor(
    private readonly client: EsdbClient,
    target: string,
    opts: EsdbOptions = {},
  ) {
    this.ctx = {
      client,
      target,
      deadlineMs: opts.deadlineMs ?? 5000,
      clock: opts.clock ?? systemClock,
      log: opts.log ?? (() => undefined),
      maxAppendBytes: opts.maxAppendBytes ?? maxAppendFromEnv() ?? DEFAULT_MAX_APPEND_BYTES,
      opts,
      isClosed: () => this.closed,
    };
  }

  /**
   * Create the adapter for a connection string such as `esdb://localhost:2113?tls=false` (or
   * `kurrentdb://…`, `kdb://…`, rewritten to the scheme the client parses). The client connects
   * lazily: an unreachable server is reported by the first call (StoreUnavailableError), not here.
   * A malformed connection string throws here.
   */
  static async connect(url: string, opts: EsdbOptions = {}): Promise<EsdbEventStore> {
    const deadline = opts.deadlineMs ?? 5000;
    const parsed = clientConnectionString(url);
    const withDeadline = /[?&]defaultDeadline=/i.test(parsed)
      ? parsed
      : `${parsed}${parsed.includes('?') ? '&' : '?'}defaultDeadline=${deadline}`;
    const client = EventStoreDBClient.connectionString(withDeadline);
    return Promise.resolve(new EsdbEventStore(client, redact(url), opts));
  }

  append(
    stream: string,
    events: NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    return append(this.ctx, stream, events, options);
  }

  readStream(stream: string, options: { fromRevision?: number } = {}): Promise<StoredEvent[]> {
    return readStream(this.ctx, stream, options);
  }

  readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return readAll(this.ctx, options);
  }

  headPosition(): Promise<number> {
    return headPosition(this.ctx);
  }

  findEvent(id: string): Promise<StoredEvent | null> {
    return findEvent(this.ctx, id);
  }

  /** Import events stored elsewhere with their id, metadata and hash (`commitments migrate`). */
  importEvents(events: readonly StoredEvent[]): Promise<StoredEvent[]> {
    return importEvents(this.ctx, events);
  }

  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): Subscription {
    const handle = subscribe(this.ctx, options, handlers, (h) => this.subscriptions.delete(h));
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
