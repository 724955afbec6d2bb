/**
 * Schema of the embedded event store. Migrations are numbered and recorded in
 * `event_store_migrations` (not `PRAGMA user_version`, which the read model in the same
 * file may want for itself). Each migration runs once, inside one IMMEDIATE transaction,
 * so two processes opening a fresh file at once do not both apply it.
 */
import type { Database } from 'better-sqlite3';

interface Migration {
  version: number;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE IF NOT EXISTS events (
        -- The rowid: max + 1 on insert. Events are never deleted, so positions only grow
        -- (without AUTOINCREMENT, whose sqlite_sequence page would be written on every commit).
        -- Deleting the last event is tampering; verify reports it from the stream heads below.
        position INTEGER PRIMARY KEY,
        stream   TEXT    NOT NULL,
        revision INTEGER NOT NULL,
        id       TEXT    NOT NULL UNIQUE,
        type     TEXT    NOT NULL,
        data     TEXT    NOT NULL,
        metadata TEXT    NOT NULL,
        hash     TEXT    NOT NULL,
        UNIQUE (stream, revision)
      );
      CREATE TABLE IF NOT EXISTS streams (
        stream   TEXT    PRIMARY KEY,
        revision INTEGER NOT NULL,
        hash     TEXT    NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

export const STORE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function migrate(db: Database, appliedAt: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS event_store_migrations (
    version    INTEGER PRIMARY KEY,
    applied_at TEXT    NOT NULL
  )`);
  const run = db.transaction(() => {
    const row = db.prepare('SELECT max(version) AS v FROM event_store_migrations').get() as {
      v: number | null;
    };
    const current = row.v ?? 0;
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO event_store_migrations (version, applied_at) VALUES (?, ?)').run(
        m.version,
        appliedAt,
      );
    }
  });
  run.immediate();
}
