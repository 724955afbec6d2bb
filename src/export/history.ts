/** One event as `GET /commitments/{id}/history` and `commitments show --history` present it. */
import { z } from 'zod';
import type { StoredEvent } from '../store/port.js';

export const HistoryEntrySchema = z.object({
  position: z.number().int(),
  revision: z.number().int(),
  type: z.string(),
  data: z.unknown(),
  recordedAt: z.string().meta({ format: 'date-time' }),
  recordedBy: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

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
