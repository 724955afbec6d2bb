/**
 * The baselines of issue 7, measured in the same run with the same pragmas (WAL, synchronous=FULL):
 * - raw better-sqlite3 single-row insert per transaction (append.single);
 * - raw better-sqlite3 inserts in one transaction (append.import);
 * - a bare express + zod + one better-sqlite3 insert app (http.write): children/baseline-server.ts;
 * - read all rows + JSON.parse + fold into a Map (rebuild, replay.knownAt): children/rebuild.ts `baseline`.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openRaw } from './lib.js';
import type { ImportBatch } from './generate.js';

const RAW_TABLE =
  'CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL)';

/** Raw single-row inserts, each its own (durable) transaction, for `ms` milliseconds. Returns rows written. */
export function rawSingleInserts(
  dir: string,
  ms: number,
  next: () => { stream: string; data: unknown },
): number {
  const db = openRaw(path.join(dir, 'raw-single.db'));
  db.exec(RAW_TABLE);
  const insert = db.prepare(
    'INSERT INTO events (stream, revision, type, data, recorded_at) VALUES (?, ?, ?, ?, ?)',
  );
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const e = next();
    insert.run(
      e.stream,
      n + 1,
      'ProgressReported',
      JSON.stringify(e.data),
      new Date().toISOString(),
    );
    n += 1;
  }
  db.close();
  return n;
}

/** Raw inserts of a whole import inside ONE transaction; `add` is timed by the caller per chunk. */
export class RawBulkImport {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  constructor(dir: string) {
    this.db = openRaw(path.join(dir, 'raw-bulk.db'));
    this.db.exec(RAW_TABLE);
    this.insert = this.db.prepare(
      'INSERT INTO events (stream, revision, type, data, recorded_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.exec('BEGIN IMMEDIATE');
  }
  add(chunk: readonly ImportBatch[]): number {
    let n = 0;
    for (const b of chunk) {
      let rev = b.expectedRevision;
      for (const e of b.events) {
        rev += 1;
        this.insert.run(b.stream, rev, e.type, JSON.stringify(e.data), b.recordedAt);
        n += 1;
      }
    }
    return n;
  }
  commit(): void {
    this.db.exec('COMMIT');
    this.db.close();
  }
}
