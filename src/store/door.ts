/**
 * The store's door: every event appended to a commitment stream is validated before it is
 * stored, so the folds (rebuild, replay, projector) can trust a stored event of the current
 * schemaVersion without parsing it again (`storedDomainEvent`). Events that `decide` produced
 * are already validated and pass without a parse; anything else is parsed against its schema.
 * Other streams (not folded by any projection) and types that are no commitment event (every
 * fold refuses them) are not checked. Both adapters call this, and `stampMetadata`.
 */
import { CURRENT_SCHEMA_VERSION, isEventType, validateForStore } from '../domain/events.js';
import { InvalidEventError } from './errors.js';
import { COMMITMENT_STREAM_PREFIX, type EventMetadata, type NewEvent } from './port.js';

export function checkAtTheDoor(stream: string, events: readonly NewEvent[]): void {
  if (!stream.startsWith(COMMITMENT_STREAM_PREFIX)) return;
  for (let i = 0; i < events.length; i += 1) {
    const e = events[i] as NewEvent;
    // A type that is no commitment event is stored as the port's contract allows (any type);
    // every fold refuses it (`storedDomainEvent` throws on an unknown type), as before.
    if (!isEventType(e.type)) continue;
    const problems = validateForStore(e.type, e.data);
    if (problems !== null) throw new InvalidEventError(stream, i, problems);
  }
}

/**
 * The metadata an event is stored with: the caller's (who, request id, key, request hash) plus
 * what the store adds, `recordedAt` and the current `schemaVersion`. Both adapters call this.
 */
export function stampMetadata(m: NewEvent['metadata'], recordedAt: string): EventMetadata {
  const metadata: EventMetadata = {
    recordedAt,
    recordedBy: m.recordedBy,
    schemaVersion: CURRENT_SCHEMA_VERSION,
  };
  if (m.requestId !== undefined) metadata.requestId = m.requestId;
  if (m.idempotencyKey !== undefined) metadata.idempotencyKey = m.idempotencyKey;
  if (m.requestHash !== undefined) metadata.requestHash = m.requestHash;
  return metadata;
}
