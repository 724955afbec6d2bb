/**
 * The store's door: every event appended to a commitment stream is validated before it is
 * stored, so the folds (rebuild, replay, projector) can trust a stored event of the current
 * schemaVersion without parsing it again (`storedDomainEvent`). Events that `decide` produced
 * are already validated and pass without a parse; anything else is parsed against its schema.
 * Other streams (not folded by any projection) and types that are no commitment event (every
 * fold refuses them) are not checked. Both adapters call this.
 */
import { isEventType, validateForStore } from '../domain/events.js';
import { InvalidEventError } from './errors.js';
import { COMMITMENT_STREAM_PREFIX, type NewEvent } from './port.js';

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
