/**
 * What the read model answers with, as zod schemas; the TypeScript types are inferred from them,
 * and the HTTP layer documents its responses with the same schemas.
 */
import { z } from 'zod';
import {
  ASSESSMENTS,
  Assessment,
  CommitmentId,
  Due,
  IsoDate,
  Kind,
  Observation,
  Outcome,
  Phase,
  Report,
  Score,
  Source,
  Statement,
} from '../domain/values.js';
import { STATUSES, TIMINGS } from '../../projections/types.js';
import type { AgendaItemKind, CommitmentView, Status, Timing } from '../../projections/types.js';

const MetricViewSchema = z.object({
  name: z.string(),
  unit: z.string(),
  baseline: Observation.nullable(),
  target: z.number(),
  latest: Observation.nullable(),
  progress: z.number().nullable(),
});

const AgendaItemKindSchema = z.enum(['deadline', 'follow_up']);

const PartyAssessmentSchema = z.object({
  party: z.string(),
  score: Score,
  phase: Phase,
  report: Report,
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
    overdue: z.array(
      z.object({ item: AgendaItemKindSchema, date: IsoDate, daysOverdue: z.number().int() }),
    ),
    next: z
      .object({ item: AgendaItemKindSchema, date: IsoDate, daysUntil: z.number().int() })
      .nullable(),
    due: Due.nullable(),
    nextFollowUp: IsoDate.nullable(),
    metric: MetricViewSchema.nullable(),
    statement: Statement,
    sources: z.array(Source),
    outcome: z
      .object({ outcome: Outcome, decidedAt: IsoDate, note: z.string().nullable() })
      .nullable(),
    supersededBy: z.string().nullable(),
    assessment: z
      .object({ value: Assessment, at: IsoDate, note: z.string().nullable() })
      .nullable(),
    withdrawal: z.object({ at: IsoDate, reason: z.string() }).nullable(),
    supersession: z.object({ by: z.string(), at: IsoDate }).nullable(),
    assessments: z.array(PartyAssessmentSchema),
    compliance: z.object({
      average: z.number().nullable(),
      scored: z.number().int(),
      counts: z.object({ '-1': z.number().int(), '0': z.number().int(), '1': z.number().int() }),
    }),
    revision: z.number().int(),
    recordedAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'CommitmentView' });

export const ListPageSchema = z
  .object({
    items: z.array(CommitmentViewSchema),
    nextCursor: z.string().nullable(),
    total: z.number().int().meta({ description: 'How many commitments match, on every page.' }),
  })
  .meta({ id: 'CommitmentList' });

export type ListPage = z.infer<typeof ListPageSchema>;

export interface ListFilter {
  status?: Status;
  kind?: string;
  party?: string;
  tag?: string;
  timing?: Timing;
  /** true: only commitments with an agenda item overdue at asOf (`isOverdue`); false: only those without. */
  overdue?: boolean;
  /** Text in the title or the quote. */
  q?: string;
  /** The latest review's assessment, or `none` (issue 15; expert-filters.ts). */
  assessment?: Assessment | 'none';
  /** Only (true) or no (false) deadlines kept as vague phrases (issue 15; expert-filters.ts). */
  dueVague?: boolean;
  asOf: string;
  limit: number;
  cursor?: string;
}

const AgendaKind = AgendaItemKindSchema;

/** One agenda entry in /overdue and /upcoming; each list adds its own day count. */
const AgendaEntry = z.object({
  commitmentId: z.string(),
  title: z.string(),
  parties: z.array(z.string()),
  item: AgendaKind,
  date: IsoDate,
});

export const OverdueItemSchema = AgendaEntry.extend({ daysOverdue: z.number().int() });
export type OverdueItem = z.infer<typeof OverdueItemSchema>;

export const UpcomingItemSchema = AgendaEntry.extend({ daysUntil: z.number().int() });
export type UpcomingItem = z.infer<typeof UpcomingItemSchema>;

/** Filters and paging of /overdue and /upcoming (issue 14). */
export interface AgendaFilter {
  asOf: string;
  party?: string;
  item?: AgendaItemKind;
  kind?: string;
  tag?: string;
  /** Page size; absent: every matching item (internal callers only, never HTTP). */
  limit?: number;
  /** The `nextCursor` of the previous page: a keyset position (date, commitment id, item). */
  cursor?: string;
}

const pageFields = {
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass back as `cursor` for the next page; null on the last page.' }),
  total: z.number().int().meta({ description: 'How many items match, on every page.' }),
};

export const OverduePageSchema = z.object({ items: z.array(OverdueItemSchema), ...pageFields });
export type OverduePage = z.infer<typeof OverduePageSchema>;

export const UpcomingPageSchema = z.object({ items: z.array(UpcomingItemSchema), ...pageFields });
export type UpcomingPage = z.infer<typeof UpcomingPageSchema>;

const StatusCounts = z.record(z.enum(STATUSES), z.number().int());

/** `GET /summary`: counts for a dashboard's first screen and a weekly e-mail (issue 14). */
export const SummarySchema = z
  .object({
    asOf: IsoDate,
    knownAt: z.string().meta({ format: 'date-time' }).nullable(),
    total: z.number().int(),
    byStatus: StatusCounts,
    byKind: z.record(Kind, z.number().int()),
    byAssessment: z.record(z.enum([...ASSESSMENTS, 'none']), z.number().int()).meta({
      description: "Commitments by their latest review's assessment; `none` before any review.",
    }),
    overdue: z.object({
      commitments: z.number().int().meta({ description: 'Commitments with an overdue item.' }),
      items: z.number().int().meta({ description: 'Overdue agenda items.' }),
    }),
    upcoming: z.object({
      within: z.literal('P30D'),
      items: z.number().int().meta({ description: 'Agenda items with asOf ≤ date ≤ asOf + P30D.' }),
    }),
    byParty: z.array(
      z.object({
        party: z.string(),
        total: z.number().int(),
        byStatus: StatusCounts,
        overdue: z.number().int().meta({ description: 'Overdue commitments of this party.' }),
      }),
    ),
  })
  .meta({ id: 'Summary' });
export type Summary = z.infer<typeof SummarySchema>;

export const ReplayResultSchema = z
  .object({
    knownAt: z.string().meta({ format: 'date-time' }),
    asOf: IsoDate,
    position: z.number().int(),
    commitments: z.array(CommitmentViewSchema),
  })
  .meta({ id: 'Replay' });

export type ReplayResult = z.infer<typeof ReplayResultSchema>;

export const VerifyReportSchema = z
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

export type VerifyReport = z.infer<typeof VerifyReportSchema>;

// The view is the projection's type; the schema must describe every view it can hold.
type Assert<T extends true> = T;
type Covers<S, T> = [T] extends [S] ? true : false;
export type _Checks = [Assert<Covers<z.output<typeof CommitmentViewSchema>, CommitmentView>>];
