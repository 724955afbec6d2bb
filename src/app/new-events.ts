/**
 * Decided domain events → events to append: ids derived from the idempotency key, and the
 * metadata the command context carries (who, which request, which key and request hash).
 * `recordedAt` and `schemaVersion` are stamped by the store.
 */
import type { DomainEvent } from '../domain/events.js';
import type { NewEvent } from '../store/port.js';
import { idempotentEventId } from './ids.js';
import type { CommandContext } from './types.js';

export function newEvents(events: readonly DomainEvent[], ctx: CommandContext): NewEvent[] {
  const key = ctx.idempotencyKey;
  return events.map((e, i) => ({
    ...(key ? { id: idempotentEventId(ctx.idempotencyScope ?? 'anonymous', key, i) } : {}),
    type: e.type,
    data: e.data,
    metadata: {
      recordedBy: ctx.recordedBy,
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      ...(key ? { idempotencyKey: key } : {}),
      ...(key && ctx.requestHash ? { requestHash: ctx.requestHash } : {}),
    },
  }));
}
