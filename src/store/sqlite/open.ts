/**
 * Opening the store's file: its directory is created when missing, WAL with the chosen
 * `synchronous` (FULL by default, so a committed transaction survives a power cut), a busy
 * timeout for writers of other processes, then the schema migrations. A failure to open is a
 * StoreUnavailableError and leaves no connection open.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.js';
import { mapSqliteError } from './errors.js';
import { migrate } from './schema.js';

export type SqliteSynchronous = 'FULL' | 'NORMAL' | 'OFF';

/** The data file inside a data dir. */
export const dataFile = (dataDir: string): string => path.join(dataDir, 'commitments.db');

export function openDatabase(opts: {
  file: string;
  synchronous?: SqliteSynchronous;
  busyTimeoutMs?: number;
  now: Date;
}): Db {
  const { file } = opts;
  const synchronous = opts.synchronous ?? 'FULL';
  if (!['FULL', 'NORMAL', 'OFF'].includes(synchronous)) {
    throw new TypeError(`synchronous must be FULL, NORMAL or OFF, not ${String(synchronous)}`);
  }
  let db: Db | undefined;
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file, { timeout: opts.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    // A larger WAL between checkpoints: pages rewritten by many commits (read-model rows,
    // index pages) are copied back once. Durability is unchanged.
    db.pragma('wal_autocheckpoint = 10000');
    migrate(db, opts.now.toISOString());
    return db;
  } catch (err) {
    if (db?.open) db.close();
    const mapped = mapSqliteError(err);
    if (mapped instanceof StoreUnavailableError) throw mapped;
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      throw new StoreUnavailableError(`cannot open event store ${file} (${code})`, 5, {
        cause: err,
      });
    }
    throw err;
  }
}
