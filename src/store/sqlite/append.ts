/**
 * Appending to one stream; must run inside a transaction. The expected revision is checked
 * against the stream head (`no_stream` and 0: the stream must not exist; `any`: no check; a
 * number: the head's revision), each event gets the next revision, its hash chains from the
 * previous one, and the stream head and inline projections are written in the same
 * transaction, so a failure leaves nothing behind.
 */
import type { Database as Db } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { Clock } from '../../domain/clock.js';
import { checkAtTheDoor, stampMetadata } from '../door.js';
import { WrongExpectedRevisionError } from '../errors.js';
import { GENESIS_HASH, eventHashOfJson, type StreamHead } from '../hash-chain.js';
import type { AppendResult, ExpectedRevision, NewEvent, StoredEvent } from '../port.js';
import { bulkLoad, insertEvent, type LoadContext } from './bulk-load.js';
import { fastCanonicalJson } from './canonical.js';
import type { Statements } from './statements.js';

/** Called inside each append's savepoint with the stored events; throwing fails that append. */
export type InlineProjection = (db: Db, events: StoredEvent[]) => void;

/** What the write paths share: the connection, its statements, the clock and the projections. */
export interface WriteContext {
  db: Db;
  stmt: Statements;
  clock: Clock;
  projections: readonly InlineProjection[];
}

function expectationHolds(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  return typeof expected === 'number' && actual === expected;
}

/**
 * Append `events` to `stream`. With `heads`, stream heads are read from and written to that
 * map (a bulk append writes them, and runs the projections, once at the end) instead of the
 * streams table.
 */
export function appendToStream(
  ctx: LoadContext,
  stream: string,
  events: NewEvent[],
  expected: ExpectedRevision,
  heads?: Map<string, StreamHead>,
): AppendResult {
  checkAtTheDoor(stream, events);
  const head = heads?.get(stream) ?? ctx.stmt.head.get(stream);
  const actual = head?.revision ?? 0;
  if (!expectationHolds(expected, actual))
    throw new WrongExpectedRevisionError(stream, expected, actual);

  if (events.length === 0) {
    const position = actual === 0 ? 0 : (ctx.stmt.positionAt.get(stream, actual)?.position ?? 0);
    return { revision: actual, position, events: [] };
  }

  const recordedAt = ctx.clock.now().toISOString();
  let prev = head?.hash ?? GENESIS_HASH;
  let revision = actual;
  const stored: StoredEvent[] = new Array<StoredEvent>(events.length);
  for (let i = 0; i < events.length; i += 1) {
    const e = events[i] as NewEvent;
    revision += 1;
    // Time-ordered ids (UUID v7) land on the same page of the `id` index, not a random one.
    const id = e.id ?? uuidv7();
    const metadata = stampMetadata(e.metadata, recordedAt);
    const dataJson = fastCanonicalJson(e.data);
    const metadataJson = fastCanonicalJson(metadata);
    const hash = eventHashOfJson(
      prev,
      { stream, revision, id, type: e.type },
      dataJson,
      metadataJson,
    );
    const position = insertEvent(
      ctx,
      id,
      () =>
        ctx.stmt.insert.run(stream, revision, id, e.type, dataJson, metadataJson, hash)
          .lastInsertRowid,
    );
    // The data as stored (canonical: sorted keys), not the caller's object: the inline
    // projection then folds exactly what a rebuild folds, and its rows are the same text.
    const data: unknown = JSON.parse(dataJson);
    stored[i] = { position, stream, revision, id, type: e.type, data, metadata, hash };
    prev = hash;
  }
  if (heads) {
    heads.set(stream, { revision, hash: prev });
  } else {
    ctx.stmt.upsertHead.run(stream, revision, prev);
    for (const fn of ctx.projections) fn(ctx.db, stored);
  }
  const last = stored[stored.length - 1] as StoredEvent;
  return { revision, position: last.position, events: stored };
}

/** One stream's events for `appendMany`. */
export interface AppendBatch {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

/**
 * Many streams in one transaction (the caller's). Heads are kept in memory and written once
 * per stream; the projections run once, over every stored event in position order, so a
 * commitment touched by many batches is written once. Into an empty store a large call takes
 * the bulk path (bulk-load.ts: unique indexes built after the load, same checks and errors).
 */
export function appendBatches(ctx: WriteContext, batches: readonly AppendBatch[]): AppendResult[] {
  const count = batches.reduce((n, b) => n + b.events.length, 0);
  const results = bulkLoad(ctx, count, (c) => {
    const heads = new Map<string, StreamHead>();
    const written = batches.map((b) =>
      appendToStream(c, b.stream, b.events, b.expectedRevision, heads),
    );
    for (const [stream, h] of heads) c.stmt.upsertHead.run(stream, h.revision, h.hash);
    return written;
  });
  const stored = results.flatMap((r) => r.events).sort((a, b) => a.position - b.position);
  if (stored.length > 0) for (const fn of ctx.projections) fn(ctx.db, stored);
  return results;
}
