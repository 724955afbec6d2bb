/**
 * Appends of the EventStoreDB adapter.
 *
 * Invariants:
 * - the stream head (revision and hash) is read from the leader, so a lagging follower cannot make
 *   a decision on stale state; the chain hash of each new event is computed from it;
 * - every event id is reserved in the id index before the events are written (id-index.ts);
 * - events are written in appends of at most `maxAppendBytes` (the server's MaxAppendSize), each at
 *   the exact expected revision it continues; an event too large on its own is refused here;
 * - a write whose outcome is unknown (deadline, unavailable, not leader) is sent again unchanged: same
 *   ids, same expected revision, which the server answers as an idempotent repeat when the first one
 *   was stored. What is then at our revisions is read back from the leader and compared, id by id.
 */
import { randomUUID } from 'node:crypto';
import { START, WrongExpectedVersionError } from '@eventstore/db-client';
import { checkAtTheDoor, stampMetadata } from '../door.js';
import { DuplicateEventError, EventTooLargeError, WrongExpectedRevisionError } from '../errors.js';
import { GENESIS_HASH, eventHash } from '../hash-chain.js';
import type { AppendResult, ExpectedRevision, NewEvent, StoredEvent } from '../port.js';
import { type EsdbContext, guard, withRetry } from './context.js';
import { reserveIds } from './id-index.js';
import {
  sameId,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbRevision,
  translateError,
} from './mapping.js';
import { readStreamRaw } from './read.js';

export type UnstoredEvent = Omit<StoredEvent, 'position'>;

/** Most events in one append, whatever their size. */
const MAX_EVENTS_PER_APPEND = 500;
/** Bytes an event costs beyond its data, metadata and type (id, content type, framing): an overestimate. */
const EVENT_OVERHEAD_BYTES = 128;

/** What one event counts against the server's MaxAppendSize, over-estimated. */
export function appendBytes(e: UnstoredEvent): number {
  const data = toEsdbEventData(e);
  return (
    Buffer.byteLength(JSON.stringify(data.data)) +
    Buffer.byteLength(JSON.stringify(data.metadata ?? null)) +
    Buffer.byteLength(e.type) +
    EVENT_OVERHEAD_BYTES
  );
}

/** Split events into runs whose appends stay within `limit` bytes; one event over it is refused. */
export function chunkByBytes<T extends UnstoredEvent>(events: readonly T[], limit: number): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = appendBytes(e);
    if (size > limit) throw new EventTooLargeError(size, limit);
    if (chunk.length > 0 && (bytes + size > limit || chunk.length >= MAX_EVENTS_PER_APPEND)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(e);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Write one chunk right after `revision` (our revision count), resolving an ambiguous outcome. */
async function appendChunk(
  ctx: EsdbContext,
  stream: string,
  revision: number,
  chunk: readonly UnstoredEvent[],
  expected: ExpectedRevision,
): Promise<StoredEvent[]> {
  let ambiguous = false;
  let refused: unknown = null;
  try {
    await withRetry(
      ctx,
      `append to ${stream}`,
      () =>
        ctx.client.appendToStream(stream, chunk.map(toEsdbEventData), {
          expectedRevision: toEsdbExpectedRevision(revision === 0 ? 'no_stream' : revision),
          deadline: ctx.deadlineMs,
        }),
      () => {
        ambiguous = true;
      },
    );
  } catch (err) {
    // After an unknown outcome a "wrong expected version" may mean our own first attempt: read back.
    if (!(ambiguous && err instanceof WrongExpectedVersionError)) {
      throw translateError(err, { stream, expected });
    }
    refused = err;
  }
  // What is stored at our revisions gives each event's position, and shows when the server treated
  // the append as an idempotent repeat of events another writer stored first.
  const stored = await readStreamRaw(ctx, stream, toEsdbRevision(revision + 1), {
    maxCount: chunk.length,
    requiresLeader: true,
  });
  for (const [i, p] of chunk.entries()) {
    const s = stored[i];
    if (s && sameId(s.id, p.id) && s.hash === p.hash) continue;
    if (refused !== null) throw translateError(refused, { stream, expected });
    throw new DuplicateEventError(p.id);
  }
  return stored;
}

/** Write prepared events after `current`, in chunks under the append limit. */
export async function writeEvents(
  ctx: EsdbContext,
  stream: string,
  current: number,
  events: readonly UnstoredEvent[],
  expected: ExpectedRevision,
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let revision = current;
  for (const chunk of chunkByBytes(events, ctx.maxAppendBytes)) {
    out.push(...(await appendChunk(ctx, stream, revision, chunk, expected)));
    revision += chunk.length;
  }
  return out;
}

/** Give each new event its id (lower case: the server returns ids so), revision, metadata and hash. */
function prepare(
  ctx: EsdbContext,
  stream: string,
  existing: readonly StoredEvent[],
  events: readonly NewEvent[],
): UnstoredEvent[] {
  const known = new Set(existing.map((e) => e.id.toLowerCase()));
  const recordedAt = ctx.clock.now().toISOString();
  let prev = existing[existing.length - 1]?.hash ?? GENESIS_HASH;
  return events.map((e, i) => {
    const id = (e.id ?? randomUUID()).toLowerCase();
    if (known.has(id)) throw new DuplicateEventError(e.id ?? id);
    known.add(id);
    const metadata = stampMetadata(e.metadata, recordedAt);
    const part = {
      stream,
      revision: existing.length + i + 1,
      id,
      type: e.type,
      data: e.data,
      metadata,
    };
    const hash = eventHash(prev, part);
    prev = hash;
    return { ...part, hash };
  });
}

async function appendOnce(
  ctx: EsdbContext,
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  guard(ctx);
  // The whole stream, from the leader: its last revision and hash, and the ids already in it (ESDB
  // does not reject a repeated id when the expected revision matches, so duplicates are checked here).
  const existing = await readStreamRaw(ctx, stream, START, { requiresLeader: true });
  const current = existing.length;
  if (
    (expected === 'no_stream' && current !== 0) ||
    (typeof expected === 'number' && expected !== current)
  ) {
    throw new WrongExpectedRevisionError(stream, expected, current);
  }
  checkAtTheDoor(stream, events);
  const prepared = prepare(ctx, stream, existing, events);
  if (prepared.length === 0) {
    return { revision: current, position: existing[current - 1]?.position ?? 0, events: [] };
  }
  chunkByBytes(prepared, ctx.maxAppendBytes); // refuse an oversized event before reserving its id
  await reserveIds(
    ctx,
    prepared.map((p) => p.id),
    stream,
  );
  const stored = await writeEvents(ctx, stream, current, prepared, expected);
  const last = stored[stored.length - 1] as StoredEvent;
  return { revision: last.revision, position: last.position, events: stored };
}

/**
 * The port's append. With expectedRevision 'any' a race with another writer is retried (the chain
 * stays intact: each attempt appends at the revision it read).
 */
export async function append(
  ctx: EsdbContext,
  stream: string,
  events: NewEvent[],
  options: { expectedRevision: ExpectedRevision },
): Promise<AppendResult> {
  const attempts = options.expectedRevision === 'any' ? Math.max(1, ctx.opts.anyRetries ?? 5) : 1;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await appendOnce(ctx, stream, events, options.expectedRevision);
    } catch (err) {
      if (err instanceof WrongExpectedRevisionError && attempt < attempts) continue;
      throw err;
    }
  }
}
