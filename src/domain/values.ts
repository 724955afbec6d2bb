/**
 * Value schemas shared by events, commands and HTTP bodies.
 * zod is the single source of truth: types are inferred from these schemas,
 * and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { normaliseParty } from './parties.js';

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
  .max(10, { abort: true })
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
  .max(40, { abort: true })
  .refine((s) => INSTANT_RE.test(s) && !Number.isNaN(Date.parse(s)) && isRealDate(s.slice(0, 10)), {
    message: 'must be an ISO-8601 instant with a time zone, e.g. 2025-11-15T10:00:00.000Z',
  })
  .transform((s) => new Date(s).toISOString())
  .meta({ format: 'date-time', example: '2025-11-15T10:00:00.000Z' });

/** Longest ISO duration accepted anywhere (body, query, stored event). */
export const MAX_DURATION_LENGTH = 32;

/**
 * The only duration shape the tracker takes: `P`, then years, months, weeks and days in that
 * order, each at most 5 digits, nothing before or after. Anchored and bounded, so matching is
 * linear and short; no parser ever sees a string that does not match it.
 */
export const DURATION_RE = /^P(?:(\d{1,5})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,5})D)?$/;

/** Whole years, months, weeks and days of a duration that matches DURATION_RE, else null. */
export function durationParts(
  s: string,
): { years: number; months: number; weeks: number; days: number } | null {
  if (s.length > MAX_DURATION_LENGTH) return null;
  const m = DURATION_RE.exec(s);
  if (!m) return null;
  return {
    years: Number(m[1] ?? 0),
    months: Number(m[2] ?? 0),
    weeks: Number(m[3] ?? 0),
    days: Number(m[4] ?? 0),
  };
}

/**
 * An ISO-8601 duration such as `P3M`, `P30D` or `P1Y6M`: whole years, months, weeks or days,
 * positive, at most a century per part. The length is checked first and aborts, so a long input
 * costs one comparison; then the anchored pattern; nothing else parses it.
 */
export const IsoDuration = z
  .string()
  .max(MAX_DURATION_LENGTH, { abort: true })
  .refine(
    (s) => {
      const d = durationParts(s);
      if (d === null) return false;
      // Bound each part to a century so date arithmetic stays within 0000-9999.
      if (d.years > 100 || d.months > 1200 || d.weeks > 5300 || d.days > 36_600) return false;
      return d.years + d.months + d.weeks + d.days > 0;
    },
    {
      message:
        'must be a positive ISO-8601 duration in whole years, months, weeks or days (at most a century), such as P3M, P30D or P1Y',
    },
  )
  .meta({ example: 'P3M' });

/**
 * A free text of at most `max` characters (after trimming). The raw length is checked first and
 * aborts (at most `max` plus a little room for surrounding spaces), so a megabyte string is
 * refused before trimming or any later check looks at it.
 */
const Text = (max: number) =>
  z
    .string()
    .max(max + 1000, { abort: true })
    .trim()
    .min(1, 'must not be empty')
    .max(max, { abort: true });

export const CommitmentId = z
  .string()
  .max(80, { abort: true })
  .regex(
    /^[a-z0-9][a-z0-9-]{2,79}$/,
    'must match ^[a-z0-9][a-z0-9-]{2,79}$ (lower-case letters, digits, hyphens)',
  )
  .meta({ example: 'uz-kz-trade-10b' });
export type CommitmentId = z.infer<typeof CommitmentId>;

export const KINDS = ['target', 'meeting', 'agreement', 'proposal', 'project', 'other'] as const;
export const Kind = z.enum(KINDS);
export type Kind = z.infer<typeof Kind>;

/**
 * A party: stored as an ISO 3166 alpha-2 code when it names a country (a code, an alpha-3 code,
 * an English or Russian name, or a demonym used as a name; see `normaliseParty`), else as the
 * organisation's name.
 */
export const Party = Text(200).transform(normaliseParty);

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
  .max(2000, { abort: true })
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

/** Longest BCP 47 tag accepted (RFC 5646 §4.4.1 asks for at least 35). */
export const MAX_LANGUAGE_TAG_LENGTH = 35;

/** A BCP 47 language tag such as `en`, `ru` or `zh-Hant-TW`, at most 35 characters. */
export const LanguageTag = z
  .string()
  .max(MAX_LANGUAGE_TAG_LENGTH, { abort: true })
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'must be a BCP 47 language tag such as en or ru');

export const Statement = z.strictObject({
  quote: Text(10_000),
  madeAt: IsoDate,
  madeBy: z.array(Text(300)).max(50).optional(),
  language: LanguageTag.optional(),
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
  name: z.string().max(200),
  unit: z.string().max(50),
  baseline: Observation.nullable(),
  target: z.number(),
});
export type MetricRecord = z.infer<typeof MetricRecord>;

/** A deadline as the user gives it: a phrase, an EDTF string, or a latest date. */
export const DueInput = z.union([
  // With `vague: true`, a phrase with no single reading ("soon") is kept as said, with no dates.
  z.strictObject({ text: Text(200), vague: z.boolean().optional() }),
  z.strictObject({ edtf: Text(100) }),
  z.strictObject({ latest: IsoDate }),
]);
export type DueInput = z.infer<typeof DueInput>;
/** A due input that yields dates (not `vague: true`). */
export type DatedDueInput = Exclude<DueInput, { text: string }> | { text: string; vague?: false };

/**
 * A deadline as interpreted: an EDTF form and a window of calendar dates. `anchor` is the date a
 * relative phrase was resolved against (absent in events written before it was recorded).
 */
export const DueWindow = z.strictObject({
  text: z.string().max(200).nullable(),
  edtf: z.string().max(100),
  earliest: IsoDate.nullable(),
  latest: IsoDate,
  anchor: IsoDate.optional(),
});
export type DueWindow = z.infer<typeof DueWindow>;

/** A vague deadline: the phrase kept as said, no dates, until a revision settles it. */
export const VagueDue = z.strictObject({
  text: z.string().max(200),
  edtf: z.null(),
  earliest: z.null(),
  latest: z.null(),
  vague: z.literal(true),
  anchor: IsoDate.optional(),
});
export type VagueDue = z.infer<typeof VagueDue>;

export const Due = z.union([DueWindow, VagueDue]);
export type Due = z.infer<typeof Due>;

/** True for a deadline kept as a vague phrase (no dates). */
export const isVagueDue = (due: Due | null | undefined): due is VagueDue =>
  due !== null && due !== undefined && 'vague' in due && due.vague === true;

export const ASSESSMENTS = ['on_track', 'at_risk', 'stalled'] as const;
export const Assessment = z.enum(ASSESSMENTS);
/** A filter on the latest review's assessment: one of them, or `none` (not reviewed yet). */
export const AssessmentOrNone = z.enum([...ASSESSMENTS, 'none']);
export type Assessment = z.infer<typeof Assessment>;

/** A Research-Group compliance score: −1 non-compliance, 0 partial or in progress, +1 full. */
export const SCORES = [-1, 0, 1] as const;
export const Score = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
export type Score = z.infer<typeof Score>;

export const PHASES = ['interim', 'final'] as const;
export const Phase = z.enum(PHASES);
export type Phase = z.infer<typeof Phase>;

/** The report an assessment comes from: its name, when it was published, the end of the period it covers. */
export const Report = z.strictObject({
  name: Text(300),
  publishedAt: IsoDate,
  periodEnd: IsoDate,
});
export type Report = z.infer<typeof Report>;

export const OUTCOMES = ['fulfilled', 'partially_fulfilled', 'missed'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const Note = Text(10_000);
export const Reason = Text(2_000);
export { Text };
