/**
 * Errors of the domain and the application. The HTTP layer maps each `code` to a status:
 * DomainError → 409, NotFoundError → 404, PreconditionFailedError → 412,
 * InvalidInputError → 400 (with the field path), IdempotencyKeyReusedError → 422.
 */

export type DomainErrorCode =
  | 'already_exists'
  | 'closed'
  | 'no_metric'
  | 'unknown_superseding'
  | 'self_supersession'
  | 'not_recorded';

/** A command broke a domain rule (an invariant of `decide`). */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Input that passed the schema but cannot be interpreted (for example an unknown deadline phrase). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    /** Path of the offending field, such as `due.text`. */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** `If-Match` named a revision that is no longer current. */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`If-Match names revision ${expected}, but the commitment is at revision ${actual}`);
  }
}

/**
 * An Idempotency-Key came back with a different request than the one whose events it already
 * produced (the events carry the request's hash). Found by the tracker when the HTTP layer's own
 * record of the key is missing, e.g. after a crash between the append and storing the response.
 */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly key: string) {
    super('this Idempotency-Key was already used with a different request');
  }
}
