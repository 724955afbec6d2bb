/** Typed errors raised by every event-store adapter. The HTTP and CLI layers map them. */

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
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
  override readonly name = 'StoreUnavailableError';
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
