/**
 * The express 5 application: middleware (logging, security headers, auth, body limits, the JSON
 * guard), the route table of src/http/routes/ and one problem+json error handler.
 * Flow of a write: auth → JSON guard → params, body → Idempotency-Key → tracker → 201.
 * Invariant: every error leaves through `errorHandler` as application/problem+json.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

import type { Clock } from '../domain/clock.js';
import { utcDate } from '../domain/clock.js';
import type { CommandContext, CommandResult, Tracker } from '../app/types.js';
import type { Config } from '../config.js';
import { assertMayAudit, authMiddleware, type Actor } from './auth.js';
import { auditJobs, type AuditJobs, type AuditRunner } from '../app/audit-jobs.js';
import { exportJobs, type ExportJobs } from '../app/export-jobs.js';
import { localOnly } from './middleware/local-only.js';
import { authFailureLimit, perKeyLimit } from './middleware/rate-limit.js';
import { securityHeaders } from './middleware/security-headers.js';
import {
  IdempotencyStore,
  parseIdempotencyKey,
  requestHash,
  type ResponseRecords,
  type StoredResponse,
} from './idempotency.js';
import { buildOpenApi } from './openapi.js';
import { renderDocsHtml } from './docs-html.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, toProblem } from './problem.js';
import { requestLogger } from './logger.js';
import { mountWebApp } from './web-app.js';
import { hasBody, parseBody, parseIfMatch, parseParams, parseWith } from './request.js';
import { expressPath, ROUTES, type AnyRoute, type RouteContext } from './routes/index.js';

export { parseIfMatch } from './request.js';

export const BODY_LIMIT = '1mb';
const BODY_LIMIT_BYTES = 1024 * 1024;

/** The application served, and where responses to keyed writes are kept (they survive restarts). */
export type ServedTracker = Tracker & {
  readonly responses: ResponseRecords;
  /** Where verify and replay run (a worker thread); the tracker itself when absent. */
  readonly auditRunner?: AuditRunner;
};

export interface AppDeps {
  tracker: ServedTracker;
  /**
   * Rate limits and the idempotency window come from the configuration; without them (tests
   * that build the app directly) there are no rate limits and the window is 24 h.
   */
  config: Pick<Config, 'apiKeys' | 'openMode'> &
    Partial<Pick<Config, 'rateLimitPerMinute' | 'authFailuresPer15Min' | 'idempotencyTtlHours'>>;
  /** Bounded audits; built over `tracker.auditRunner` when absent. */
  audits?: AuditJobs;
  /** Full exports, one of each kind at a time; a fresh set when absent. */
  exports?: ExportJobs;
  /** How often expired idempotency records are swept, ms (default 10 minutes). */
  sweepIntervalMs?: number;
  logger: Logger;
  clock: Clock;
  /** The route table; the served one by default. */
  routes?: readonly AnyRoute[];
}

const actorOf = (res: Response): Actor => res.locals.actor as Actor;

function commandContext(
  req: Request,
  res: Response,
  key: string | undefined,
  hash: string,
): CommandContext {
  const actor = actorOf(res);
  const ifMatch = parseIfMatch(req.get('if-match'));
  return {
    recordedBy: actor.name,
    requestId: String((req as Request & { id?: unknown }).id),
    ...(key !== undefined
      ? { idempotencyKey: key, idempotencyScope: actor.name, requestHash: hash }
      : {}),
    ...(typeof ifMatch === 'number' ? { expectedRevision: ifMatch } : {}),
  };
}

/** The write path shared by every POST: keyed retries replay, otherwise run and answer 201. */
function writer(
  idempotency: IdempotencyStore,
  tracker: Tracker,
  today: () => string,
): RouteContext['write'] {
  return async (req, res, run, { created }) => {
    const key = parseIdempotencyKey(req.get('idempotency-key'));
    const hash = key === undefined ? '' : requestHash(req.method, req.path, req.body);
    const ctx = commandContext(req, res, key, hash);
    const execute = async (): Promise<StoredResponse> => {
      const result: CommandResult = await run(ctx);
      const headers: Record<string, string> = { ETag: `"${result.revision}"` };
      if (created) headers.Location = `/commitments/${encodeURIComponent(result.view.id)}`;
      return { status: 201, body: result.view, headers, resource: result.view.id };
    };
    const out =
      key === undefined
        ? await execute()
        : await idempotency.run(actorOf(res).name, key, hash, execute);
    // A replay whose body was too large to keep answers with the commitment's current view.
    const body =
      out.body === undefined && out.resource !== undefined
        ? await tracker.get(out.resource, { asOf: today() })
        : out.body;
    res.status(out.status).set(out.headers).json(body);
  };
}

/**
 * A declared body over the limit is 413 on every route. Bodies that no route reads (a GET with
 * a body, or one over the limit) are drained before answering: closing a connection with unread
 * bytes makes the kernel reset it and cut the answer short. The request timeout bounds a drain.
 */
function drainUnreadBodies(req: Request, _res: Response, next: NextFunction): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const isWrite = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  const tooLarge = Number.isFinite(declared) && declared > BODY_LIMIT_BYTES;
  if (!tooLarge && (isWrite || !hasBody(req))) return next();
  const proceed = (): void =>
    next(
      tooLarge ? new HttpProblem('payload-too-large', 'The body is larger than 1 MB.') : undefined,
    );
  if (req.readableEnded) return proceed();
  req.once('end', proceed);
  req.once('error', () => undefined); // an aborted upload: the socket is gone, nothing to answer
  req.resume();
}

