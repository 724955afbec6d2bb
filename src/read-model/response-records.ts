/**
 * Stored responses to keyed HTTP writes, kept in the local SQLite database next to the read
 * model so they survive restarts. Implements the `ResponseRecords` port of
 * src/http/idempotency.ts (structurally: this layer does not import HTTP).
 * Invariant: the first record for a (scope, key) wins; later puts are ignored.
 */
import type { Database } from 'better-sqlite3';

export interface ResponseRecordRow {
  requestHash: string;
  status: number;
  body: string;
  headersJson: string;
}

export interface SqliteResponseRecords {
  get(scope: string, key: string): ResponseRecordRow | undefined;
  put(scope: string, key: string, record: ResponseRecordRow, createdAt: string): void;
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
  const get = db.prepare<[string, string], ResponseRecordRow>(
    `SELECT request_hash AS requestHash, status, body, headers_json AS headersJson
       FROM http_idempotency WHERE scope = ? AND key = ?`,
  );
  const put = db.prepare(
    `INSERT INTO http_idempotency (scope, key, request_hash, status, body, headers_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO NOTHING`,
  );
  return {
    get: (scope, key) => get.get(scope, key),
    put: (scope, key, r, createdAt) =>
      void put.run(scope, key, r.requestHash, r.status, r.body, r.headersJson, createdAt),
  };
}
