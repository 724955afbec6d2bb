/**
 * HTTP schemas: query strings and the response envelopes. Request bodies come from
 * src/domain/commands.ts, the shapes the read model answers with from src/read-model/types.ts.
 * The routes validate with these and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { AssessmentOrNone, Instant, IsoDate, IsoDuration, Kind, Party } from '../domain/values.js';
import { STATUSES, TIMINGS } from '../../projections/types.js';
import { HistoryEntrySchema } from '../export/history.js';
import { HealthSchema } from '../app/types.js';
import { OverduePageSchema, UpcomingPageSchema, VerifyReportSchema } from '../read-model/types.js';

/** Filter by the latest review's assessment: lists and the CSV export (issue 15). */
export const AssessmentFilter = AssessmentOrNone.meta({
  description: "The latest review's assessment; `none`: not reviewed yet.",
});

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
  timing: z.enum(TIMINGS).optional().meta({
    description: "The deadline's timing alone; a late follow-up is in `overdue`, not here.",
  }),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({
      description:
        'true: only commitments with an agenda item (deadline or follow-up) overdue at `asOf`, exactly those `/overdue?asOf=` lists; false: only the others.',
    }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Text in the title or the quote.' }),
  assessment: AssessmentFilter.optional(),
  dueVague: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: '`true`: only deadlines kept as vague phrases; `false`: none of them.' }),
  asOf: IsoDate.optional(),
  limit: Limit.default(50),
  cursor: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page.' }),
});

/** Paging and filters shared by /overdue and /upcoming (issue 14). */
const AgendaQueryFields = {
  asOf: IsoDate.optional(),
  party: Party.optional(),
  item: z.enum(['deadline', 'follow_up']).optional(),
  kind: Kind.optional(),
  tag: z.string().trim().min(1).max(60).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .meta({ description: '1 to 1000; default 100' }),
  cursor: z.string().min(1).max(1000).optional().meta({
    description:
      'The `nextCursor` of the previous page (opaque; a position in the sort order, so items written meanwhile neither repeat nor skip the rest).',
  }),
};

export const OverdueQuery = z.strictObject(AgendaQueryFields);

export const UpcomingQuery = z.strictObject({
  ...AgendaQueryFields,
  within: IsoDuration.default('P30D'),
});

export const SummaryQuery = z.strictObject({
  asOf: IsoDate.optional().meta({ description: 'Default: today (UTC).' }),
  knownAt: Instant.optional().meta({
    description: 'Count only events recorded at or before this instant (a replay of the log).',
  }),
  party: Party.optional(),
  tag: z.string().trim().min(1).max(60).optional(),
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

export const EmptyQuery = z.strictObject({});

/** The default and the largest page of `/commitments/{id}/history`. */
export const HISTORY_PAGE = { default: 200, max: 500 } as const;

export const HistoryQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(HISTORY_PAGE.max)
    .default(HISTORY_PAGE.default)
    .meta({ description: `1 to ${HISTORY_PAGE.max}; default ${HISTORY_PAGE.default}` }),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'must be a nextCursor this API returned')
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page' }),
});

// ---------- responses ----------

export const OverdueResponse = z
  .object({ asOf: IsoDate, ...OverduePageSchema.shape })
  .meta({ id: 'Overdue' });

export const UpcomingResponse = z
  .object({ asOf: IsoDate, until: IsoDate, ...UpcomingPageSchema.shape })
  .meta({ id: 'Upcoming' });

export const HistoryResponse = z
  .object({
    id: z.string(),
    events: z.array(HistoryEntrySchema),
    nextCursor: z.string().nullable().meta({
      description: 'Pass as `cursor` for the next page; null on the last page.',
    }),
  })
  .meta({ id: 'History' });

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

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    code: z.string().optional(),
    omittedErrors: z
      .number()
      .int()
      .optional()
      .meta({ description: 'Field errors found beyond the 50 listed' }),
  })
  .meta({ id: 'Problem' });

export {
  CommitmentViewSchema,
  ListPageSchema,
  ReplayResultSchema as ReplayResponse,
  SummarySchema as SummaryResponse,
  VerifyReportSchema as VerifyResponse,
} from '../read-model/types.js';
/**
 * `/health`: without a key only `status` (ok, degraded or unavailable); with a key, or in open
 * mode, also the store, the log position and a detail (issue 20).
 */
export const HealthResponse = HealthSchema.extend({
  status: z.enum(['ok', 'degraded', 'unavailable']),
  store: HealthSchema.shape.store.optional(),
  position: HealthSchema.shape.position.optional(),
}).meta({ id: 'Health' });

export const LastVerifyResponse = z
  .object({
    report: VerifyReportSchema,
    position: z
      .number()
      .int()
      .meta({ description: 'Head of the log when the verify started: what it covers' }),
    startedAt: z.string().meta({ format: 'date-time' }),
    finishedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'LastVerify' });
