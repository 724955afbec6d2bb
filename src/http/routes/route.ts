/**
 * The shape of one HTTP operation, as data: method, literal path, documentation, the zod schemas
 * of its path parameters, query, headers, body and success response, and its handler.
 * `createApp` registers these and `/openapi.json` is generated from the same objects, so the
 * served routes and the documented ones cannot drift apart.
 *
 * Paths are written in OpenAPI form (`/commitments/{id}/progress`) so each route can be found by
 * searching for its path; `expressPath` turns them into express patterns.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';

import type { Clock } from '../../domain/clock.js';
import type { CommandContext, CommandResult, Tracker } from '../../app/types.js';
import type { AuditJobs } from '../../app/audit-jobs.js';
import type { ExportJobs } from '../../app/export-jobs.js';

/**
 * Who may call a route: `public` needs no key, `read` any key, `write` a recorder's key,
 * `audit` an auditor's key (whole-log work: verify, replay).
 */
export type Access = 'public' | 'read' | 'write' | 'audit';
/** The OpenAPI tag a route is listed under. */
export type Tag = 'writes' | 'queries' | 'audit' | 'operations';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler may use besides the request: the application and the shared write path. */
export interface RouteContext {
  tracker: Tracker;
  clock: Clock;
  logger: Logger;
  /** Today's date (UTC) from the injected clock. */
  today(): string;
  /** The shared write path: Idempotency-Key, If-Match, then 201 with the view and its ETag. */
  write(
    req: Request,
    res: Response,
    run: (ctx: CommandContext) => Promise<CommandResult>,
    opts: { created: boolean },
  ): Promise<void>;
  /** Verify and replay, one of each at a time, off the event loop; the last verify report. */
  audits: AuditJobs;
  /** Full exports (calendar, CSV), one of each at a time. */
  exports: ExportJobs;
  /** The OpenAPI document and its HTML rendering, built from the route table. */
  openApi(): Record<string, unknown>;
  docsHtml(): string;
}

export interface RouteInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  req: Request;
  res: Response;
}

export interface Route<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: 'get' | 'post';
  /** OpenAPI form, e.g. `/commitments/{id}/progress`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  access: Access;
  tag: Tag;
  /** Path parameters; a value that does not parse cannot name a resource, so it is a 404. */
  params?: P;
  query?: Q;
  body?: B;
  /** Success status, description and schema (or media type for non-JSON). */
  ok: {
    status: number;
    description: string;
    schema?: z.ZodType;
    mediaType?: string;
    headers?: Array<'ETag' | 'Location'>;
  };
  /** Error statuses this route can answer with (401/403/503 are added from `access`). */
  errors: number[];
  handle(input: RouteInput<P, Q, B>, ctx: RouteContext): Promise<void> | void;
}

/** A route with its schema types erased, as held in the table. */
export type AnyRoute = Route;

/** Type-checks a route against its own schemas, then erases them for the table. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: Route<P, Q, B>): AnyRoute {
  return route as unknown as AnyRoute;
}

/** `/commitments/{id}` → `/commitments/:id`. */
export const expressPath = (path: string): string => path.replace(/\{([A-Za-z]+)\}/g, ':$1');
