/**
 * The prepared statements of the store on the `events` and `streams` tables (see schema.ts),
 * and the mapping of an `events` row to a StoredEvent. `events.position` is the rowid: it
 * only grows; `streams` holds each stream's head (last revision and hash).
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import type { EventMetadata, StoredEvent } from '../port.js';

export interface Row {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: string;
  metadata: string;
  hash: string;
}

export interface Statements {
  head: Statement<[string], { revision: number; hash: string }>;
  insert: Statement<[string, number, string, string, string, string, string]>;
  upsertHead: Statement<[string, number, string]>;
  readStream: Statement<[string, number], Row>;
  readAll: Statement<[number, number], Row>;
  readAllPrefix: Statement<[number, string, string, number], Row>;
  headPosition: Statement<[], { p: number | null }>;
  findEvent: Statement<[string], Row>;
  positionAt: Statement<[string, number], { position: number }>;
}

const COLS = 'position, stream, revision, id, type, data, metadata, hash';

export function prepareStatements(db: Db): Statements {
  return {
    head: db.prepare('SELECT revision, hash FROM streams WHERE stream = ?'),
    insert: db.prepare(
      'INSERT INTO events (stream, revision, id, type, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    upsertHead: db.prepare(
      'INSERT INTO streams (stream, revision, hash) VALUES (?, ?, ?) ' +
        'ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision, hash = excluded.hash',
    ),
    readStream: db.prepare(
      `SELECT ${COLS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`,
    ),
    readAll: db.prepare(`SELECT ${COLS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    readAllPrefix: db.prepare(
      `SELECT ${COLS} FROM events WHERE position > ? AND substr(stream, 1, length(?)) = ? ` +
        'ORDER BY position LIMIT ?',
    ),
    headPosition: db.prepare('SELECT max(position) AS p FROM events'),
    findEvent: db.prepare(`SELECT ${COLS} FROM events WHERE id = ?`),
    positionAt: db.prepare('SELECT position FROM events WHERE stream = ? AND revision = ?'),
  };
}

export function toStored(row: Row): StoredEvent {
  return {
    position: row.position,
    stream: row.stream,
    revision: row.revision,
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as unknown,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    hash: row.hash,
  };
}
