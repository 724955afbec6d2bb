/**
 * Reads: one stream from a revision, the log (or the streams under a prefix) after a position
 * in pages, the head position, and one event by id. All synchronous; the store wraps them in
 * promises for the port.
 */
import type { ReadAllOptions, StoredEvent } from '../port.js';
import { toStored, type Statements } from './statements.js';

export function readStream(stmt: Statements, stream: string, fromRevision = 1): StoredEvent[] {
  return stmt.readStream.all(stream, fromRevision).map(toStored);
}

export function readAll(stmt: Statements, options: ReadAllOptions): StoredEvent[] {
  const limit = Math.max(0, Math.floor(options.limit));
  const prefix = options.streamPrefix;
  const rows =
    prefix !== undefined && prefix !== ''
      ? stmt.readAllPrefix.all(options.after, prefix, prefix, limit)
      : stmt.readAll.all(options.after, limit);
  return rows.map(toStored);
}

export function headPosition(stmt: Statements): number {
  return stmt.headPosition.get()?.p ?? 0;
}

export function findEvent(stmt: Statements, id: string): StoredEvent | null {
  const row = stmt.findEvent.get(id);
  return row ? toStored(row) : null;
}
