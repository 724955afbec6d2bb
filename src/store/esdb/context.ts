/**
 * What every operation of the EventStoreDB adapter shares: the client (injected, so tests can hand
 * in a fake that behaves as the server does), the settings, and two disciplines:
 *
 * - `drain`: every read stream the client hands out is drained or cancelled and destroyed, always has
 *   an 'error' listener, and is bounded by the read deadline. The client gives streaming reads no
 *   deadline at all (it overrides any `deadline` option with Infinity), so the adapter enforces its own.
 * - `withRetry`: a call that failed because the node is not the leader, timed out, or could not be
 *   reached is tried again a bounded number of times; after that it fails with StoreUnavailableError
 *   (answered 503 with Retry-After).
 */
import type { EventStoreDBClient, StreamingRead } from '@eventstore/db-client';
import type { Clock } from '../../domain/clock.js';
import { StoreUnavailableError } from '../errors.js';
import { isRetryable, isSlowFailure, translateError } from './translate-error.js';

/** The part of the client the adapter uses. `EventStoreDBClient` satisfies it; so does the test fake. */
export type EsdbClient = Pick<
  EventStoreDBClient,
  'readStream' | 'readAll' | 'appendToStream' | 'subscribeToAll' | 'dispose'
>;

export interface EsdbOptions {
  clock?: Clock;
  /** Deadline of each call, and of each read batch, in ms. Default 5000. */
  deadlineMs?: number;
  /** Logs subscription errors, resubscriptions and retries. */
  log?: (msg: string, err?: unknown) => void;
  /** Cap of the resubscribe backoff, ms. Default 30000. */
  maxBackoffMs?: number;
  /** First resubscribe delay, ms. Default 250. */
  minBackoffMs?: number;
  /** Attempts of an append with expectedRevision 'any' when other writers race it. Default 5. */
  anyRetries?: number;
  /**
   * The server's MaxAppendSize in bytes (EVENTSTORE_MAX_APPEND_SIZE on the server). Appends and imports
   * are split so that no single append exceeds it. Default: EVENTSTORE_MAX_APPEND_SIZE from the
   * environment, else 1 MiB (the server's default).
   */
  maxAppendBytes?: number;
  /**
   * Further attempts after a retryable failure (not leader, unavailable). Default 2. A timeout is
   * retried once at most, since each one already waited a whole deadline.
   */
  retries?: number;
  /** Delay before the first retry, doubled each time, ms. Default 100. */
  retryDelayMs?: number;
}

export const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024;

/** Everything an operation needs; built once by EsdbEventStore. */
export interface EsdbContext {
  readonly client: EsdbClient;
  /** The connection string without credentials, for messages. */
  readonly target: string;
  readonly deadlineMs: number;
  readonly clock: Clock;
  readonly log: (msg: string, err?: unknown) => void;
  readonly maxAppendBytes: number;
  readonly opts: EsdbOptions;
  isClosed(): boolean;
}

export function guard(ctx: EsdbContext): void {
  if (ctx.isClosed()) throw new StoreUnavailableError('the EventStoreDB store is closed');
}

/**
 * Drain a client read stream: every item goes to `onItem` (return false to stop early, which cancels
 * and destroys the stream). Rejects with StoreUnavailableError when the whole read takes longer than
 * the deadline, however steadily events trickle in. Never leaves a stream unconsumed or without an
 * error listener.
 */
export async function drain<T>(
  ctx: EsdbContext,
  rs: StreamingRead<T>,
  onItem: (item: T) => boolean | void,
): Promise<void> {
  rs.on('error', () => undefined); // errors surface through the iterator; this stops late ones from crashing
  const timer = setTimeout(() => {
    void rs.cancel().catch(() => undefined);
    rs.destroy(
      new StoreUnavailableError(
        `EventStoreDB is unavailable: no complete answer from ${ctx.target} within ${ctx.deadlineMs} ms`,
      ),
    );
  }, ctx.deadlineMs);
  let stoppedEarly = false;
  try {
    for await (const item of rs as AsyncIterable<T>) {
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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Run `call`; when it fails with a retryable error, wait and run it again, at most `retries` more
 * times. `onRetry` learns of each retry (an append uses it to know its outcome became ambiguous).
 * The last error is translated (a spent retry → StoreUnavailableError).
 */
export async function withRetry<T>(
  ctx: EsdbContext,
  what: string,
  call: () => Promise<T>,
  onRetry?: (err: unknown) => void,
): Promise<T> {
  const retries = Math.max(0, ctx.opts.retries ?? 2);
  const delay = ctx.opts.retryDelayMs ?? 100;
  let slow = 0;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (!isRetryable(err) || attempt >= retries || ctx.isClosed()) throw err;
      // A timeout already cost a whole deadline: one more try at most, so a request stays well
      // inside the HTTP request timeout. Quick refusals (not leader, unavailable) get every retry.
      if (isSlowFailure(err) && (slow += 1) > 1) throw err;
      ctx.log(`EventStoreDB ${what} failed (attempt ${attempt + 1}); retrying`, err);
      onRetry?.(err);
      await sleep(delay * 2 ** attempt);
    }
  }
}

/** withRetry, then translate whatever error is left into the port's errors. */
export async function retrying<T>(
  ctx: EsdbContext,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await withRetry(ctx, what, call);
  } catch (err) {
    throw translateError(err);
  }
}
