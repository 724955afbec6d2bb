/**
 * Client errors → the port's typed errors (store/errors.ts), and which of them a retry may cure.
 * Pure functions. Unit-tested with the client's own error classes (test/unit/store/esdb-mapping.test.ts).
 */
import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  NotLeaderError,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { AppendExpectedRevision } from '@eventstore/db-client';
import {
  EventTooLargeError,
  StoreAccessDeniedError,
  StoreUnavailableError,
  StreamDeletedError,
  WrongExpectedRevisionError,
} from '../errors.js';
import type { ExpectedRevision } from '../port.js';
import { fromEsdbCurrentRevision, fromEsdbRevision } from './mapping.js';

const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/** Why the store is unreachable, or null when the error is something else. */
export function unavailableReason(err: unknown): string | null {
  if (err instanceof StoreUnavailableError) return err.message;
  if (err instanceof UnavailableError) return `unavailable (${oneLine(err.message)})`;
  if (err instanceof DeadlineExceededError) return `deadline exceeded (${oneLine(err.message)})`;
  if (err instanceof CancelledError) return `call cancelled (${oneLine(err.message)})`;
  // ABORTED from the server: a commit or request timeout inside the cluster; the outcome is unknown, retry later.
  if (err instanceof TimeoutError) return `server timed out (${oneLine(err.message)})`;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (code === GRPC_UNAVAILABLE) return `unavailable (${oneLine(err.message)})`;
    if (code === GRPC_DEADLINE_EXCEEDED) return `deadline exceeded (${oneLine(err.message)})`;
    if (code === GRPC_CANCELLED) return `call cancelled (${oneLine(err.message)})`;
    if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(err.message))
      return `connection refused (${oneLine(err.message)})`;
  }
  return null;
}

export const isStreamNotFound = (err: unknown): boolean => err instanceof StreamNotFoundError;

export const isStreamDeleted = (err: unknown): boolean => err instanceof EsdbStreamDeletedError;

/**
 * Errors after which the same call may succeed: the node is not the leader (the client reconnects
 * to the leader it names), the call timed out, or the server is unreachable. An append that fails
 * this way may or may not have been stored: see append.ts for how that is resolved.
 */
export const isRetryable = (err: unknown): boolean =>
  !(err instanceof StoreAccessDeniedError) &&
  (err instanceof NotLeaderError || unavailableReason(err) !== null);

/** A retryable failure that took a whole deadline to arrive (our own read deadline included). */
export const isSlowFailure = (err: unknown): boolean =>
  err instanceof StoreUnavailableError ||
  err instanceof DeadlineExceededError ||
  err instanceof TimeoutError ||
  (err instanceof Error && (err as { code?: unknown }).code === GRPC_DEADLINE_EXCEEDED);

/**
 * Translate a client error into the port's typed errors. Returns the error to throw:
 * WrongExpectedVersionError → WrongExpectedRevisionError (actual mapped; 0 when the stream does not exist),
 * StreamDeletedError → our StreamDeletedError (a conflict), AccessDeniedError → StoreAccessDeniedError,
 * MaxAppendSizeExceededError → EventTooLargeError, NotLeaderError (once retries are spent),
 * unavailable / deadline / cancelled / refused → StoreUnavailableError with a one-line message,
 * anything else unchanged. (StreamNotFoundError is not an error for reads: see isStreamNotFound.)
 */
export function translateError(
  err: unknown,
  ctx: { stream?: string; expected?: ExpectedRevision; bytes?: number } = {},
): unknown {
  if (err instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(
      ctx.stream ?? err.streamName,
      ctx.expected ?? fromEsdbExpectedForMessage(err.expectedVersion),
      fromEsdbCurrentRevision(err.actualVersion),
    );
  }
  if (err instanceof EsdbStreamDeletedError) {
    const stream = ctx.stream ?? err.streamName ?? 'unknown stream';
    return new StreamDeletedError(stream, ctx.expected ?? 'any', 0);
  }
  if (err instanceof AccessDeniedError) {
    return new StoreAccessDeniedError(
      `EventStoreDB refused access (${oneLine(err.message)}): check the credentials in EVENTSTORE_URL`,
      30,
      { cause: err },
    );
  }
  if (err instanceof MaxAppendSizeExceededError) {
    return new EventTooLargeError(ctx.bytes ?? err.maxAppendSize + 1, err.maxAppendSize);
  }
  if (err instanceof NotLeaderError) {
    return new StoreUnavailableError(
      `EventStoreDB is unavailable: the node is not the leader (leader ${err.leader.address}:${err.leader.port})`,
      1,
      { cause: err },
    );
  }
  const reason = unavailableReason(err);
  if (reason !== null) {
    if (err instanceof StoreUnavailableError) return err;
    return new StoreUnavailableError(`EventStoreDB is unavailable: ${reason}`, 5, { cause: err });
  }
  return err;
}

/** The client's expected revision → ours, for error messages when the caller's is not known. */
function fromEsdbExpectedForMessage(e: AppendExpectedRevision): ExpectedRevision {
  if (typeof e === 'bigint') return fromEsdbRevision(e);
  if (e === NO_STREAM) return 'no_stream';
  return 'any';
}
