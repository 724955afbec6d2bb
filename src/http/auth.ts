/**
 * Bearer-token access control. Keys come from API_KEYS (see src/config.ts).
 * Secrets are compared in constant time over sha256 digests, so neither the content nor
 * the length of a secret leaks through timing. Secrets are never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ApiKey, Role } from '../config.js';
import { HttpProblem } from './problem.js';

export interface Actor {
  /** Key name, or `anonymous` in open mode; becomes `recordedBy` and the idempotency scope. */
  name: string;
  role: Role;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function authenticator(
  keys: readonly ApiKey[],
): (authorization: string | undefined) => Actor | null {
  const table = keys.map((k) => ({ name: k.name, role: k.role, digest: digest(k.secret) }));
  return (authorization) => {
    if (!authorization) return null;
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
    if (!m) return null;
    const presented = digest(m[1] as string);
    let found: Actor | null = null;
    // Compare against every key so the time taken does not depend on which one matches.
    for (const k of table) {
      if (timingSafeEqual(presented, k.digest) && !found) found = { name: k.name, role: k.role };
    }
    return found;
  };
}

/** Sets `res.locals.actor`; 401 for a missing or unknown key, 403 for a reader that writes. */
export function authMiddleware(opts: {
  keys: readonly ApiKey[];
  openMode: boolean;
  /**
   * Paths anyone may GET, with or without a key: those of the routes marked `access: 'public'`
   * (the route table is the one list; see `createApp`).
   */
  publicPaths: ReadonlySet<string>;
}): RequestHandler {
  const check = authenticator(opts.keys);
  return (req, res, next) => {
    if (opts.openMode) {
      res.locals.actor = { name: 'anonymous', role: 'recorder' } satisfies Actor;
      return next();
    }
    const isPublic =
      (req.method === 'GET' || req.method === 'HEAD') && opts.publicPaths.has(req.path);
    const actor = check(req.get('authorization'));
    if (!actor) {
      if (isPublic) return next();
      const detail = req.get('authorization')
        ? 'The API key is not valid.'
        : 'An API key is required: send Authorization: Bearer <key>.';
      return next(
        new HttpProblem('unauthorized', detail, {
          headers: { 'WWW-Authenticate': 'Bearer' },
        }),
      );
    }
    res.locals.actor = actor;
    const writes = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (writes && actor.role !== 'recorder') {
      return next(
        new HttpProblem(
          'forbidden',
          `The key ${actor.name} has the role ${actor.role}; writing needs recorder.`,
        ),
      );
    }
    next();
  };
}

/**
 * The whole-log audits (`access: 'audit'`: /audit/verify, /audit/replay) need the `auditor`
 * role; in open mode (this machine only) anyone may run them. 403 otherwise.
 */
export function assertMayAudit(actor: Actor | undefined, openMode: boolean): void {
  if (openMode) return;
  if (actor?.role === 'auditor') return;
  throw new HttpProblem(
    'forbidden',
    `The key ${actor?.name ?? '(none)'} has the role ${actor?.role ?? 'none'}; the whole-log audits need auditor.`,
  );
}
