/**
 * The per-stream hash chain. Every adapter computes it the same way:
 *   hash = sha256(previousHashInStream + canonicalJson(hashedPart(event)))
 * The first event of a stream uses the empty string as previous hash.
 * The hashed part leaves out `position` (assigned by the store after hashing, and
 * different after a migration) and `hash` itself.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json.js';
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
  const body = canonicalJson({
    stream: event.stream,
    revision: event.revision,
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
  });
  return createHash('sha256').update(previousHash).update(body).digest('hex');
}

export interface ChainBreak {
  stream: string;
  revision: number;
  reason: string;
}

/**
 * Check one stream's events (in the order the store returned them).
 * Reports the first break: a wrong hash, a gap or a swap in revisions.
 */
export function verifyStreamChain(events: readonly StoredEvent[]): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectedRevision = 1;
  for (const e of events) {
    if (e.revision !== expectedRevision) {
      return {
        stream: e.stream,
        revision: expectedRevision,
        reason: `expected revision ${expectedRevision}, found ${e.revision} (event missing or out of order)`,
      };
    }
    const h = eventHash(prev, e);
    if (h !== e.hash) {
      return {
        stream: e.stream,
        revision: e.revision,
        reason: 'hash does not match the event content and its predecessor',
      };
    }
    prev = e.hash;
    expectedRevision += 1;
  }
  return null;
}
