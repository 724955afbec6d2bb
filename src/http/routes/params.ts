/**
 * Path and header parameters shared by several routes, as zod schemas. Path parameters reuse
 * the domain's value schemas, so the documented pattern is the one the domain enforces.
 */
import { z } from 'zod';
import { CommitmentId } from '../../domain/values.js';
import { MAX_KEY_LENGTH } from '../idempotency.js';
import { REQUEST_ID_RE } from '../logger.js';

export const CommitmentPath = z.object({
  id: CommitmentId.meta({
    description: 'Commitment id; one that does not match the id pattern is answered with 404.',
  }),
});

/** Headers every route reads. */
export const CommonHeaders = z.object({
  'X-Request-Id': z.string().regex(REQUEST_ID_RE).optional().meta({
    description:
      'Echoed back; stored in event metadata. Made up by the server when absent or unusable.',
  }),
});

/** Headers of every write. Parsed by `parseIdempotencyKey` and `parseIfMatch`. */
export const WriteHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(MAX_KEY_LENGTH).optional().meta({
    description:
      'Retries with the same key and body return the original response and append nothing.',
  }),
  'If-Match': z.string().optional().meta({
    description:
      '`"<revision>"` (or `W/"<revision>"`, `*`): write only if the commitment is at that revision.',
  }),
  ...CommonHeaders.shape,
});
