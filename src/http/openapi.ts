/**
 * The OpenAPI 3.1 document, generated from the zod schemas (request bodies from
 * src/domain/commands.ts, queries and responses from src/http/schemas.ts) with zod 4's
 * `z.toJSONSchema`. Also renders the self-contained HTML reference served at /docs.
 */
import { z } from 'zod';
import {
  AddSourceBody,
  CorrectRecordBody,
  AssessPartyBody,
  RecordCommitmentBody,
  RecordOutcomeBody,
  RecordReviewBody,
  ReportProgressBody,
  ReviseDeadlineBody,
  ReviseTargetBody,
  SupersedeBody,
  WithdrawBody,
} from '../domain/commands.js';
import {
  CalendarQuery,
  CommitmentViewSchema,
  CsvQuery,
  EmptyQuery,
  EventsQuery,
  EventsResponse,
  GetCommitmentQuery,
  HealthResponse,
  HistoryResponse,
  ListPageSchema,
  ListQuery,
  OverdueQuery,
  OverdueResponse,
  ProblemSchema,
  ReplayQuery,
  ReplayResponse,
  UpcomingQuery,
  UpcomingResponse,
  VerifyResponse,
} from './schemas.js';
import { PROBLEM_TYPES, problemType } from './problem.js';

type Access = 'public' | 'read' | 'write';

export interface Operation {
  method: 'get' | 'post';
  /** Express-style path, e.g. `/commitments/:id/progress`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  access: Access;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success status, description and schema (or media type for non-JSON). */
  ok: {
    status: number;
    description: string;
    schema?: z.ZodType;
    mediaType?: string;
    headers?: string[];
  };
  /** Error statuses this route can answer with (besides 401/403/500/503, added by access). */
  errors: number[];
}

