/**
 * The HTTP API (express 5). Contract: docs/api.md (issue "HTTP API").
 * Flow of a write: auth → JSON guard → body schema → Idempotency-Key → tracker → 201.
 * Every error leaves through `errorHandler` as application/problem+json.
 */
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { z } from 'zod';

import type { Clock } from '../domain/clock.js';
import { utcDate } from '../domain/clock.js';
import { CommitmentCommandBodies, RecordCommitmentBody } from '../domain/commands.js';
import type { CommitmentCommandName } from '../domain/commands.js';
import { addIsoDuration } from '../domain/duration.js';
import { CommitmentId, isRealDate } from '../domain/values.js';
import type { CommandContext, CommandResult, Tracker } from '../app/types.js';
import type { Config } from '../config.js';
import { authMiddleware, type Actor } from './auth.js';
import {
  IdempotencyStore,
  parseIdempotencyKey,
  requestHash,
  type StoredResponse,
} from './idempotency.js';
import { buildOpenApi, renderDocsHtml } from './openapi.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, toProblem, validationProblem } from './problem.js';
import { requestLogger } from './logger.js';
import { allViews, historyEntry, renderCsv, renderIcs } from '../export/index.js';
import {
  CalendarQuery,
  CsvQuery,
  EmptyQuery,
  EventsQuery,
  GetCommitmentQuery,
  ListQuery,
  OverdueQuery,
  ReplayQuery,
  UpcomingQuery,
} from './schemas.js';

export const BODY_LIMIT = '1mb';
const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppDeps {
  /** The tracker; `localDb` (from openTracker) holds the idempotency table. */
  tracker: Tracker & { readonly localDb?: Database.Database };
  config: Pick<Config, 'apiKeys' | 'openMode'>;
  logger: Logger;
  clock: Clock;
}

/** `"3"` → 3, `W/"3"` → 3, `*` → 'any'; absent → undefined; anything else → 400. */
export function parseIfMatch(raw: string | undefined): number | 'any' | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (v === '*') return 'any';
  const m = /^(?:W\/)?"(\d{1,15})"$/.exec(v);
  if (!m) {
    throw new HttpProblem(
      'bad-header',
      'If-Match must be one quoted revision such as "3" (or W/"3", or *).',
      {
        errors: [{ path: 'If-Match', message: 'must be one quoted revision such as "3"' }],
      },
    );
  }
  return Number(m[1]);
}

function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query',
): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw validationProblem(r.error.issues, input, where);
  return r.data;
}

function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (req.body === undefined) {
    throw new HttpProblem('validation', 'A JSON object body is required.', {
      errors: [{ path: '', message: 'a JSON object body is required' }],
    });
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new HttpProblem('validation', 'The body must be a JSON object.', {
      errors: [{ path: '', message: 'must be a JSON object' }],
    });
  }
  return parseWith(schema, req.body, 'body');
}

/** A path id: one that does not match the id pattern cannot name a commitment, so 404. */
function pathId(req: Request): string {
  const raw = req.params.id;
  const r = CommitmentId.safeParse(raw);
  if (!r.success) throw new HttpProblem('not-found', 'No such commitment.');
  return r.data;
}

function send(res: Response, out: StoredResponse): void {
  res.status(out.status).set(out.headers).json(out.body);
}

/** True when the request carries a body (RFC 9110: Content-Length or Transfer-Encoding). */
function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

