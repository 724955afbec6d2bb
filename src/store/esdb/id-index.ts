/**
 * The event-id index of the EventStoreDB adapter. ESDB does not index event ids across streams, so the
 * adapter keeps one index stream per id (`tracker-event-id-<id>`, created with NO_STREAM so two writers
 * cannot both win) whose single event names the stream that owns the id.
 *
 * Invariant: every id is reserved here before an append or import that stores it, generated ids
 * included, so the index is authoritative: findEvent never scans the log. A reservation whose append
 * then failed points at a stream without the id; findEvent answers null for it, and a later append of
 * the same id to that stream may reuse the reservation.
 */
import { START, NO_STREAM, WrongExpectedVersionError, jsonEvent } from '@eventstore/db-client';
import type { ResolvedEvent } from '@eventstore/db-client';
import { DuplicateEventError } from '../errors.js';
import type { StoredEvent } from '../port.js';
import { type EsdbContext, drain, guard, withRetry } from './context.js';
import {
  EVENT_ID_RESERVED,
  eventIdIndexStream,
  isStreamNotFound,
  sameId,
  translateError,
} from './mapping.js';
import { readStreamRaw } from './read.js';

/** How many reservations are in flight at once. */
const RESERVE_CONCURRENCY = 16;

/** The stream that reserved an event id, or null. Read from the leader: duplicates are decided on it. */
export async function reservedBy(ctx: EsdbContext, id: string): Promise<string | null> {
  guard(ctx);
  let owner: string | null = null;
  try {
    await withRetry(ctx, 'read of the event-id index', () =>
      drain(
        ctx,
        ctx.client.readStream(eventIdIndexStream(id.toLowerCase()), {
          fromRevision: START,
          maxCount: 1,
          requiresLeader: true,
        }),
        (r: ResolvedEvent) => {
          const data = r.event?.data as { stream?: unknown } | undefined;
          if (typeof data?.stream === 'string') owner = data.stream;
        },
      ),
    );
  } catch (err) {
    if (isStreamNotFound(err)) return null;
    throw translateError(err);
  }
  return owner;
}

/** Reserve one id for `stream`. Reserved by another stream → DuplicateEventError. */
async function reserveOne(ctx: EsdbContext, id: string, stream: string): Promise<void> {
  try {
    await withRetry(ctx, 'reservation of an event id', () =>
      ctx.client.appendToStream(
        eventIdIndexStream(id.toLowerCase()),
        jsonEvent({ type: EVENT_ID_RESERVED, data: { stream } }),
        { expectedRevision: NO_STREAM, deadline: ctx.deadlineMs },
      ),
    );
  } catch (err) {
    // A retried reservation that the first attempt stored also lands here; the owner check settles it.
    if (!(err instanceof WrongExpectedVersionError)) throw translateError(err);
    const owner = await reservedBy(ctx, id);
    if (owner !== stream) throw new DuplicateEventError(id);
  }
}

/** Reserve every id for `stream`, several at a time. The first refusal is thrown once all settled. */
export async function reserveIds(
  ctx: EsdbContext,
  ids: readonly string[],
  stream: string,
): Promise<void> {
  const failures: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      try {
        await reserveOne(ctx, id, stream);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESERVE_CONCURRENCY, ids.length) }, worker));
  const dup = failures.find((f) => f instanceof DuplicateEventError);
  if (dup !== undefined || failures.length > 0) throw dup ?? failures[0];
}

/** An event by id through the index: one index read and one stream read, never a scan. */
export async function findEvent(ctx: EsdbContext, id: string): Promise<StoredEvent | null> {
  const owner = await reservedBy(ctx, id);
  if (owner === null) return null;
  const events = await readStreamRaw(ctx, owner, START, { requiresLeader: true });
  return events.find((e) => sameId(e.id, id)) ?? null;
}
