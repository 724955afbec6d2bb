/**
 * The bulk path of the embedded store's many-event writes (`importEvents`, `appendMany`) into an
 * EMPTY store: the events table's two unique indexes (`id`; `(stream, revision)`) are dropped
 * before the load and built after it, in the caller's ONE transaction, so the load appends rows
 * to a bare table instead of updating two B-trees per row.
 *
 * The guarantees do not move, only where they are checked: during the load a duplicate id is
 * caught by a Set of the ids written in this transaction (the store is empty, so nothing else can
 * collide) and a wrong revision by the caller's in-memory stream heads, with the same errors as
 * the normal path (`DuplicateEventError`, `WrongExpectedRevisionError`, `ChainMismatchError`).
 * Building the unique indexes at the end is the final check: a duplicate the Set missed fails the
 * build, and with it the whole transaction. A crash mid-load rolls everything back, the dropped
 * indexes included (SQLite's DDL is transactional).
 *
 * A store made by migration 1 carries the two indexes as inline `UNIQUE` constraints, whose
 * automatic indexes cannot be dropped: its (empty) events table is made again without them, and
 * the indexes built at the end are named ones (`events_id`, `events_stream_revision`) over the
 * same columns. Both forms enforce the same constraints with the same error text.
 */
import type { Database as Db } from 'better-sqlite3';
import { DuplicateEventError } from '../errors.js';
import type { WriteContext } from './append.js';
import { insertOrDuplicate } from './errors.js';

/** The write context of a load; on the bulk path it carries the Set of the ids written so far. */
export type LoadContext = WriteContext & { bulkIds?: Set<string> };

/** Below this many events a write takes the normal path: dropping indexes would not pay. */
export const BULK_MIN_EVENTS = 256;

/** The events table of migration 1 without its inline UNIQUE constraints (see EVENT_INDEXES). */
const BARE_EVENTS_TABLE_SQL = `
  CREATE TABLE events (
    position INTEGER PRIMARY KEY,
    stream   TEXT    NOT NULL,
    revision INTEGER NOT NULL,
    id       TEXT    NOT NULL,
    type     TEXT    NOT NULL,
    data     TEXT    NOT NULL,
    metadata TEXT    NOT NULL,
    hash     TEXT    NOT NULL
  )`;

/** The store's unique indexes as named indexes, built after a bulk load. */
export const EVENT_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'events_id', sql: 'CREATE UNIQUE INDEX events_id ON events (id)' },
  {
    name: 'events_stream_revision',
    sql: 'CREATE UNIQUE INDEX events_stream_revision ON events (stream, revision)',
  },
];

/** No event and no stream head: nothing a bulk load could collide with. */
export function isEmptyStore(db: Db): boolean {
  const row = db
    .prepare('SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM streams) AS used')
    .get() as { used: number };
  return row.used === 0;
}

function dropEventIndexes(db: Db): void {
  const automatic = db
    .prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' " +
        "AND name LIKE 'sqlite_autoindex_events_%'",
    )
    .get() as { n: number };
  if (automatic.n > 0) {
    // Empty (checked by the caller): nothing is lost, and the table is the same but for the
    // constraints, which come back as the named unique indexes below.
    db.exec('DROP TABLE events');
    db.exec(BARE_EVENTS_TABLE_SQL);
  }
  for (const i of EVENT_INDEXES) db.exec(`DROP INDEX IF EXISTS ${i.name}`);
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Build the unique indexes: the final check of the load. A duplicate id is a DuplicateEventError. */
export function createEventIndexes(db: Db): void {
  for (const i of EVENT_INDEXES) {
    try {
      db.exec(i.sql);
    } catch (err) {
      if (isUniqueViolation(err) && i.name === 'events_id') {
        const dup = db
          .prepare('SELECT id FROM events GROUP BY id HAVING count(*) > 1 LIMIT 1')
          .get() as { id: string } | undefined;
        if (dup) throw new DuplicateEventError(dup.id);
      }
      throw err;
    }
  }
}

/**
 * Insert the event `id`: on the bulk path the Set of this load's ids answers for the (dropped)
 * unique index, otherwise the index does (`insertOrDuplicate`). Same error either way.
 */
export function insertEvent(ctx: LoadContext, id: string, insert: () => number | bigint): number {
  const seen = ctx.bulkIds;
  if (seen === undefined) return insertOrDuplicate(id, insert);
  if (seen.has(id)) throw new DuplicateEventError(id);
  seen.add(id);
  return Number(insert());
}

/**
 * Run `load` (which writes `count` events) on the bulk path when the store is empty and the
 * load is large enough, else as it is. Must run inside the caller's transaction. The
 * projections are the caller's, after this returns (the indexes are then back).
 */
export function bulkLoad<T>(ctx: WriteContext, count: number, load: (c: LoadContext) => T): T {
  if (count < BULK_MIN_EVENTS || !ctx.db.inTransaction || !isEmptyStore(ctx.db)) return load(ctx);
  dropEventIndexes(ctx.db);
  const result = load({ ...ctx, bulkIds: new Set<string>() });
  createEventIndexes(ctx.db);
  return result;
}
