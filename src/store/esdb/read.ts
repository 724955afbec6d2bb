/**
 * Reads of the EventStoreDB adapter: one stream, pages of $all, the head of the log.
 *
 * Invariants: every read is paged (READ_BATCH records per call, each call bounded by the deadline and
 * retried when retryable); records that are not the tracker's (system events such as `$streamDeleted`
 * tombstones, the event-id index, other applications' events) never leave this module; a read that a
 * decision depends on asks for the leader (`requiresLeader`), since a follower may lag behind it.
 * `after` on $all must be 0 or the position of a stored event: the server refuses any other offset.
 */
import {
  BACKWARDS,
  END,
  FORWARDS,
  InvalidArgumentError,
  NotFoundError,
  START,
  UnknownError,
} from '@eventstore/db-client';
import type {
  AllStreamResolvedEvent,
  ReadPosition,
  ReadRevision,
  ResolvedEvent,
} from '@eventstore/db-client';
import { InvalidPositionError } from '../errors.js';
import type { ReadAllOptions, StoredEvent } from '../port.js';
import { type EsdbContext, drain, guard, withRetry } from './context.js';
import {
  fromEsdbPosition,
  fromRecordedEvent,
  isStreamDeleted,
  isStreamNotFound,
  isTrackerRecord,
  readAllFrom,
  toEsdbRevision,
  translateError,
} from './mapping.js';

export const READ_BATCH = 200;

export interface StreamReadOptions {
  maxCount?: number;
  /** Read from the leader: the caller decides something from what it reads. */
  requiresLeader?: boolean;
}

/** One batch of a stream from an ESDB revision, raw. Missing or hard-deleted stream → []. */
async function readStreamBatch(
  ctx: EsdbContext,
  stream: string,
  from: ReadRevision,
  maxCount: number,
  requiresLeader: boolean,
): Promise<ResolvedEvent[]> {
  const out: ResolvedEvent[] = [];
  try {
    await withRetry(ctx, `read of ${stream}`, async () => {
      out.length = 0;
      await drain(
        ctx,
        ctx.client.readStream(stream, {
          fromRevision: from,
          direction: FORWARDS,
          maxCount,
          requiresLeader,
        }),
        (r: ResolvedEvent) => void out.push(r),
      );
    });
  } catch (err) {
    if (isStreamNotFound(err) || isStreamDeleted(err)) return [];
    throw translateError(err, { stream });
  }
  return out;
}

/** Read a stream forward from an ESDB revision, the tracker's events only. */
export async function readStreamRaw(
  ctx: EsdbContext,
  stream: string,
  from: ReadRevision,
  options: StreamReadOptions = {},
): Promise<StoredEvent[]> {
  guard(ctx);
  const out: StoredEvent[] = [];
  const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
  let position = from;
  for (;;) {
    const want = Math.min(READ_BATCH, limit - out.length);
    const batch = await readStreamBatch(
      ctx,
      stream,
      position,
      want,
      options.requiresLeader ?? false,
    );
    for (const r of batch) {
      if (r.event && isTrackerRecord(r.event)) out.push(fromRecordedEvent(r.event));
    }
    const last = batch[batch.length - 1]?.event;
    if (batch.length < want || !last || out.length >= limit) return out;
    position = last.revision + 1n;
  }
}

/** The port's readStream: from the leader, since commands decide from it. */
export function readStream(
  ctx: EsdbContext,
  stream: string,
  options: { fromRevision?: number } = {},
): Promise<StoredEvent[]> {
  const from =
    options.fromRevision !== undefined && options.fromRevision > 1
      ? toEsdbRevision(options.fromRevision)
      : START;
  return readStreamRaw(ctx, stream, from, { requiresLeader: true });
}

type Direction = typeof FORWARDS | typeof BACKWARDS;

/**
 * The server's answer to a read of $all from an offset where no record starts: InvalidPosition,
 * which client 6 has no class for (an UnknownError, or another status mapped to a generic class).
 */
export const isInvalidPositionAnswer = (err: unknown): boolean =>
  err instanceof UnknownError ||
  err instanceof InvalidArgumentError ||
  err instanceof NotFoundError;

/** One batch of $all; `exactStart` is the commit position the first record must have. */
async function readAllBatch(
  ctx: EsdbContext,
  from: ReadPosition,
  direction: Direction,
  exactStart: number | null,
): Promise<AllStreamResolvedEvent[]> {
  const out: AllStreamResolvedEvent[] = [];
  try {
    await withRetry(ctx, 'read of $all', async () => {
      out.length = 0;
      await drain(
        ctx,
        ctx.client.readAll({ fromPosition: from, direction, maxCount: READ_BATCH }),
        (r: AllStreamResolvedEvent) => void out.push(r),
      );
    });
  } catch (err) {
    if (exactStart !== null && isInvalidPositionAnswer(err)) {
      throw new InvalidPositionError(exactStart);
    }
    throw translateError(err);
  }
  if (exactStart !== null) {
    const first = out[0]?.event;
    if (!first || fromEsdbPosition(first.position) !== exactStart) {
      throw new InvalidPositionError(exactStart);
    }
  }
  return out;
}

/**
 * Scan $all in batches from `from` in `direction`, handing every tracker event to `visit` (return
 * false to stop). `after` (forwards only) is exclusive and must be 0 or a record's position.
 */
export async function scanAll(
  ctx: EsdbContext,
  direction: Direction,
  after: number | 'end',
  visit: (e: StoredEvent) => boolean | void,
): Promise<void> {
  guard(ctx);
  let position: ReadPosition = after === 'end' ? END : readAllFrom(after);
  let boundary: bigint | null = after === 'end' || after === 0 ? null : BigInt(after);
  let exactStart: number | null = after === 'end' || after === 0 ? null : after;
  for (;;) {
    const batch = await readAllBatch(ctx, position, direction, exactStart);
    exactStart = null;
    for (const r of batch) {
      const ev = r.event;
      if (!ev) continue;
      const commit = ev.position.commit;
      // Reads are inclusive: skip the record at the boundary (the last one seen, or `after`).
      if (boundary !== null && (direction === FORWARDS ? commit <= boundary : commit >= boundary))
        continue;
      if (isTrackerRecord(ev) && visit(fromRecordedEvent(ev)) === false) return;
    }
    const last = batch[batch.length - 1]?.event;
    if (batch.length < READ_BATCH || !last) return;
    boundary = last.position.commit;
    position = last.position;
  }
}

export async function readAll(ctx: EsdbContext, options: ReadAllOptions): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  if (options.limit <= 0) return out;
  const prefix = options.streamPrefix;
  await scanAll(ctx, FORWARDS, options.after, (e) => {
    if (prefix !== undefined && !e.stream.startsWith(prefix)) return true;
    out.push(e);
    return out.length < options.limit;
  });
  return out;
}

/** Position of the newest tracker event, 0 when there is none. */
export async function headPosition(ctx: EsdbContext): Promise<number> {
  let found = 0;
  await scanAll(ctx, BACKWARDS, 'end', (e) => {
    found = e.position;
    return false;
  });
  return found;
}
