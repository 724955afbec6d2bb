/**
 * Errors as `application/problem+json` (RFC 9457): `{type, title, status, detail}`, plus
 * `errors: [{path, message}]` for validation. Every error response goes through `toProblem`.
 * Anything that is not a known error becomes a 500 that reveals nothing.
 */
import type { z } from 'zod';
import {
  DomainError,
  UnprocessableError,
  IdempotencyKeyReusedError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
} from '../domain/errors.js';
import {
  DuplicateEventError,
  EventTooLargeError,
  InvalidEventError,
  InvalidPositionError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../store/errors.js';

import { fieldErrors, type FieldError } from '../shared/field-errors.js';
import { BusyError } from '../app/audit-jobs.js';

export { fieldErrors, formatPath, type FieldError } from '../shared/field-errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  /** How many field errors were found beyond the ones listed (at most MAX_FIELD_ERRORS). */
  omittedErrors?: number;
  /** For 409 and 422: the domain rule, e.g. `closed`, `no_metric`, `date_in_future`. */
  code?: string;
}

/** The problem types this API answers with; `type` is `/docs#problem-<slug>`. */
export const PROBLEM_TYPES = {
  validation: { status: 400, title: 'Invalid request' },
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'bad-header': { status: 400, title: 'Invalid header' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict with a domain rule' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  misdirected: { status: 421, title: 'Misdirected request' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with another request' },
  unprocessable: { status: 422, title: 'A value breaks a domain rule' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  'store-unavailable': { status: 503, title: 'Store unavailable' },
} as const;
export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export const problemType = (slug: ProblemSlug): string => `/docs#problem-${slug}`;

/** An error the HTTP layer raises itself; carries everything its response needs. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extra: {
      errors?: FieldError[];
      /** Field errors found beyond the MAX_FIELD_ERRORS listed. */
      omittedErrors?: number;
      headers?: Record<string, string>;
      status?: number;
    } = {},
  ) {
    super(detail);
  }
}

/** An error answer lists at most this many field errors; `detail` says how many more there are. */
export const MAX_FIELD_ERRORS = 50;

export function validationProblem(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  where: 'body' | 'query',
): HttpProblem {
  const all = fieldErrors(issues, input);
  const n = all.length;
  const more = n - MAX_FIELD_ERRORS;
  return new HttpProblem(
    'validation',
    `The request ${where} has ${n} invalid field${n === 1 ? '' : 's'}.` +
      (more > 0 ? ` The first ${MAX_FIELD_ERRORS} are listed; ${more} more are not.` : ''),
    { errors: all.slice(0, MAX_FIELD_ERRORS), ...(more > 0 ? { omittedErrors: more } : {}) },
  );
}

function make(slug: ProblemSlug, detail: string, errors?: FieldError[], status?: number): Problem {
  return {
    type: problemType(slug),
    title: PROBLEM_TYPES[slug].title,
    status: status ?? PROBLEM_TYPES[slug].status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

/** The typed errors of the domain and the store port, or null for anything else. */
function typedErrorProblem(err: unknown, ifMatchSent: boolean): Problem | null {
  if (err instanceof DomainError) {
    if (err.code === 'not_recorded') return make('not-found', err.message);
    return { ...make('conflict', err.message), code: err.code };
  }
  if (err instanceof IdempotencyKeyReusedError) {
    return make(
      'idempotency-key-reused',
      'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
    );
  }
  if (err instanceof InvalidInputError) {
    return make('validation', `The request has 1 invalid field: ${err.path}.`, [
      { path: err.path, message: err.message },
    ]);
  }
  if (err instanceof NotFoundError) return make('not-found', err.message);
  if (err instanceof PreconditionFailedError) return make('precondition-failed', err.message);
  if (err instanceof WrongExpectedRevisionError) {
    return ifMatchSent
      ? make(
          'precondition-failed',
          `If-Match names a revision that is no longer current (now ${err.actual})`,
        )
      : make('conflict', 'another write to this commitment happened at the same time; retry');
  }
  if (err instanceof UnprocessableError) {
    return {
      ...make('unprocessable', err.message, [{ path: err.path, message: err.message }]),
      code: err.code,
    };
  }
  if (err instanceof InvalidPositionError) {
    return make('validation', 'The request has 1 invalid field: after.', [
      { path: 'after', message: 'must be 0 or the position of an event this API returned' },
    ]);
  }
  if (err instanceof EventTooLargeError) return make('payload-too-large', err.message);
  if (err instanceof InvalidEventError) {
    // Commands never reach the store invalid (decide builds valid events); this answers any
    // other path that appends an event the store's door refuses, without a 500.
    return make(
      'unprocessable',
      err.message,
      err.problems.map((p) => ({ path: p.path, message: p.message })),
    );
  }
  if (err instanceof DuplicateEventError)
    return make('conflict', 'this request was already processed');
  return null;
}

/** Errors raised by the body parser and express internals (they carry a `type` or a 4xx `status`). */
function bodyParserProblem(e: unknown): Problem | null {
  if (typeof e !== 'object' || e === null) return null;
  const { type, status } = e as { type?: unknown; status?: unknown };
  switch (type) {
    case 'entity.parse.failed':
      return make(
        'malformed-json',
        'The request body is not valid JSON (a JSON object is expected).',
      );
    case 'entity.too.large':
      return make('payload-too-large', 'The request body exceeds 1 MB.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return make('unsupported-media-type', 'The request body must be UTF-8 JSON.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return make('validation', 'The request body could not be read.', undefined, 400);
    default:
      if (e instanceof URIError && status === 400) {
        return make('validation', 'The request path is not valid percent-encoding.');
      }
      if (typeof status === 'number' && status >= 400 && status < 500) {
        const known = Object.entries(PROBLEM_TYPES).find(([, t]) => t.status === status)?.[0] as
          ProblemSlug | undefined;
        return make(
          known ?? 'validation',
          'The request could not be processed.',
          undefined,
          status,
        );
      }
      return null;
  }
}

/** Map any thrown value to a problem and its headers. `ifMatchSent` decides 412 vs 409 on a revision conflict. */
export function toProblem(
  err: unknown,
  opts: { ifMatchSent: boolean },
): { problem: Problem; headers: Record<string, string> } {
  if (err instanceof HttpProblem) {
    return {
      problem: {
        ...make(err.slug, err.detail, err.extra.errors, err.extra.status),
        ...(err.extra.omittedErrors ? { omittedErrors: err.extra.omittedErrors } : {}),
      },
      headers: err.extra.headers ?? {},
    };
  }
  if (err instanceof BusyError) {
    return {
      problem: make(
        'too-many-requests',
        `A ${err.kind} is already running on this store; only one runs at a time. Retry later.`,
      ),
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
    };
  }
  if (err instanceof StoreUnavailableError) {
    const retry = Math.max(1, Math.ceil(err.retryAfterSeconds));
    return {
      problem: make(
        'store-unavailable',
        'The event store cannot be reached right now. Retry later.',
      ),
      headers: { 'Retry-After': String(retry) },
    };
  }
  const problem =
    typedErrorProblem(err, opts.ifMatchSent) ??
    bodyParserProblem(err) ??
    make('internal', 'An unexpected error occurred. It has been logged.');
  return { problem, headers: {} };
}
