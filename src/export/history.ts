/** One event as `GET /commitments/{id}/history` and `commitments show --history` present it. */
import type { StoredEvent } from '../store/port.js';

export interface HistoryEntry {
  position: number;
  revision: number;
  type: string;
  data: unknown;
  recordedAt: string;
  recordedBy: string;
  hash: string;
}

export function historyEntry(e: StoredEvent): HistoryEntry {
  return {
    position: e.position,
    revision: e.revision,
    type: e.type,
    data: e.data,
    recordedAt: e.metadata.recordedAt,
    recordedBy: e.metadata.recordedBy,
    hash: e.hash,
  };
}