const commandOps: Array<[string, string, z.ZodType, string]> = [
  ['sources', 'addSource', AddSourceBody, 'Add a source (records SourceAdded).'],
  [
    'progress',
    'reportProgress',
    ReportProgressBody,
    'Report progress (ProgressReported). `value` needs a metric.',
  ],
  ['reviews', 'recordReview', RecordReviewBody, 'Record a review (ReviewRecorded).'],
  [
    'deadline',
    'reviseDeadline',
    ReviseDeadlineBody,
    'Revise the deadline (DeadlineRevised). Relative phrases resolve against today.',
  ],
  [
    'target',
    'reviseTarget',
    ReviseTargetBody,
    'Revise the metric target (TargetRevised). Needs a metric.',
  ],
  [
    'outcome',
    'recordOutcome',
    RecordOutcomeBody,
    'Record the outcome (OutcomeRecorded); it may be recorded again.',
  ],
  ['withdrawal', 'withdraw', WithdrawBody, 'Withdraw the commitment (CommitmentWithdrawn); final.'],
  [
    'supersession',
    'supersede',
    SupersedeBody,
    'Mark as superseded by another existing commitment (CommitmentSuperseded); final.',
  ],
  ['corrections', 'correctRecord', CorrectRecordBody, 'Correct the record (RecordCorrected).'],
  [
    'assessments',
    'assessParty',
    AssessPartyBody,
    "Score one of the commitment's parties from a report (PartyAssessed): -1, 0 or 1, interim or final.",
  ],
];

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/commitments',
    operationId: 'recordCommitment',
    summary: 'Record a commitment',
    description:
      'Records CommitmentRecorded. Returns 201 with the view, `Location: /commitments/{id}` and `ETag: "1"`. ' +
      '`id` is optional; without it the server makes one from the title.',
    access: 'write',
    body: RecordCommitmentBody,
    ok: {
      status: 201,
      description: 'Recorded',
      schema: CommitmentViewSchema,
      headers: ['ETag', 'Location'],
    },
    errors: [400, 409, 412, 413, 415, 422],
  },
  ...commandOps.map(([sub, opId, body, summary]): Operation => ({
    method: 'post',
    path: `/commitments/:id/${sub}`,
    operationId: opId,
    summary,
    description:
      'Returns 201 with the updated view and its new ETag. Accepts `If-Match: "<revision>"`.',
    access: 'write',
    body,
    ok: { status: 201, description: 'Recorded', schema: CommitmentViewSchema, headers: ['ETag'] },
    errors: [400, 404, 409, 412, 413, 415, 422],
  })),
  {
    method: 'get',
    path: '/commitments/:id',
    operationId: 'getCommitment',
    summary: 'The view of one commitment',
    description:
      'With `knownAt`, only events recorded by then count (404 if it was not recorded yet).',
    access: 'read',
    query: GetCommitmentQuery,
    ok: { status: 200, description: 'The view', schema: CommitmentViewSchema, headers: ['ETag'] },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/commitments',
    operationId: 'listCommitments',
    summary: 'List commitments',
    description:
      'Filtered, in a stable order (by id), paged with `cursor`; `nextCursor` is null on the last page.',
    access: 'read',
    query: ListQuery,
    ok: { status: 200, description: 'A page', schema: ListPageSchema },
    errors: [400],
  },
  {
    method: 'get',
    path: '/overdue',
    operationId: 'overdue',
    summary: 'Deadlines and follow-ups past due',
    access: 'read',
    query: OverdueQuery,
    ok: { status: 200, description: 'Overdue items', schema: OverdueResponse },
    errors: [400],
  },
  {
    method: 'get',
    path: '/upcoming',
    operationId: 'upcoming',
    summary: 'Deadlines and follow-ups due within a period',
    access: 'read',
    query: UpcomingQuery,
    ok: { status: 200, description: 'Upcoming items', schema: UpcomingResponse },
    errors: [400],
  },
  {
    method: 'get',
    path: '/commitments/:id/history',
    operationId: 'history',
    summary: 'Every event of one commitment, in order, with its hash',
    access: 'read',
    query: EmptyQuery,
    ok: { status: 200, description: 'History', schema: HistoryResponse },
    errors: [400, 404],
  },
  {
    method: 'get',
    path: '/audit/replay',
    operationId: 'replay',
    summary: 'Every commitment as known at an instant, replayed from the log',
    access: 'read',
    query: ReplayQuery,
    ok: { status: 200, description: 'Replay', schema: ReplayResponse },
    errors: [400],
  },
  {
    method: 'get',
    path: '/audit/verify',
    operationId: 'verify',
    summary: 'Verify the hash chain and the read model against the log',
    description: 'Always 200; `ok: false` when a problem was found.',
    access: 'read',
    query: EmptyQuery,
    ok: { status: 200, description: 'Verify report', schema: VerifyResponse },
    errors: [400],
  },
  {
    method: 'get',
    path: '/events',
    operationId: 'events',
    summary: 'The global event log, in pages',
    description:
      '`next` is the position of the last event returned, or `after` when the page is empty.',
    access: 'read',
    query: EventsQuery,
    ok: { status: 200, description: 'A page of events', schema: EventsResponse },
    errors: [400],
  },
  {
    method: 'get',
    path: '/calendar.ics',
    operationId: 'calendar',
    summary: 'iCalendar feed: one all-day event per deadline and per follow-up',
    access: 'read',
    query: CalendarQuery,
    ok: { status: 200, description: 'RFC 5545 calendar', mediaType: 'text/calendar' },
    errors: [400],
  },
  {
    method: 'get',
    path: '/commitments.csv',
    operationId: 'commitmentsCsv',
    summary: 'Every commitment view as CSV, one row each',
    access: 'read',
    query: CsvQuery,
    ok: { status: 200, description: 'CSV with a header row', mediaType: 'text/csv' },
    errors: [400],
  },
  {
    method: 'get',
    path: '/health',
    operationId: 'health',
    summary: 'Health (no key needed)',
    description:
      '`status` is `degraded` (still 200) when the store is unreachable or the projector is behind.',
    access: 'public',
    ok: { status: 200, description: 'Health', schema: HealthResponse },
    errors: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document (no key needed)',
    access: 'public',
    ok: { status: 200, description: 'OpenAPI 3.1 document', mediaType: 'application/json' },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'Readable HTML reference of this document (no key needed)',
    access: 'public',
    ok: { status: 200, description: 'HTML page', mediaType: 'text/html' },
    errors: [],
  },
];

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
  500: 'Unexpected server error (no details)',
  503: 'Event store unreachable; see `Retry-After`',
};

