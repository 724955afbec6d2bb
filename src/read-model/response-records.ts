/**
 * Stored responses to keyed HTTP writes, kept in the local SQLite database next to the read
 * model so they survive restarts. Implements the `ResponseRecords` port of
 * src/http/idempotency.ts (structurally: this layer does not import HTTP).
 * Invariant: the first record for a (scope, key) wins; later puts are ignored, unless the
 * stored one is older than the expiry cutoff they pass (then it is replaced).
 * Records older than the idempotency window are swept in small batches (`sweep`), by an index on
 * `created_at`, so a sweep never holds the database for long.
 */
import type { Database } from 'better-sqlite3';

export interface ResponseRecordRow {
  requestHash: string;
  status: number;
  body: string;
  headersJson: string;
}

export interface SqliteResponseRecords {
  get(scope: string, key: string): (ResponseRecordRow & { createdAt: string }) | undefined;
  put(
    scope: string,
    key: string,
    record: ResponseRecordRow,
    createdAt: string,
    replaceOlderThan?: string,
  ): void;
  /** Delete at most `limit` records created before `before`; returns how many went. */
  sweep(before: string, limit: number): number;
  /** Size in bytes of every stored body and headers (for tests and operations). */
  storedBytes(): number;
}

export function sqliteResponseRecords(db: Database): SqliteResponseRecords {
  db.exec(`CREATE TABLE IF NOT EXISTS http_idempotency (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (scope, key)
  )`);
  db.exec('CREATE INDEX IF NOT EXISTS http_idempotency_created ON http_idempotency (created_at)');
  const get = db.prepare<[string, string], ResponseRecordRow & { createdAt: string }>(
    `SELECT request_hash AS requestHash, status, body, headers_json AS headersJson,
            created_at AS createdAt
       FROM http_idempotency WHERE scope = ? AND key = ?`,
  );
  const put = db.prepare(
    `INSERT INTO http_idempotency (scope, key, request_hash, status, body, headers_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope, key) DO UPDATE SET
       request_hash = excluded.request_hash, status = excluded.status, body = excluded.body,
       headers_json = excluded.headers_json, created_at = excluded.created_at
     WHERE http_idempotency.created_at < ?`,
  );
  const sweep = db.prepare(
    `DELETE FROM http_idempotency WHERE rowid IN (
       SELECT rowid FROM http_idempotency WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
  );
  const size = db.prepare<[], { n: number | null }>(
    'SELECT SUM(LENGTH(CAST(body AS BLOB)) + LENGTH(CAST(headers_json AS BLOB))) AS n FROM http_idempotency',
  );
  return {
    get: (scope, key) => get.get(scope, key),
    put: (scope, key, r, createdAt, replaceOlderThan) =>
      void put.run(
        scope,
        key,
        r.requestHash,
        r.status,
        r.body,
        r.headersJson,
        createdAt,
        replaceOlderThan ?? '',
      ),
    sweep: (before, limit) => sweep.run(before, limit).changes,
    storedBytes: () => size.get()?.n ?? 0,
  };
}
