/**
 * Errors of the domain and the application. The HTTP layer maps each `code` to a status:
 * DomainError → 409, NotFoundError → 404, PreconditionFailedError → 412,
 * InvalidInputError → 400 (with the field path), IdempotencyKeyReusedError → 422,
 * UnprocessableError → 422 (with the field path and the bound it broke).
 */

export type DomainErrorCode =
  | 'already_exists'
  | 'closed'
  | 'no_metric'
  | 'unknown_superseding'
  | 'self_supersession'
  | 'not_recorded'
  | 'too_many_sources';

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

export type UnprocessableCode =
  'date_before_statement' | 'date_in_future' | 'date_before_report_period' | 'not_a_party';

/**
 * A well-formed value breaks a rule of the domain about that value: a dishonest date (an
 * observation before the statement or after the day it is recorded, a statement after the day it
 * is recorded, a source published before the statement) or an assessed party that is not one of
 * the commitment's. HTTP answers 422 naming `path` and `bound`.
 */
export class UnprocessableError extends Error {
  override readonly name = 'UnprocessableError';
  constructor(
    readonly code: UnprocessableCode,
    /** Path of the offending field, such as `asOf` or `statement.madeAt`. */
    readonly path: string,
    /** The date the value may not cross (for `not_a_party`: the commitment's parties, comma-separated). */
    readonly bound: string,
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
