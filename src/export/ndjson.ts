/**
 * NDJSON event export: the lossless log, one stored event per line, in position order.
 * `commitments import` reads it back with ids, metadata and hashes intact.
 */
import type { StoredEvent } from '../store/port.js';

/** One stored event as a JSON line (with the trailing newline); positions are plain numbers. */
export function toNdjsonLine(e: StoredEvent): string {
  return `${JSON.stringify({
    position: Number(e.position),
    stream: e.stream,
    revision: e.revision,
    id: e.id,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    hash: e.hash,
  })}\n`;
}
