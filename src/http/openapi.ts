/**
 * The OpenAPI 3.1 document, generated from the route table (src/http/routes/) with zod 4's
 * `z.toJSONSchema`: bodies, queries, path and header parameters and responses all come from the
 * zod schemas the routes validate with, so the document describes what is served.
 */
import { z } from 'zod';
import { ROUTES, type AnyRoute } from './routes/index.js';
import { CommonHeaders, WriteHeaders } from './routes/params.js';
import { ProblemSchema } from './schemas.js';
import { PROBLEM_TYPES, problemType } from './problem.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid body, query, header or JSON; `errors` lists each bad field',
  401: 'Missing or unknown API key (`WWW-Authenticate: Bearer`)',
  403: 'The key is not allowed to do this (readers may not POST)',
  404: 'No such commitment',
  409: 'A domain rule forbids this (`code` names it)',
  412: '`If-Match` names a revision that is no longer current',
  413: 'Body over 1 MB',
  415: 'Content type is not JSON',
  422: '`Idempotency-Key` reused with another body',
  429: 'Too many requests, or the same whole-store job (audit, full export) is already running; see `Retry-After`',
  500: 'Unexpected server error (no details)',
  503: 'Event store unreachable; see `Retry-After`',
};

type Json = Record<string, unknown>;

function strip(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

const asJson = (s: z.ZodType, io: 'input' | 'output'): Json =>
  strip(z.toJSONSchema(s, { io, unrepresentable: 'any', reused: 'inline' }) as Json);

/** One parameter per property of a zod object (path, query or header). */
function objectParams(schema: z.ZodType, where: 'path' | 'query' | 'header'): Json[] {
  const js = asJson(schema, 'input');
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, prop]) => {
    const { description, ...propSchema } = prop;
    return {
      name,
      in: where,
      required: where === 'path' || (required.has(name) && !('default' in propSchema)),
      ...(description ? { description } : {}),
      schema: propSchema,
    };
  });
}

/** Component schemas: bodies as input, responses as output (defaults applied), and Problem. */
function componentSchemas(routes: readonly AnyRoute[]): {
  schemas: Record<string, Json>;
  ref: (s: z.ZodType) => Json;
} {
  const reg = z.registry<{ id: string }>();
  const named = new Map<z.ZodType, string>();
  const name = (s: z.ZodType, fallback: string): void => {
    if (named.has(s)) return;
    const id = (s.meta() as { id?: string } | undefined)?.id ?? fallback;
    named.set(s, id);
    if (!reg.has(s)) reg.add(s, { id });
  };
  for (const op of routes) {
    if (op.body) name(op.body, `${op.operationId}Body`);
    if (op.ok.schema) name(op.ok.schema, `${op.operationId}Response`);
  }
  name(ProblemSchema, 'Problem');
  const generated = z.toJSONSchema(reg, {
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  const schemas: Record<string, Json> = {};
  for (const [id, s] of Object.entries(generated.schemas)) schemas[id] = strip(s);
  for (const op of routes) {
    if (op.ok.schema)
      schemas[named.get(op.ok.schema) as string] = inlineDefs(asJson(op.ok.schema, 'output'));
  }
  const ref = (s: z.ZodType): Json => ({ $ref: `#/components/schemas/${named.get(s) as string}` });
  return { schemas, ref };
}

const OK_HEADER_TEXT = {
  ETag: 'The revision, quoted: `"3"`',
  Location: 'Path of the new commitment',
};
const problemContent = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

function responsesOf(op: AnyRoute, ref: (s: z.ZodType) => Json): Record<string, Json> {
  const responses: Record<string, Json> = {};
  const okHeaders: Json = {};
  for (const h of op.ok.headers ?? []) {
    okHeaders[h] = { description: OK_HEADER_TEXT[h], schema: { type: 'string' } };
  }
  responses[String(op.ok.status)] = {
    description: op.ok.description,
    ...(op.ok.headers ? { headers: okHeaders } : {}),
    content: op.ok.schema
      ? { 'application/json': { schema: ref(op.ok.schema) } }
      : { [op.ok.mediaType ?? 'application/json']: { schema: { type: 'string' } } },
  };
  const statuses = new Set(op.errors);
  if (op.access !== 'public') for (const s of [400, 401, 503]) statuses.add(s);
  if (op.access === 'write' || op.access === 'audit') statuses.add(403);
  if (op.access === 'audit') statuses.add(429);
  for (const s of [...statuses].sort()) {
    responses[String(s)] = {
      description: STATUS_TEXT[s] ?? 'Error',
      ...(s === 503 || s === 429
        ? { headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } } }
        : {}),
      ...(s === 401 ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } } : {}),
      content: problemContent,
    };
  }
  return responses;
}

function operationOf(op: AnyRoute, ref: (s: z.ZodType) => Json): Json {
  const parameters = [
    ...(op.params ? objectParams(op.params, 'path') : []),
    ...(op.query ? objectParams(op.query, 'query') : []),
    ...objectParams(op.method === 'post' ? WriteHeaders : CommonHeaders, 'header'),
  ];
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [op.tag],
    parameters,
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref(op.body) } },
          },
        }
      : {}),
    responses: responsesOf(op, ref),
    ...(op.access === 'public' ? { security: [] } : {}),
  };
}

const built = new WeakMap<readonly AnyRoute[], Json>();

/** The document for a route table (the served one by default); built once per table. */
export function buildOpenApi(routes: readonly AnyRoute[] = ROUTES): Json {
  const cached = built.get(routes);
  if (cached) return cached;
  const { schemas, ref } = componentSchemas(routes);
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of routes) (paths[op.path] ??= {})[op.method] = operationOf(op, ref);
  const doc: Json = {
    openapi: '3.1.0',
    info: {
      title: 'Commitments Tracker API',
      version: '0.1.0',
      description:
        'Event-sourced tracker of commitments states make to each other. Errors are application/problem+json (RFC 9457). ' +
        'Without API_KEYS (open mode, loopback only) no key is needed.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'writes', description: 'Commands; each records one event' },
      { name: 'queries', description: 'Views, lists, agenda' },
      { name: 'audit', description: 'History, replay, verification, the event log' },
      { name: 'operations', description: 'Health and documentation' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API_KEYS secret' },
      },
    },
    security: [{ bearer: [] }],
    'x-problem-types': Object.fromEntries(
      Object.entries(PROBLEM_TYPES).map(([slug, t]) => [
        problemType(slug as keyof typeof PROBLEM_TYPES),
        t,
      ]),
    ),
  };
  built.set(routes, doc);
  return doc;
}

/** Inline `$defs` references of a standalone schema (response schemas have no cycles). */
function inlineDefs(schema: Json): Json {
  const defs = (schema.$defs ?? {}) as Record<string, Json>;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = v as Json;
      if (typeof o.$ref === 'string' && o.$ref.startsWith('#/$defs/')) {
        const d = defs[o.$ref.slice('#/$defs/'.length)];
        if (d) return walk(d);
      }
      const out: Json = {};
      for (const [k, val] of Object.entries(o)) if (k !== '$defs') out[k] = walk(val);
      return out;
    }
    return v;
  };
  return walk(schema) as Json;
}
