/**
 * The per-stream hash chain, the one home of its rules. Every adapter computes it the same way:
 *   hash = sha256(previousHashInStream + canonicalJson(hashedPart(event)))
 * The first event of a stream uses the empty string as previous hash.
 * The hashed part leaves out `position` (assigned by the store after hashing, and
 * different after a migration) and `hash` itself.
 * An event continues its stream's chain when its revision is the head's + 1 and its hash
 * is computed from the head's hash (`continuesChain`); the audit, the stores' imports and
 * the CLI's import planner all ask that one function.
 */
import { hash as oneShotHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.js';
import { ChainMismatchError, WrongExpectedRevisionError } from './errors.js';
import type { EventMetadata, StoredEvent } from './port.js';

export const GENESIS_HASH = '';

export { canonicalJson };

export interface HashedPart {
  stream: string;
  revision: number;
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

export function eventHash(previousHash: string, event: HashedPart): string {
  return eventHashOfJson(
    previousHash,
    event,
    canonicalJson(event.data),
    canonicalJson(event.metadata),
  );
}

/**
 * `eventHash` from the canonical JSON of the data and metadata, for a store that has already
 * written that text (it is also what it stores), so canonicalisation runs once per event.
 * The members are written in canonical (sorted) order: data, id, metadata, revision, stream, type.
 */
export function eventHashOfJson(
  previousHash: string,
  event: Pick<HashedPart, 'stream' | 'revision' | 'id' | 'type'>,
  dataJson: string,
  metadataJson: string,
): string {
  const body = `{"data":${dataJson},"id":${JSON.stringify(event.id)},"metadata":${metadataJson},"revision":${event.revision},"stream":${JSON.stringify(event.stream)},"type":${JSON.stringify(event.type)}}`;
  return oneShotHash('sha256', previousHash + body, 'hex');
}

/** The last event of a stream as the chain sees it; `undefined` for a stream with no events. */
export interface StreamHead {
  revision: number;
  hash: string;
}

export type ChainContinuation =
  | { ok: true }
  | { ok: false; problem: 'revision'; expectedRevision: number }
  | { ok: false; problem: 'hash' };

/**
 * Does `event` continue the chain of the stream whose head is `head`? Its revision must be the
 * head's + 1 (1 on an empty stream) and its hash must be computed from the head's hash and its
 * own content. `hashOf` lets a store pass a faster computation of the same `eventHash`.
 */
export function continuesChain(
  head: StreamHead | undefined,
  event: HashedPart & { hash: string },
  hashOf: (previousHash: string, event: HashedPart) => string = eventHash,
): ChainContinuation {
  const expectedRevision = (head?.revision ?? 0) + 1;
  if (event.revision !== expectedRevision)
    return { ok: false, problem: 'revision', expectedRevision };
  if (hashOf(head?.hash ?? GENESIS_HASH, event) !== event.hash)
    return { ok: false, problem: 'hash' };
  return { ok: true };
}

/**
 * `continuesChain`, answered as the stores' imports answer it: a wrong revision is a
 * WrongExpectedRevisionError (from the head's revision), a wrong hash a ChainMismatchError.
 */
export function assertContinuesChain(
  head: StreamHead | undefined,
  event: HashedPart & { hash: string },
  hashOf?: (previousHash: string, event: HashedPart) => string,
): void {
  const step = continuesChain(head, event, hashOf);
  if (!step.ok && step.problem === 'revision') {
    throw new WrongExpectedRevisionError(event.stream, event.revision - 1, head?.revision ?? 0);
  }
  if (!step.ok) throw new ChainMismatchError(event.stream, event.revision, event.id);
}

export interface ChainBreak {
  stream: string;
  revision: number;
  reason: string;
}

/**
 * `continuesChain`, answered as a report: null when `event` continues the chain of the stream
 * whose head is `head`, else where and why it breaks (the audit and `verifyStreamChain` say it
 * the same way).
 */
export function chainBreak(
  head: StreamHead | undefined,
  event: HashedPart & { hash: string },
): ChainBreak | null {
  const step = continuesChain(head, event);
  if (step.ok) return null;
  if (step.problem === 'revision') {
    return {
      stream: event.stream,
      revision: step.expectedRevision,
      reason: `expected revision ${step.expectedRevision}, found ${event.revision} (event missing or out of order)`,
    };
  }
  return {
    stream: event.stream,
    revision: event.revision,
    reason: 'hash does not match the event content and its predecessor',
  };
}

/**
 * Check one stream's events (in the order the store returned them).
 * Reports the first break: a wrong hash, a gap or a swap in revisions.
 */
export function verifyStreamChain(events: readonly StoredEvent[]): ChainBreak | null {
  let head: StreamHead | undefined;
  for (const e of events) {
    const broken = chainBreak(head, e);
    if (broken !== null) return broken;
    head = e;
  }
  return null;
}
