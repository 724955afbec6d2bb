/**
 * Every conversion between the tracker's event-store port and EventStoreDB (@eventstore/db-client v6),
 * in one place. Pure functions: no I/O, no clock. Unit-tested with the client's own types and errors
 * (test/unit/store/esdb-mapping.test.ts).
 *
 * Rules (see docs/operations.md, "EventStoreDB mapping"):
 * - revisions: ours start at 1, ESDB's at 0;
 * - expected revision: 'no_stream' → NO_STREAM, 'any' → ANY, n → n === 0 ? NO_STREAM : BigInt(n - 1);
 * - positions: our number is the ESDB commit position (a bigint, checked to be a safe integer);
 * - our metadata plus `hash` travel in the ESDB event's JSON metadata; event id = our id.
 */
import { ANY, NO_STREAM, START, jsonEvent } from '@eventstore/db-client';
import type {
  AppendExpectedRevision,
  EventData,
  Position,
  ReadPosition,
  RecordedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, ExpectedRevision, StoredEvent } from '../port.js';

import { COMMITMENT_STREAM_PREFIX } from '../port.js';
export { commitmentStream, COMMITMENT_STREAM_PREFIX } from '../port.js';

// ---------------------------------------------------------------- revisions

/** Our revision (1-based) → ESDB stream revision (0-based). */
export function toEsdbRevision(ours: number): bigint {
  if (!Number.isSafeInteger(ours) || ours < 1)
    throw new RangeError(`invalid revision ${ours}: revisions start at 1`);
  return BigInt(ours - 1);
}

/** ESDB stream revision (0-based) → our revision (1-based). */
export function fromEsdbRevision(esdb: bigint): number {
  if (esdb < 0n) throw new RangeError(`invalid ESDB revision ${esdb.toString()}`);
  const n = Number(esdb) + 1;
  if (!Number.isSafeInteger(n))
    throw new RangeError(`ESDB revision ${esdb.toString()} is beyond a safe integer`);
  return n;
}

/** Our expected revision → the client's AppendExpectedRevision. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (!Number.isSafeInteger(expected) || expected < 0)
    throw new RangeError(`invalid expected revision ${expected}`);
  return expected === 0 ? NO_STREAM : BigInt(expected - 1);
}

/** The client's CurrentRevision (`no_stream` or the 0-based revision of the last event) → our revision count. */
export function fromEsdbCurrentRevision(current: bigint | string): number {
  return typeof current === 'bigint' ? fromEsdbRevision(current) : 0;
}

// ---------------------------------------------------------------- positions

/** ESDB position (or bare commit position) → our numeric position: the commit position, checked. */
export function fromEsdbPosition(position: Position | bigint): number {
  const commit = typeof position === 'bigint' ? position : position.commit;
  const n = Number(commit);
  if (commit < 0n || !Number.isSafeInteger(n) || BigInt(n) !== commit) {
    throw new RangeError(
      `ESDB commit position ${commit.toString()} cannot be represented as a safe integer`,
    );
  }
  return n;
}

/** Our numeric position → ESDB position. ESDB (gRPC writes, implicit transactions) records commit = prepare = the event's log position. */
export function toEsdbPosition(position: number): Position {
  if (!Number.isSafeInteger(position) || position < 0)
    throw new RangeError(`invalid position ${position}`);
  return { commit: BigInt(position), prepare: BigInt(position) };
}

/**
 * Where to start reading $all so that every event after `after` is included. ESDB reads forwards
 * inclusively from a position, so callers must still skip events whose commit position ≤ after.
 */
export function readAllFrom(after: number): ReadPosition {
  return after === 0 ? START : toEsdbPosition(after);
}

// ---------------------------------------------------------------- streams

/** System streams (`$all` internals, `$stats-…`, metadata streams `$$…`, projections `$ce-…`) are never ours. */
export const isSystemStream = (stream: string): boolean => stream.startsWith('$');

/**
 * ESDB does not index event ids across streams. The adapter keeps its own index for caller-given ids:
 * one stream per id, created with NO_STREAM, whose single event names the stream that owns the id.
 */
export const EVENT_ID_INDEX_PREFIX = 'tracker-event-id-';
export const eventIdIndexStream = (id: string): string => `${EVENT_ID_INDEX_PREFIX}${id}`;
export const EVENT_ID_RESERVED = 'EventIdReserved';

/** Streams that are not part of the tracker's log: system streams and the event-id index. */
export const isInternalStream = (stream: string): boolean =>
  isSystemStream(stream) || stream.startsWith(EVENT_ID_INDEX_PREFIX);

/** Server-side filter regex (.NET syntax) for "every stream of the log". */
export const LOG_STREAMS_REGEX = `^(?!\\$|${EVENT_ID_INDEX_PREFIX})`;

// ---------------------------------------------------------------- events

/** Event ids are UUIDs; the server returns them in lower case whatever case they were sent in. */
export const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** `$streamDeleted` tombstones, `$metadata` and other events the server writes are never ours. */
export const isSystemEventType = (type: string): boolean => type.startsWith('$');