/** JSON only: a body of another type is 415; bodies over 1 MB are 413; bad JSON is 400. */
function jsonOnly(): express.RequestHandler {
  const jsonParser = express.json({
    limit: BODY_LIMIT,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
  return (req, res, next) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
    if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
      return next(new HttpProblem('unsupported-media-type', 'Send the body as application/json.'));
    }
    jsonParser(req, res, next);
  };
}

/** One express handler per route: parse params, query and body with the route's schemas, then handle. */
function register(
  router: express.Router,
  route: AnyRoute,
  ctx: RouteContext & { openMode: boolean },
): void {
  router[route.method](expressPath(route.path), async (req, res) => {
    if (route.access === 'audit')
      assertMayAudit(res.locals.actor as Actor | undefined, ctx.openMode);
    const params = route.params ? parseParams(route.params, req) : undefined;
    const query = route.query ? parseWith(route.query, req.query, 'query') : undefined;
    const body = route.body ? parseBody(route.body, req) : undefined;
    await route.handle({ params, query, body, req, res }, ctx);
  });
}

/**
 * The contract answers an unknown route with 404. A known path with another method is such a
 * route; its 404 carries `Allow` to say which methods the path takes. Paths match case-sensitively.
 */
function wrongMethodRoutes(routes: readonly AnyRoute[]): express.Router {
  const allowed = new Map<string, Set<string>>();
  for (const route of routes) {
    const set = allowed.get(route.path) ?? new Set<string>();
    set.add(route.method.toUpperCase());
    if (route.method === 'get') set.add('HEAD');
    allowed.set(route.path, set);
  }
  const router = express.Router({ caseSensitive: true });
  for (const [path, methods] of allowed) {
    router.all(expressPath(path), (req, _res, next) => {
      next(
        new HttpProblem(
          'not-found',
          `There is no ${req.method} route on this path; it takes ${[...methods].join(', ')}.`,
          { headers: { Allow: [...methods].join(', ') } },
        ),
      );
    });
  }
  return router;
}

export function createApp(deps: AppDeps): express.Application {
  const { tracker, config, logger, clock } = deps;
  const routes = deps.routes ?? ROUTES;
  let docsHtml: string | null = null;
  const today = (): string => utcDate(clock.now());
  const idempotency = new IdempotencyStore(tracker.responses, clock, {
    ...(config.idempotencyTtlHours !== undefined ? { ttlHours: config.idempotencyTtlHours } : {}),
  });
  idempotency.startSweeping(deps.sweepIntervalMs ?? 10 * 60_000, (err) =>
    logger.warn({ err }, 'sweeping expired idempotency records failed'),
  );
  const audits =
    deps.audits ??
    auditJobs({
      runner: tracker.auditRunner ?? tracker,
      headPosition: async () => (await tracker.health()).position,
      now: () => clock.now(),
    });
  const ctx: RouteContext & { openMode: boolean } = {
    tracker,
    clock,
    logger,
    today,
    audits,
    exports: deps.exports ?? exportJobs({ now: () => clock.now() }),
    openMode: config.openMode,
    write: writer(idempotency, tracker, today),
    openApi: () => buildOpenApi(routes),
    docsHtml: () => (docsHtml ??= renderDocsHtml(buildOpenApi(routes))),
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestLogger(logger));
  app.use(securityHeaders());
  app.use(localOnly({ openMode: config.openMode })); // open mode: this machine only
  mountWebApp(app); // the dashboard's files need no key; its API calls do
  const limits =
    config.rateLimitPerMinute !== undefined && config.authFailuresPer15Min !== undefined
      ? {
          perKeyPerMinute: config.rateLimitPerMinute,
          authFailuresPer15Min: config.authFailuresPer15Min,
        }
      : null;
  if (limits) app.use(authFailureLimit(limits, config.openMode));
  // Public routes take no path parameters, so their literal paths are what `req.path` holds.
  const publicPaths = new Set(routes.filter((r) => r.access === 'public').map((r) => r.path));
  app.use(authMiddleware({ keys: config.apiKeys, openMode: config.openMode, publicPaths }));
  if (limits) app.use(perKeyLimit(limits, config.openMode));
  app.use(drainUnreadBodies);
  app.use(jsonOnly());

  const router = express.Router({ caseSensitive: true });
  for (const route of routes) register(router, route, ctx);
  app.use(router);
  app.use(wrongMethodRoutes(routes));
  app.use((_req, _res, next) => {
    next(new HttpProblem('not-found', 'There is no such route. See /docs.'));
  });
  app.use(errorHandler(logger));
  return app;
}

function errorHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { problem, headers } = toProblem(err, { ifMatchSent: req.get('if-match') !== undefined });
    const reqId = { id: (req as Request & { id?: unknown }).id };
    if (problem.status >= 500 && problem.status !== 503)
      logger.error({ req: reqId, err }, 'unexpected error');
    else if (problem.status === 503)
      logger.warn({ req: reqId, err: { message: (err as Error).message } }, 'store unavailable');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // Headers set for the success path (ETag, Location) do not belong on an error.
    res.removeHeader('ETag');
    res.removeHeader('Location');
    res
      .status(problem.status)
      .set(headers)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem));
  };
}
