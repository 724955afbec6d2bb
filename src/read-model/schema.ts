/**
 * Schema of the SQLite read model. It lives in the same database file as the embedded event
 * store, or in `read-model.db` under DATA_DIR when the events live in EventStoreDB.
 *
 * Invariant: when the stored schema version differs from `READ_MODEL_SCHEMA_VERSION`,
 * `ensureReadModelSchema` drops and recreates the tables (checkpoint back to 0), so the next
 * catch-up rebuilds the rows.
 *
 * Tables (all prefixed `rm_` so they never collide with the store's own tables):
 * - `rm_commitments`: one row per commitment, with the indexed columns the queries filter on and
 *   the full CommitmentState as JSON (`state_json`). `parties_json` carries the parties in their
 *   recorded order for the agenda queries; `search` is the lower-cased title and quote for `q`.
 * - `rm_parties`, `rm_tags`: join tables, keyed (commitment_id, x) with an index on (x, commitment_id).
 * - `rm_agenda`: one row per agenda item (deadline / follow_up) of a non-closed commitment, stored
 *   in (date, commitment_id, item) order (the primary key of a WITHOUT ROWID table), so overdue and
 *   upcoming read a contiguous range with no lookup per row; a unique index on
 *   (commitment_id, item) serves the writer's deletes. The commitment's title and parties_json are
 *   copied into each row, so those queries never join rm_commitments.
 * - `rm_agenda_party`: the agenda items again, one row per party, keyed (party, date,
 *   commitment_id, item): a party's agenda page and its `total` read one range.
 * - `rm_agenda_days(date, item, n)`: how many rm_agenda rows fall on each date, per item (rows
 *   with n = 0 are removed), so an unfiltered agenda `total` is a sum over dates.
 * - `rm_checkpoint(name, position)`: position of the last applied event, written in the same
 *   transaction as the rows.
 * - `rm_meta(key, value)`: the schema version.
 */
import type { Database } from 'better-sqlite3';

/** Bump when the tables or the meaning of a column change: the read model is then rebuilt. */
export const READ_MODEL_SCHEMA_VERSION = 6;

export const CHECKPOINT_NAME = 'commitments';

const TABLES = [
  'rm_agenda_days',
  'rm_agenda_party',
  'rm_agenda',
  'rm_tags',
  'rm_parties',
  'rm_commitments',
  'rm_checkpoint',
  'rm_meta',
];

const TABLES_SQL = `
  CREATE TABLE IF NOT EXISTS rm_commitments (
    id             TEXT    NOT NULL PRIMARY KEY,
    status         TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    quote          TEXT    NOT NULL,
    due_latest     TEXT,
    next_follow_up TEXT,
    revision       INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    recorded_at    TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    parties_json   TEXT    NOT NULL,
    search         TEXT    NOT NULL,
    state_json     TEXT    NOT NULL
  );

  CREATE TABLE IF NOT EXISTS rm_parties (
    commitment_id TEXT NOT NULL,
    party         TEXT NOT NULL,
    PRIMARY KEY (commitment_id, party)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS rm_tags (
    commitment_id TEXT NOT NULL,
    tag           TEXT NOT NULL,
    PRIMARY KEY (commitment_id, tag)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS rm_agenda (
    commitment_id TEXT NOT NULL,
    item          TEXT NOT NULL,
    date          TEXT NOT NULL,
    title         TEXT NOT NULL,
    parties_json  TEXT NOT NULL,
    PRIMARY KEY (date, commitment_id, item)
  ) WITHOUT ROWID;
  -- Made with the table, not after a bulk load: the writer deletes a commitment's agenda rows by
  -- commitment_id, also during a position-ordered rebuild, and INSERT OR REPLACE relies on it.
  CREATE UNIQUE INDEX IF NOT EXISTS rm_agenda_commitment ON rm_agenda (commitment_id, item);

  -- The agenda by party: one row per (party, agenda item), in (party, date, …) order, so a
  -- party's overdue or upcoming items, and their count, are one contiguous range. The index on
  -- commitment_id serves the writer's deletes, as rm_agenda_commitment does.
  CREATE TABLE IF NOT EXISTS rm_agenda_party (
    party         TEXT NOT NULL,
    date          TEXT NOT NULL,
    commitment_id TEXT NOT NULL,
    item          TEXT NOT NULL,
    PRIMARY KEY (party, date, commitment_id, item)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS rm_agenda_party_commitment ON rm_agenda_party (commitment_id);

  -- How many agenda rows fall on each date, by item: the total of an unfiltered /overdue or
  -- /upcoming is a sum over at most a few thousand dates instead of a count of every row.
  CREATE TABLE IF NOT EXISTS rm_agenda_days (
    date TEXT    NOT NULL,
    item TEXT    NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (date, item)
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS rm_checkpoint (
    name     TEXT    NOT NULL PRIMARY KEY,
    position INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE IF NOT EXISTS rm_meta (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`;

