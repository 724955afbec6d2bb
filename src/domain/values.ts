/**
 * Value schemas shared by events, commands and HTTP bodies.
 * zod is the single source of truth: types are inferred from these schemas,
 * and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { parse as parseDuration } from 'tinyduration';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Gregorian leap year. */
export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in month `m` (1–12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * True when `s` is `YYYY-MM-DD` and names a real calendar day (no 2025-02-30), in the proleptic
 * Gregorian calendar. Pure arithmetic, no Date: it runs for every date of every replayed event.
 */
export function isRealDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(Number(m[1]), mo);
}

/** A calendar date, `YYYY-MM-DD`, validated as a real day. */
export const IsoDate = z
  .string()
  .refine(isRealDate, { message: 'must be a real calendar date as YYYY-MM-DD' })
  .meta({ format: 'date', example: '2025-11-15' });
export type IsoDate = z.infer<typeof IsoDate>;

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant. Input accepts any ISO-8601 date-time with a zone; it is
 * normalised to UTC with millisecond precision (`2025-11-15T10:00:00.000Z`).
 */
export const Instant = z
  .string()
  .refine((s) => INSTANT_RE.test(s) && !Number.isNaN(Date.parse(s)) && isRealDate(s.slice(0, 10)), {
    message: 'must be an ISO-8601 instant with a time zone, e.g. 2025-11-15T10:00:00.000Z',
  })
  .transform((s) => new Date(s).toISOString())
  .meta({ format: 'date-time', example: '2025-11-15T10:00:00.000Z' });

/** An ISO-8601 duration such as `P3M`, `P30D` or `P1Y6M`, parsed by a library. */
export const IsoDuration = z
  .string()
  .max(64)
  .refine(
    (s) => {
      try {
        const d = parseDuration(s);
        if (d.negative) return false;
        // Deadlines and follow-ups are calendar dates: whole years, months, weeks or days only.
        if ((d.hours ?? 0) || (d.minutes ?? 0) || (d.seconds ?? 0)) return false;
        const parts = [d.years, d.months, d.weeks, d.days];
        if (parts.some((v) => v !== undefined && !Number.isInteger(v))) return false;
        // Bound each part to a century so date arithmetic stays within 0000-9999.
        const limits: Array<[number | undefined, number]> = [
          [d.years, 100],
          [d.months, 1200],
          [d.weeks, 5300],
          [d.days, 36_600],
          [d.hours, 878_400],
          [d.minutes, 52_704_000],
          [d.seconds, 3_162_240_000],
        ];
        if (limits.some(([v, max]) => (v ?? 0) > max)) return false;
        const total =
          (d.years ?? 0) +
          (d.months ?? 0) +
          (d.weeks ?? 0) +
          (d.days ?? 0) +
          (d.hours ?? 0) +
          (d.minutes ?? 0) +
          (d.seconds ?? 0);
        return total > 0;
      } catch {
        return false;
      }
    },
    {
      message:
        'must be a positive ISO-8601 duration in whole years, months, weeks or days (at most a century), such as P3M, P30D or P1Y',
    },
  )
  .meta({ example: 'P3M' });

const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const CommitmentId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{2,79}$/,
    'must match ^[a-z0-9][a-z0-9-]{2,79}$ (lower-case letters, digits, hyphens)',
  )
  .meta({ example: 'uz-kz-trade-10b' });
export type CommitmentId = z.infer<typeof CommitmentId>;

export const KINDS = ['target', 'meeting', 'agreement', 'proposal', 'project', 'other'] as const;
export const Kind = z.enum(KINDS);
export type Kind = z.infer<typeof Kind>;

/** A party: an ISO 3166 alpha-2 code (upper-cased) or an organisation name. */
export const Party = Text(200).transform((s) => (/^[a-z]{2}$/i.test(s) ? s.toUpperCase() : s));

export const Parties = z
  .array(Party)
  .min(1, 'must name at least one party')
  .max(50)
  .transform((ps) => [...new Set(ps)]);

export const Tag = Text(60);
export const Tags = z
  .array(Tag)
  .max(50)
  .transform((ts) => [...new Set(ts)]);

const HttpUrl = z
  .string()
  .max(2000)
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { message: 'must be an http(s) URL' },
  );

export const Source = z.strictObject({
  publisher: Text(300),
  title: Text(1000).optional(),
  url: HttpUrl.optional(),
  publishedAt: IsoDate,
});
export type Source = z.infer<typeof Source>;

export const Statement = z.strictObject({
  quote: Text(10_000),
  madeAt: IsoDate,
  madeBy: z.array(Text(300)).max(50).optional(),
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en or ru')
    .optional(),
});
export type Statement = z.infer<typeof Statement>;

/** A finite number that JSON can carry and SQLite can store exactly enough. */
export const Amount = z
  .number()
  .refine(Number.isFinite, 'must be a finite number')
  .refine((n) => Math.abs(n) <= 1e18, 'must be at most 1e18 in magnitude');

export const Observation = z.strictObject({ value: Amount, asOf: IsoDate });
export type Observation = z.infer<typeof Observation>;

export const MetricInput = z.strictObject({
  name: Text(200),
  unit: Text(50),
  baseline: Observation.optional(),
  target: Amount,
});
export type MetricInput = z.infer<typeof MetricInput>;

/** The metric as recorded in the event: baseline is explicit null when absent. */
export const MetricRecord = z.strictObject({
  name: z.string(),
  unit: z.string(),
  baseline: Observation.nullable(),
  target: z.number(),
});
export type MetricRecord = z.infer<typeof MetricRecord>;

/** A deadline as the user gives it: a phrase, an EDTF string, or a latest date. */
export const DueInput = z.union([
  z.strictObject({ text: Text(200) }),
  z.strictObject({ edtf: Text(100) }),
  z.strictObject({ latest: IsoDate }),
]);
export type DueInput = z.infer<typeof DueInput>;

/** A deadline as interpreted: an EDTF form and a window of calendar dates. */
export const Due = z.strictObject({
  text: z.string().nullable(),
  edtf: z.string(),
  earliest: IsoDate.nullable(),
  latest: IsoDate,
});
export type Due = z.infer<typeof Due>;

export const ASSESSMENTS = ['on_track', 'at_risk', 'stalled'] as const;
export const Assessment = z.enum(ASSESSMENTS);
export type Assessment = z.infer<typeof Assessment>;

export const OUTCOMES = ['fulfilled', 'partially_fulfilled', 'missed'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const Note = Text(10_000);
export const Reason = Text(2_000);
export { Text };