/**
 * Whether a record of $all (or of a stream) belongs to the tracker's log. System streams and events
 * (tombstones of hard-deleted streams included) and the event-id index are skipped. Records of other
 * applications sharing the server are skipped when they do not carry our metadata; in a commitment
 * stream such a record is not skipped but refused by fromRecordedEvent, since it is ours and damaged.
 */
export function isTrackerRecord(rec: {
  streamId: string;
  type: string;
  isJson: boolean;
  metadata?: unknown;
}): boolean {
  if (isInternalStream(rec.streamId) || isSystemEventType(rec.type)) return false;
  if (rec.streamId.startsWith(COMMITMENT_STREAM_PREFIX)) return true;
  const m = rec.metadata;
  return (
    rec.isJson &&
    m !== null &&
    typeof m === 'object' &&
    !(m instanceof Uint8Array) &&
    typeof (m as { hash?: unknown }).hash === 'string' &&
    typeof (m as { schemaVersion?: unknown }).schemaVersion === 'number'
  );
}

/**
 * What is stored in the ESDB event's JSON metadata: our metadata plus the chain hash, and the id as
 * it was given when it is not lower case (the server stores ids as UUID bytes and returns them in lower
 * case; an imported event's hash covers its original spelling).
 */
export interface EsdbEventMetadata extends EventMetadata {
  hash: string;
  originalId?: string;
}

/** A StoredEvent (hash computed, position not yet known) → the client's EventData. */
export function toEsdbEventData(event: Omit<StoredEvent, 'position'>): EventData {
  const metadata: EsdbEventMetadata = { ...event.metadata, hash: event.hash };
  if (event.id !== event.id.toLowerCase()) metadata.originalId = event.id;
  // Drop undefined members so the stored JSON and the hashed canonical JSON agree.
  const clean = JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>;
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client types data as JSONType (object, array or string); any JSON value serialises the same way.
    data: event.data as Record<string, unknown>,
    metadata: clean,
  });
}

function invalid(rec: { streamId: string; id: string }, why: string): Error {
  return new Error(`event ${rec.id} in ${rec.streamId} was not written by this tracker: ${why}`);
}

/** Read our metadata (and hash) back from the ESDB event metadata, checking its shape. */
export function parseEsdbMetadata(rec: {
  streamId: string;
  id: string;
  metadata: unknown;
}): EsdbEventMetadata {
  const m = rec.metadata;
  if (m === null || typeof m !== 'object' || m instanceof Uint8Array || Array.isArray(m)) {
    throw invalid(rec, 'metadata is not a JSON object');
  }
  const o = m as Record<string, unknown>;
  if (typeof o.hash !== 'string') throw invalid(rec, 'metadata has no hash');
  if (typeof o.recordedAt !== 'string') throw invalid(rec, 'metadata has no recordedAt');
  if (typeof o.recordedBy !== 'string') throw invalid(rec, 'metadata has no recordedBy');
  if (typeof o.schemaVersion !== 'number') throw invalid(rec, 'metadata has no schemaVersion');
  const out: EsdbEventMetadata = {
    recordedAt: o.recordedAt,
    recordedBy: o.recordedBy,
    schemaVersion: o.schemaVersion,
    hash: o.hash,
  };
  if (typeof o.requestId === 'string') out.requestId = o.requestId;
  if (typeof o.idempotencyKey === 'string') out.idempotencyKey = o.idempotencyKey;
  if (typeof o.requestHash === 'string') out.requestHash = o.requestHash;
  if (typeof o.originalId === 'string' && sameId(o.originalId, rec.id))
    out.originalId = o.originalId;
  return out;
}

/**
 * The client's RecordedEvent → our StoredEvent. The position comes from the record itself
 * (always present on $all reads; on stream reads from server 22.6 on) unless one is given.
 */
export function fromRecordedEvent(rec: RecordedEvent, position?: Position | bigint): StoredEvent {
  if (!rec.isJson) throw invalid(rec, 'content type is not application/json');
  const pos = position ?? rec.position;
  if (pos === undefined) {
    throw new Error(
      `EventStoreDB returned event ${rec.id} without a log position (server older than 22.6?)`,
    );
  }
  const { hash, originalId, ...metadata } = parseEsdbMetadata(rec);
  return {
    position: fromEsdbPosition(pos),
    stream: rec.streamId,
    revision: fromEsdbRevision(rec.revision),
    id: originalId ?? rec.id,
    type: rec.type,
    data: rec.data,
    metadata,
    hash,
  };
}

// ---------------------------------------------------------------- errors (translate-error.ts)

export {
  isRetryable,
  isStreamDeleted,
  isStreamNotFound,
  translateError,
  unavailableReason,
} from './translate-error.js';

// ---------------------------------------------------------------- connection strings

/**
 * KurrentDB speaks the EventStoreDB protocol, but client 6.x parses only `esdb://` and `esdb+discover://`.
 * The configuration accepts `kurrentdb://`, `kurrentdb+discover://` and `kdb://`: rewrite them to the
 * scheme the client parses. Anything else is left for the client to refuse.
 */
export function clientConnectionString(url: string): string {
  return url.replace(
    /^(kurrentdb|kdb)(\+discover)?:\/\//i,
    (_m, _s, discover: string | undefined) => (discover ? 'esdb+discover://' : 'esdb://'),
  );
}
