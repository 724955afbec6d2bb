/**
 * How SQLite failures become the port's errors. Failures that mean "the store cannot be used
 * right now" (busy, locked, full, I/O, closed) become StoreUnavailableError, with a retry hint;
 * a second event with a stored id becomes DuplicateEventError. Anything else passes unchanged.
 */
import Database from 'better-sqlite3';
import { DuplicateEventError, StoreUnavailableError } from '../errors.js';

const UNAVAILABLE_CODES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_IOERR',
];

function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Database.SqliteError) return err.code;
  return undefined;
}

/** SQLite failures that mean "the store cannot be used right now" become StoreUnavailableError. */
export function mapSqliteError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  const code = sqliteCode(err);
  if (code && UNAVAILABLE_CODES.some((c) => code === c || code.startsWith(`${c}_`))) {
    const retry = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') ? 1 : 5;
    return new StoreUnavailableError(`event store unavailable (${code})`, retry, { cause: err });
  }
  if (err instanceof TypeError && /database connection is not open/i.test(err.message)) {
    return new StoreUnavailableError('event store is closed', 5, { cause: err });
  }
  return err;
}

/** Run an insert of the event `id`; a unique-id violation becomes DuplicateEventError. */
export function insertOrDuplicate(id: string, insert: () => number | bigint): number {
  try {
    return Number(insert());
  } catch (err) {
    if (
      sqliteCode(err) === 'SQLITE_CONSTRAINT_UNIQUE' &&
      /events\.id/.test((err as Error).message)
    ) {
      throw new DuplicateEventError(id);
    }
    throw err;
  }
}
