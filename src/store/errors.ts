/** Typed errors raised by every event-store adapter. The HTTP and CLI layers map them. */

export class WrongExpectedRevisionError extends Error {
  override readonly name: string = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: 'no_stream' | 'any' | number,
    /** The stream's actual revision; 0 when the stream does not exist. */
    readonly actual: number,
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${actual}`);
  }
}

export class DuplicateEventError extends Error {
  override readonly name = 'DuplicateEventError';
  constructor(readonly eventId: string) {
    super(`event ${eventId} is already stored`);
  }
}

export class StoreUnavailableError extends Error {
  override readonly name: string = 'StoreUnavailableError';
  constructor(
    message: string,
    /** Seconds a client should wait before retrying. */
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An imported event's hash does not chain from its stream's head (tampered, or out of order). */
export class ChainMismatchError extends Error {
  override readonly name = 'ChainMismatchError';
  constructor(
    readonly stream: string,
    readonly revision: number,
    readonly eventId: string,
  ) {
    super(
      `event ${eventId} (${stream} revision ${revision}): hash does not chain from the stream head`,
    );
  }
}

/** `readAll`/`subscribe` `after` that is neither 0 nor a position the store returned. Clients get a 400 naming `after`. */
export class InvalidPositionError extends Error {
  override readonly name = 'InvalidPositionError';
  constructor(readonly position: number) {
    super(`after: ${position} is not 0 nor the position of a stored event`);
  }
}

/** One event larger than the store accepts in a single append (EventStoreDB's MaxAppendSize). Clients get a 413. */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`an event of ${bytes} bytes exceeds the store's append limit of ${limit} bytes`);
  }
}

/** The stream was hard-deleted in the store and can never be written again: a conflict (409). */
export class StreamDeletedError extends WrongExpectedRevisionError {
  override readonly name = 'StreamDeletedError';
}

/** The store refused the credentials (or has none): an operator problem, answered as unavailable (503). */
export class StoreAccessDeniedError extends StoreUnavailableError {
  override readonly name = 'StoreAccessDeniedError';
}

/**
 * An event for a commitment stream that does not fit its schema (or is of an unknown type):
 * refused at the door, nothing of the append is written. Folds trust what is stored, so the
 * store never takes such an event.
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly stream: string,
    /** Index of the event in the append. */
    readonly index: number,
    readonly problems: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(
      `event ${index} for ${stream} is not valid: ` +
        problems.map((p) => `${p.path} ${p.message}`).join('; '),
    );
  }
}