export function createApp(deps: AppDeps): express.Application {
  const { tracker, config, logger, clock } = deps;
  const today = (): string => utcDate(clock.now());
  const idempotency = new IdempotencyStore(() => {
    const db = tracker.localDb;
    if (!db) throw new Error('the tracker has no local database for idempotency keys');
    return db;
  }, clock);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(requestLogger(logger));
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(authMiddleware({ keys: config.apiKeys, openMode: config.openMode }));

  // A declared body over the limit is 413 on every route. Bodies that no route reads (a GET with
  // a body, or one over the limit) are drained before answering: closing a connection with unread
  // bytes makes the kernel reset it and cut the answer short. The request timeout bounds a drain.
  app.use((req, _res, next) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const isWrite = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
    const tooLarge = Number.isFinite(declared) && declared > BODY_LIMIT_BYTES;
    if (!tooLarge && (isWrite || !hasBody(req))) return next();
    const proceed = (): void =>
      next(
        tooLarge
          ? new HttpProblem('payload-too-large', 'The body is larger than 1 MB.')
          : undefined,
      );
    if (req.readableEnded) return proceed();
    req.once('end', proceed);
    req.once('error', () => undefined); // an aborted upload: the socket is gone, nothing to answer
    req.resume();
  });

  // JSON only: a body of another type is 415; bodies over 1 MB are 413; bad JSON is 400.
  const jsonParser = express.json({
    limit: BODY_LIMIT,
    strict: true,
    type: ['application/json', 'application/*+json'],
  });
  app.use((req, res, next) => {
    if (req.method !== 'POST' && req.method !== 'PUT' && req.method !== 'PATCH') return next();
    if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
      return next(new HttpProblem('unsupported-media-type', 'Send the body as application/json.'));
    }
    jsonParser(req, res, next);
  });

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

  async function write(
    req: Request,
    res: Response,
    body: unknown,
    run: (ctx: CommandContext) => Promise<CommandResult>,
    created: boolean,
  ): Promise<void> {
    const key = parseIdempotencyKey(req.get('idempotency-key'));
    const hash = key === undefined ? '' : requestHash(req.method, req.path, body);
    const ctx = commandContext(req, res, key, hash);
    const execute = async (): Promise<StoredResponse> => {
      const result = await run(ctx);
      const headers: Record<string, string> = { ETag: `"${result.revision}"` };
      if (created) headers.Location = `/commitments/${encodeURIComponent(result.view.id)}`;
      return { status: 201, body: result.view, headers };
    };
    const out =
      key === undefined
        ? await execute()
        : await idempotency.run(actorOf(res).name, key, hash, execute);
    send(res, out);
  }

  // ---------- writes ----------
  const r = express.Router({ caseSensitive: true });

  r.post('/commitments', async (req, res) => {
    const body = parseBody(RecordCommitmentBody, req);
    await write(req, res, req.body, (ctx) => tracker.record(body, ctx), true);
  });

  for (const name of Object.keys(CommitmentCommandBodies) as CommitmentCommandName[]) {
    r.post(`/commitments/:id/${name}`, async (req, res) => {
      const id = pathId(req);
      const body = parseBody(CommitmentCommandBodies[name], req);
      await write(req, res, req.body, (ctx) => tracker.execute(id, name, body, ctx), false);
    });
  }

  // ---------- queries ----------
  r.get('/commitments/:id', async (req, res) => {
    const id = pathId(req);
    const q = parseWith(GetCommitmentQuery, req.query, 'query');
    const view = await tracker.get(id, {
      asOf: q.asOf ?? today(),
      ...(q.knownAt ? { knownAt: q.knownAt } : {}),
    });
    if (!view) {
      throw new HttpProblem(
        'not-found',
        q.knownAt
          ? `Commitment ${id} was not recorded as of ${q.knownAt}.`
          : `No commitment ${id}.`,
      );
    }
    res.set('ETag', `"${view.revision}"`).json(view);
  });

  r.get('/commitments', async (req, res) => {
    const q = parseWith(ListQuery, req.query, 'query');
    const page = await tracker.list({ ...q, asOf: q.asOf ?? today() });
    res.json({ items: page.items, nextCursor: page.nextCursor });
  });

  r.get('/overdue', async (req, res) => {
    const q = parseWith(OverdueQuery, req.query, 'query');
    const asOf = q.asOf ?? today();
    const items = await tracker.overdue({ asOf, ...(q.party ? { party: q.party } : {}) });
    res.json({ asOf, items });
  });

  r.get('/upcoming', async (req, res) => {
    const q = parseWith(UpcomingQuery, req.query, 'query');
    const asOf = q.asOf ?? today();
    let until = '';
    try {
      until = addIsoDuration(asOf, q.within);
    } catch {
      // handled below
    }
    if (!isRealDate(until)) {
      throw new HttpProblem('validation', 'The request query has 1 invalid field.', {
        errors: [{ path: 'within', message: 'reaches past the year 9999' }],
      });
    }
    const items = await tracker.upcoming({ asOf, until, ...(q.party ? { party: q.party } : {}) });
    res.json({ asOf, until, items });
  });

  // ---------- audit ----------
  r.get('/commitments/:id/history', async (req, res) => {
    const id = pathId(req);
    parseWith(EmptyQuery, req.query, 'query');
    const events = await tracker.history(id);
    if (!events) throw new HttpProblem('not-found', `No commitment ${id}.`);
    res.json({
      id,
      events: events.map(historyEntry),
    });
  });

  r.get('/audit/replay', async (req, res) => {
    const q = parseWith(ReplayQuery, req.query, 'query');
    res.json(
      await tracker.replay({
        knownAt: q.knownAt ?? clock.now().toISOString(),
        asOf: q.asOf ?? today(),
      }),
    );
  });

  r.get('/audit/verify', async (req, res) => {
    parseWith(EmptyQuery, req.query, 'query');
    res.json(await tracker.verify());
  });

  r.get('/events', async (req, res) => {
    const q = parseWith(EventsQuery, req.query, 'query');
    const events = await tracker.events({ after: q.after, limit: q.limit });
    const last = events[events.length - 1];
    res.json({ events, next: last ? last.position : q.after });
  });

  // ---------- operations ----------
  // ---------- calendar and CSV (the same renderings as `commitments export`) ----------
  r.get('/calendar.ics', async (req, res) => {
    const q = parseWith(CalendarQuery, req.query, 'query');
    const views = await allViews(tracker, {
      asOf: today(),
      ...(q.party ? { party: q.party } : {}),
    });
    res
      .type('text/calendar; charset=utf-8')
      .set('Content-Disposition', 'inline; filename="commitments.ics"')
      .send(renderIcs(views, { name: q.party ? `Commitments (${q.party})` : 'Commitments' }));
  });

  r.get('/commitments.csv', async (req, res) => {
    const q = parseWith(CsvQuery, req.query, 'query');
    const views = await allViews(tracker, {
      asOf: q.asOf ?? today(),
      ...(q.party ? { party: q.party } : {}),
    });
    res
      .type('text/csv; charset=utf-8; header=present')
      .set('Content-Disposition', 'attachment; filename="commitments.csv"')
      .send(renderCsv(views));
  });

  r.get('/health', async (_req, res) => {
    try {
      res.json(await tracker.health());
    } catch (err) {
      logger.warn({ err }, 'health check failed');
      const store = (tracker as { storeKind?: string }).storeKind ?? 'sqlite';
      res.json({ status: 'degraded', store, position: 0, detail: 'the store cannot be reached' });
    }
  });

  r.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApi());
  });

  let docsHtml: string | null = null;
  r.get('/docs', (_req, res) => {
    docsHtml ??= renderDocsHtml();
    res
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .type('html')
      .send(docsHtml);
  });

  app.use(r);

  // The contract answers an unknown route with 404. A known path with another method is such a
  // route; its 404 carries `Allow` to say which methods the path takes. Paths match case-sensitively,
  // as the routes above do.
  // Methods per path, from the routes actually registered above.
  const allowed = new Map<string, Set<string>>();
  for (const layer of r.stack as Array<{
    route?: { path: string; methods: Record<string, boolean> };
  }>) {
    if (!layer.route) continue;
    const set = allowed.get(layer.route.path) ?? new Set<string>();
    for (const m of Object.keys(layer.route.methods)) set.add(m.toUpperCase());
    if (set.has('GET')) set.add('HEAD');
    allowed.set(layer.route.path, set);
  }
  const otherMethods = express.Router({ caseSensitive: true });
  for (const [path, methods] of allowed) {
    otherMethods.all(path, (req, _res, next) => {
      next(
        new HttpProblem(
          'not-found',
          `There is no ${req.method} route on this path; it takes ${[...methods].join(', ')}.`,
          { headers: { Allow: [...methods].join(', ') } },
        ),
      );
    });
  }
  app.use(otherMethods);
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
