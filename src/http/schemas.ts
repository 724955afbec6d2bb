/**
 * HTTP-only schemas: query strings and response shapes. Request bodies come from
 * src/domain/commands.ts. Together they are the single source of the OpenAPI document
 * (src/http/openapi.ts); queries are also what the routes validate with.
 */
import { z } from 'zod';
import {
  CommitmentId,
  Due,
  Instant,
  IsoDate,
  IsoDuration,
  Kind,
  Observation,
  Outcome,
  Party,
  Source,
  Statement,
} from '../domain/values.js';
import { STATUSES, TIMINGS } from '../../projections/types.js';
import type { CommitmentView } from '../../projections/types.js';
import type {
  Health,
  ListPage,
  OverdueItem,
  ReplayResult,
  UpcomingItem,
  VerifyReport,
} from '../app/types.js';

// ---------- queries ----------

const Limit = z.coerce.number().int().min(1).max(500).meta({ description: '1 to 500; default 50' });

export const GetCommitmentQuery = z.strictObject({
  asOf: IsoDate.optional().meta({
    description: 'Date the view is computed for; default today (UTC).',
  }),
  knownAt: Instant.optional().meta({
    description: 'Only events recorded at or before this instant count.',
  }),
});

export const ListQuery = z.strictObject({
  status: z.enum(STATUSES).optional(),
  kind: Kind.optional(),
  party: Party.optional(),
  tag: z.string().trim().min(1).max(60).optional(),
  timing: z.enum(TIMINGS).optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Text in the title or the quote.' }),
  asOf: IsoDate.optional(),
  limit: Limit.default(50),
  cursor: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page.' }),
});

export const OverdueQuery = z.strictObject({
  asOf: IsoDate.optional(),
  party: Party.optional(),
});

export const UpcomingQuery = z.strictObject({
  asOf: IsoDate.optional(),
  within: IsoDuration.default('P30D'),
  party: Party.optional(),
});

export const ReplayQuery = z.strictObject({
  knownAt: Instant.optional().meta({ description: 'Default: now.' }),
  asOf: IsoDate.optional().meta({ description: 'Default: today (UTC).' }),
});

export const EventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).meta({
    description:
      'Exclusive lower bound on position: 0 from the start, or a position this API returned (any other number is a 400).',
  }),
  limit: Limit.default(50),
});

export const CalendarQuery = z.strictObject({ party: Party.optional() });
export const CsvQuery = z.strictObject({ asOf: IsoDate.optional(), party: Party.optional() });
export const EmptyQuery = z.strictObject({});

// ---------- responses ----------

export const MetricViewSchema = z.object({
  name: z.string(),
  unit: z.string(),
  baseline: Observation.nullable(),
  target: z.number(),
  latest: Observation.nullable(),
  progress: z.number().nullable(),
});

export const CommitmentViewSchema = z
  .object({
    id: CommitmentId,
    title: z.string(),
    kind: Kind,
    parties: z.array(z.string()),
    tags: z.array(z.string()),
    status: z.enum(STATUSES),
    timing: z.enum(TIMINGS),
    due: Due.nullable(),
    nextFollowUp: IsoDate.nullable(),
    metric: MetricViewSchema.nullable(),
    statement: Statement,
    sources: z.array(Source),
    outcome: z
      .object({ outcome: Outcome, decidedAt: IsoDate, note: z.string().nullable() })
      .nullable(),
    supersededBy: z.string().nullable(),
    revision: z.number().int(),
    recordedAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'CommitmentView' });

export const ListPageSchema = z
  .object({ items: z.array(CommitmentViewSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CommitmentList' });

const AgendaKind = z.enum(['deadline', 'follow_up']);

/** One agenda entry in /overdue and /upcoming; each list adds its own day count. */
const AgendaEntry = z.object({
  commitmentId: z.string(),
  title: z.string(),
  parties: z.array(z.string()),
  item: AgendaKind,
  date: IsoDate,
});

export const OverdueResponse = z
  .object({
    asOf: IsoDate,
    items: z.array(AgendaEntry.extend({ daysOverdue: z.number().int() })),
  })
  .meta({ id: 'Overdue' });

export const UpcomingResponse = z
  .object({
    asOf: IsoDate,
    until: IsoDate,
    items: z.array(AgendaEntry.extend({ daysUntil: z.number().int() })),
  })
  .meta({ id: 'Upcoming' });

export const HistoryResponse = z
  .object({
    id: z.string(),
    events: z.array(
      z.object({
        position: z.number().int(),
        revision: z.number().int(),
        type: z.string(),
        data: z.unknown(),
        recordedAt: z.string().meta({ format: 'date-time' }),
        recordedBy: z.string(),
        hash: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    ),
  })
  .meta({ id: 'History' });

export const ReplayResponse = z
  .object({
    knownAt: z.string().meta({ format: 'date-time' }),
    asOf: IsoDate,
    position: z.number().int(),
    commitments: z.array(CommitmentViewSchema),
  })
  .meta({ id: 'Replay' });

export const VerifyResponse = z
  .object({
    ok: z.boolean(),
    events: z.number().int(),
    chain: z.object({
      ok: z.boolean(),
      brokenAt: z
        .object({ stream: z.string(), revision: z.number().int(), reason: z.string() })
        .optional(),
    }),
    readModel: z.object({
      ok: z.boolean(),
      mismatches: z.array(z.object({ id: z.string(), reason: z.string() })),
    }),
  })
  .meta({ id: 'VerifyReport' });

export const StoredEventSchema = z
  .object({
    position: z.number().int(),
    stream: z.string(),
    revision: z.number().int(),
    id: z.string(),
    type: z.string(),
    data: z.unknown(),
    metadata: z.object({
      recordedAt: z.string().meta({ format: 'date-time' }),
      recordedBy: z.string(),
      requestId: z.string().optional(),
      idempotencyKey: z.string().optional(),
      schemaVersion: z.number().int(),
    }),
    hash: z.string(),
  })
  .meta({ id: 'StoredEvent' });

export const EventsResponse = z
  .object({
    events: z.array(StoredEventSchema),
    next: z.number().int().meta({ description: 'Pass back as `after` for the next page.' }),
  })
  .meta({ id: 'EventsPage' });

export const HealthResponse = z
  .object({
    status: z.enum(['ok', 'degraded']),
    store: z.enum(['sqlite', 'eventstoredb']),
    position: z.number().int(),
    detail: z.string().optional(),
  })
  .meta({ id: 'Health' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    code: z.string().optional(),
  })
  .meta({ id: 'Problem' });

// Compile-time checks that the response schemas describe what the tracker returns.
type Assert<T extends true> = T;
type Covers<S, T> = [T] extends [S] ? true : false;
export type _Checks = [
  Assert<Covers<z.output<typeof CommitmentViewSchema>, CommitmentView>>,
  Assert<Covers<z.output<typeof ListPageSchema>, ListPage>>,
  Assert<Covers<z.output<typeof OverdueResponse>['items'], OverdueItem[]>>,
  Assert<Covers<z.output<typeof UpcomingResponse>['items'], UpcomingItem[]>>,
  Assert<Covers<z.output<typeof ReplayResponse>, ReplayResult>>,
  Assert<Covers<z.output<typeof VerifyResponse>, VerifyReport>>,
  Assert<Covers<z.output<typeof HealthResponse>, Health>>,
];
