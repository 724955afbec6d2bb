/**
 * Rate limits (issue 20), with express-rate-limit, counted in this process's memory:
 * - per API key: `RATE_LIMIT_PER_MINUTE` requests a minute (default 600);
 * - per client address: `AUTH_FAILURES_PER_15_MIN` failed authentications (401) in 15 minutes
 *   (default 20); beyond that, every request from that address is 429 until the window ends,
 *   so guessing keys is slow, and so is the log it writes.
 * Over a limit the answer is 429 problem+json with `Retry-After`. Open mode (this machine only)
 * is not limited. Several instances behind one address each count on their own: give them a
 * shared store (e.g. rate-limit-redis) to enforce one limit across them (docs/operations.md).
 */
import { rateLimit, type Options } from 'express-rate-limit';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem } from '../problem.js';

export interface RateLimits {
  perKeyPerMinute: number;
  authFailuresPer15Min: number;
}

function tooMany(what: string): Options['handler'] {
  return (req: Request, _res: Response, next: NextFunction) => {
    const info = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit;
    const reset = info?.resetTime ? info.resetTime.getTime() - Date.now() : 60_000;
    const seconds = Math.max(1, Math.ceil(reset / 1000));
    next(
      new HttpProblem('too-many-requests', `${what} Retry in ${seconds} s.`, {
        headers: { 'Retry-After': String(seconds) },
      }),
    );
  };
}

/** Before authentication: an address with too many recent 401s is refused. */
export function authFailureLimit(limits: RateLimits, openMode: boolean): RequestHandler {
  return rateLimit({
    windowMs: 15 * 60_000,
    limit: limits.authFailuresPer15Min,
    standardHeaders: false,
    legacyHeaders: false,
    skip: () => openMode,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    handler: tooMany('Too many failed authentications from this address.'),
  });
}

/** After authentication: each key gets its own budget; requests without a key are not counted. */
export function perKeyLimit(limits: RateLimits, openMode: boolean): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limits.perKeyPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (_req, res) => openMode || res.locals.actor === undefined,
    keyGenerator: (_req, res) => `key:${(res.locals.actor as { name: string }).name}`,
    handler: tooMany('This API key has made too many requests.'),
  });
}