const toOpenApiPath = (p: string): string => p.replace(/:([A-Za-z]+)/g, '{$1}');

type Json = Record<string, unknown>;

function strip(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

let cached: Json | null = null;

export function buildOpenApi(): Json {
  if (cached) return cached;
  const reg = z.registry<{ id: string }>();
  const named = new Map<z.ZodType, string>();
  const name = (s: z.ZodType, fallback: string): string => {
    const existing = named.get(s);
    if (existing) return existing;
    const metaId = (s.meta() as { id?: string } | undefined)?.id;
    const id = metaId ?? fallback;
    named.set(s, id);
    if (!reg.has(s)) reg.add(s, { id });
    return id;
  };
  for (const op of OPERATIONS) {
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
  // Response schemas describe output; regenerate them with io: 'output' (defaults applied).
  for (const op of OPERATIONS) {
    if (op.ok.schema) {
      const id = named.get(op.ok.schema) as string;
      const out = z.toJSONSchema(op.ok.schema, {
        io: 'output',
        unrepresentable: 'any',
        reused: 'inline',
      }) as Json;
      schemas[id] = inlineDefs(strip(out));
    }
  }

  const ref = (s: z.ZodType) => ({ $ref: `#/components/schemas/${named.get(s) as string}` });
  const problemContent = {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const op of OPERATIONS) {
    const p = toOpenApiPath(op.path);
    const parameters: Json[] = [];
    if (op.path.includes(':id')) {
      parameters.push({
        name: 'id',
        in: 'path',
        required: true,
        description: 'Commitment id; one that does not match the id pattern is answered with 404.',
        schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{2,79}$' },
      });
    }
    if (op.query) {
      const qs = strip(
        z.toJSONSchema(op.query, { io: 'input', unrepresentable: 'any', reused: 'inline' }) as Json,
      );
      const props = (qs.properties ?? {}) as Record<string, Json>;
      const required = new Set((qs.required ?? []) as string[]);
      for (const [qname, qschema] of Object.entries(props)) {
        const { description, ...schema } = qschema;
        parameters.push({
          name: qname,
          in: 'query',
          required: required.has(qname) && !('default' in schema),
          ...(description ? { description } : {}),
          schema,
        });
      }
    }
    if (op.method === 'post') {
      parameters.push(
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Retries with the same key and body return the original response and append nothing.',
          schema: { type: 'string', minLength: 1, maxLength: 200 },
        },
        {
          name: 'If-Match',
          in: 'header',
          required: false,
          description:
            '`"<revision>"` (or `W/"<revision>"`, `*`): write only if the commitment is at that revision.',
          schema: { type: 'string' },
        },
      );
    }
    parameters.push({
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description:
        'Echoed back; stored in event metadata. Made up by the server when absent or unusable.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
    });

    const responses: Record<string, Json> = {};
    const okHeaders: Json = {};
    for (const h of op.ok.headers ?? []) {
      okHeaders[h] = {
        description: h === 'ETag' ? 'The revision, quoted: `"3"`' : 'Path of the new commitment',
        schema: { type: 'string' },
      };
    }
    responses[String(op.ok.status)] = {
      description: op.ok.description,
      ...(op.ok.headers ? { headers: okHeaders } : {}),
      content: op.ok.schema
        ? { 'application/json': { schema: ref(op.ok.schema) } }
        : { [op.ok.mediaType ?? 'application/json']: { schema: { type: 'string' } } },
    };
    const statuses = new Set(op.errors);
    if (op.access !== 'public') {
      statuses.add(401);
      statuses.add(503);
      statuses.add(400);
    }
    if (op.access === 'write') statuses.add(403);
    for (const s of [...statuses].sort()) {
      responses[String(s)] = {
        description: STATUS_TEXT[s] ?? 'Error',
        ...(s === 503
          ? { headers: { 'Retry-After': { description: 'Seconds', schema: { type: 'integer' } } } }
          : {}),
        ...(s === 401 ? { headers: { 'WWW-Authenticate': { schema: { type: 'string' } } } } : {}),
        content: problemContent,
      };
    }
    const operation: Json = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [
        op.path.startsWith('/audit') || op.path === '/events' || op.path.endsWith('/history')
          ? 'audit'
          : op.access === 'public'
            ? 'operations'
            : op.method === 'post'
              ? 'writes'
              : 'queries',
      ],
      parameters,
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: ref(op.body) } },
            },
          }
        : {}),
      responses,
      ...(op.access === 'public' ? { security: [] } : {}),
    };
    (paths[p] ??= {})[op.method] = operation;
  }

  cached = {
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
  return cached;
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

const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A self-contained HTML reference page (no scripts, no CDN) generated from the OpenAPI document. */
export function renderDocsHtml(doc: Json = buildOpenApi()): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  const ops: string[] = [];
  const toc: string[] = [];
  for (const [p, methods] of Object.entries(paths)) {
    for (const [m, op] of Object.entries(methods)) {
      const anchor = `op-${esc(op.operationId)}`;
      toc.push(
        `<li><a href="#${anchor}"><code>${m.toUpperCase()} ${esc(p)}</code></a> — ${esc(op.summary)}</li>`,
      );
      const params = (op.parameters as Json[]).map(
        (x) =>
          `<tr><td><code>${esc(x.name)}</code></td><td>${esc(x.in)}</td><td>${x.required ? 'yes' : ''}</td>` +
          `<td><code>${esc(JSON.stringify(x.schema))}</code></td><td>${esc(x.description ?? '')}</td></tr>`,
      );
      const body = op.requestBody as
        { content: Record<string, { schema: { $ref: string } }> } | undefined;
      const bodyRef = body?.content['application/json']?.schema.$ref.split('/').pop();
      const responses = Object.entries(op.responses as Record<string, Json>).map(([s, r]) => {
        const content = r.content as Record<string, { schema: { $ref?: string } }> | undefined;
        const [mt, c] = Object.entries(content ?? {})[0] ?? ['', undefined];
        const refName = c?.schema.$ref?.split('/').pop();
        return `<tr><td>${esc(s)}</td><td>${esc(r.description)}</td><td>${esc(mt)}${refName ? ` — <a href="#schema-${esc(refName)}">${esc(refName)}</a>` : ''}</td></tr>`;
      });
      ops.push(`<section id="${anchor}"><h3><span class="m ${m}">${m.toUpperCase()}</span> <code>${esc(p)}</code></h3>
<p>${esc(op.summary)}${op.description ? `. ${esc(op.description)}` : ''}</p>
${(op.security as unknown[] | undefined)?.length === 0 ? '<p><em>No API key needed.</em></p>' : ''}
<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr>${params.join('')}</table>
${bodyRef ? `<p>Body: <a href="#schema-${esc(bodyRef)}">${esc(bodyRef)}</a> (application/json)</p>` : ''}
<table><tr><th>status</th><th>meaning</th><th>content</th></tr>${responses.join('')}</table></section>`);
    }
  }
  const schemaHtml = Object.entries(schemas).map(
    ([n, s]) =>
      `<section id="schema-${esc(n)}"><h3>${esc(n)}</h3><pre>${esc(JSON.stringify(s, null, 2))}</pre></section>`,
  );
  const problems = Object.entries(PROBLEM_TYPES).map(
    ([slug, t]) =>
      `<li id="problem-${esc(slug)}"><code>${esc(problemType(slug as keyof typeof PROBLEM_TYPES))}</code> — ${t.status} ${esc(t.title)}</li>`,
  );
  const info = doc.info as { title: string; version: string; description: string };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f6f6f6;padding:.75rem;overflow:auto}
table{border-collapse:collapse;margin:.5rem 0;width:100%}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
td code{word-break:break-all}.m{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-size:13px}
.m.get{background:#2a7}.m.post{background:#27c}section{border-top:1px solid #eee;margin-top:1rem}
</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${esc(info.description)} Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<h2>Routes</h2><ul>${toc.join('\n')}</ul>
<h2>Problem types</h2><p>Every error is <code>application/problem+json</code>: <code>{type, title, status, detail}</code>, with <code>errors: [{path, message}]</code> on validation errors.</p><ul>${problems.join('\n')}</ul>
<h2>Operations</h2>${ops.join('\n')}
<h2>Schemas</h2>${schemaHtml.join('\n')}
</body></html>`;
}