/**
 * Secondary indexes: made after the bulk load in a rebuild, and after a bulk import into an
 * empty read model (`withIndexesAfterLoad`): faster than maintaining them row by row.
 * `rm_agenda_commitment` is not one of them (see TABLES_SQL).
 */
const SECONDARY_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'rm_commitments_status', sql: 'ON rm_commitments (status, id)' },
  { name: 'rm_commitments_kind', sql: 'ON rm_commitments (kind, id)' },
  { name: 'rm_commitments_due_latest', sql: 'ON rm_commitments (due_latest)' },
  { name: 'rm_commitments_next_follow_up', sql: 'ON rm_commitments (next_follow_up)' },
  { name: 'rm_parties_party', sql: 'ON rm_parties (party, commitment_id)' },
  { name: 'rm_tags_tag', sql: 'ON rm_tags (tag, commitment_id)' },
];

const INDEXES_SQL = SECONDARY_INDEXES.map(
  (i) => `CREATE INDEX IF NOT EXISTS ${i.name} ${i.sql};`,
).join('\n');

/** The secondary indexes' names, for tests and audits. */
export const SECONDARY_INDEX_NAMES: readonly string[] = SECONDARY_INDEXES.map((i) => i.name);

/** Below this many commitments written at once, `withIndexesAfterLoad` keeps the indexes. */
export const BULK_MIN_COMMITMENTS = 64;

/**
 * Run `write` (which writes `rows` commitments) with the secondary indexes built after it, when
 * the read model is empty, the write is large and the indexes exist (a rebuild drops them
 * itself): a bulk import into an empty store. Must run inside the caller's transaction, so a
 * failure or a crash brings the indexes back with everything else.
 */
export function withIndexesAfterLoad<T>(db: Database, rows: number, write: () => T): T {
  if (rows < BULK_MIN_COMMITMENTS || !db.inTransaction) return write();
  const used = db.prepare('SELECT EXISTS (SELECT 1 FROM rm_commitments) AS used').get() as {
    used: number;
  };
  if (used.used !== 0) return write();
  const present = new Set(
    (
      db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'index' " +
            "AND tbl_name IN ('rm_commitments', 'rm_parties', 'rm_tags')",
        )
        .all() as { name: string }[]
    ).map((r) => r.name),
  );
  const dropped = SECONDARY_INDEXES.filter((i) => present.has(i.name));
  if (dropped.length === 0) return write();
  for (const i of dropped) db.exec(`DROP INDEX ${i.name}`);
  const result = write();
  for (const i of dropped) db.exec(`CREATE INDEX ${i.name} ${i.sql}`);
  return result;
}

/** Create the tables (and, unless `withIndexes` is false, the secondary indexes) when missing. */
export function createReadModel(db: Database, withIndexes = true): void {
  db.exec(TABLES_SQL);
  if (withIndexes) createReadModelIndexes(db);
  db.prepare(
    `INSERT INTO rm_meta (key, value) VALUES ('schema_version', ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(String(READ_MODEL_SCHEMA_VERSION));
  db.prepare(
    'INSERT INTO rm_checkpoint (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING',
  ).run(CHECKPOINT_NAME);
}

export function createReadModelIndexes(db: Database): void {
  db.exec(INDEXES_SQL);
}

export function dropReadModel(db: Database): void {
  for (const t of TABLES) db.exec(`DROP TABLE IF EXISTS ${t}`);
}

function storedVersion(db: Database): number | null {
  const table = db
    .prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'rm_meta'")
    .get();
  if (!table) return null;
  const row = db.prepare("SELECT value FROM rm_meta WHERE key = 'schema_version'").get() as
    { value: string } | undefined;
  return row ? Number(row.value) : null;
}

/**
 * Create the read-model tables when missing, or drop and recreate them when they were made by
 * another schema version. Runs in one IMMEDIATE transaction (two processes may open the file).
 */
export function ensureReadModelSchema(db: Database): void {
  const run = db.transaction(() => {
    const v = storedVersion(db);
    if (v !== READ_MODEL_SCHEMA_VERSION) dropReadModel(db);
    createReadModel(db);
  });
  if (db.inTransaction) run();
  else run.immediate();
}
