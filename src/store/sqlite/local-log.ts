/**
 * The `LocalLog` capability of the embedded store: synchronous reads of its own events and
 * streams tables, for the read model's stream-by-stream rebuild, replay and verify.
 */
import type { Database } from 'better-sqlite3';
import { COMMITMENT_STREAM_PREFIX, type LocalLog, type RawEventRow } from '../port.js';

/** Streams of commitments are `commitment-…`: '.' is the character after '-'. */
const STREAM_LOW = COMMITMENT_STREAM_PREFIX;
const STREAM_HIGH = `${COMMITMENT_STREAM_PREFIX.slice(0, -1)}.`;

/**
 * One page of commitment events after (stream, revision), in (stream, revision) order. The row
 * value must lead the WHERE clause: with `stream >= low` in front, SQLite seeks on that bound and
 * every page rescans the log from its first stream (quadratic in the log's size).
 */
export const BY_STREAM_PAGE_SQL =
  'SELECT position, stream, revision, type, data, metadata FROM events ' +
  'WHERE (stream, revision) > (?, ?) AND stream < ? ORDER BY stream, revision LIMIT ?';

/** Keyset paging through the UNIQUE(stream, revision) index, so memory stays at one page. */
function* pagesByStream(db: Database, pageSize: number): Generator<RawEventRow[], void, undefined> {
  const limit = Math.max(1, pageSize);
  const page = db.prepare(BY_STREAM_PAGE_SQL).raw(true);
  let afterStream = STREAM_LOW;
  let afterRevision = 0;
  for (;;) {
    const rows = page.all(afterStream, afterRevision, STREAM_HIGH, limit) as RawEventRow[];
    const last = rows[rows.length - 1];
    if (last !== undefined) {
      afterStream = last[1];
      afterRevision = last[2];
    }
    yield rows;
    if (rows.length < limit) return;
  }
}

function readCommitmentsByStream(
  db: Database,
  pageSize: number,
  visit: (row: RawEventRow) => void,
  afterPage?: () => void,
): void {
  for (const rows of pagesByStream(db, pageSize)) {
    for (const row of rows) visit(row);
    afterPage?.();
  }
}

function firstUnreadableAfter(
  db: Database,
  after: number,
): { position: number; stream: string; revision: number } | null {
  const rows = db
    .prepare(
      'SELECT position, stream, revision, data, metadata FROM events WHERE position > ? ORDER BY position',
    )
    .iterate(after) as IterableIterator<{
    position: number;
    stream: string;
    revision: number;
    data: string;
    metadata: string;
  }>;
  for (const row of rows) {
    try {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    } catch {
      return { position: row.position, stream: row.stream, revision: row.revision };
    }
  }
  return null;
}

export function localLog(db: Database): LocalLog {
  return {
    sharesConnection: (connection) => connection === db,
    // A deferred transaction (a savepoint inside the caller's): one snapshot across the pages.
    readCommitmentsByStream: (pageSize, visit, afterPage) =>
      db.transaction(() => readCommitmentsByStream(db, pageSize, visit, afterPage)).deferred(),
    pagesOfCommitmentsByStream: (pageSize) => pagesByStream(db, pageSize),
    // `+stream`: no index on stream, so SQLite walks the rowid (position) backwards and stops
    // when the caller does, instead of sorting every commitment event first.
    commitmentMetadataNewestFirst: () =>
      db
        .prepare(
          'SELECT position, metadata FROM events WHERE +stream >= ? AND +stream < ? ORDER BY position DESC',
        )
        .raw(true)
        .iterate(STREAM_LOW, STREAM_HIGH) as IterableIterator<[number, string]>,
    firstUnreadableAfter: (after) => firstUnreadableAfter(db, after),
    streamHeads: () =>
      db.prepare('SELECT stream, revision, hash FROM streams').all() as Array<{
        stream: string;
        revision: number;
        hash: string;
      }>,
  };
}
