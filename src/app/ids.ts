/**
 * Ids the application makes: event ids derived from an idempotency key (so a retried command
 * produces the same ids and the store refuses the duplicate) and readable commitment ids.
 */
import { createHash, randomBytes } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { CommandContext } from './types.js';

/** Namespace for event ids derived from idempotency keys (UUID v5). */
export const IDEMPOTENCY_NAMESPACE = '6f1c2c3e-8b7a-4d43-9a51-3c1f0e4b7a20';

/** Deterministic event id for the n-th event of a command sent with an idempotency key. */
export function idempotentEventId(scope: string, key: string, index: number): string {
  return uuidv5(`${scope}\u0000${key}\u0000${index}`, IDEMPOTENCY_NAMESPACE);
}

/** A readable id from the title, made unique by a suffix (derived from the idempotency key when there is one). */
export function generateId(
  title: string,
  ctx: Pick<CommandContext, 'idempotencyKey' | 'idempotencyScope'>,
): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  const suffix = ctx.idempotencyKey
    ? createHash('sha256')
        .update(`${ctx.idempotencyScope ?? 'anonymous'}\u0000${ctx.idempotencyKey}`)
        .digest('hex')
        .slice(0, 8)
    : randomBytes(4).toString('hex');
  return slug.length >= 2 ? `${slug}-${suffix}` : `c-${suffix}`;
}

/** The first event id of a keyed command, or undefined without a key. */
export function firstEventId(ctx: CommandContext): string | undefined {
  return ctx.idempotencyKey === undefined
    ? undefined
    : idempotentEventId(ctx.idempotencyScope ?? 'anonymous', ctx.idempotencyKey, 0);
}
