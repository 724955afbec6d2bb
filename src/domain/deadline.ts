/**
 * Deadline interpretation: a `due` input (`{text}`, `{edtf}` or `{latest}`) becomes
 * `{text, edtf, earliest, latest}` with `YYYY-MM-DD` dates. Relative phrases are resolved
 * against a reference date (the statement's `madeAt`, or the day a revision is recorded).
 *
 * The phrase table of issue 2 (extended by issue 15) is the contract. Anything else is rejected
 * with a short InvalidInputError that names the field, quotes what was not understood and links to
 * the table in docs/events.md: the tracker never guesses. A phrase with no single reading can be
 * kept on purpose with `{text, vague: true}`: no dates, no deadline item.
 */
import edtf from 'edtf';
import { addIsoDuration } from './duration.js';
import { InvalidInputError } from './errors.js';
import {
  isRealDate,
  type DatedDueInput,
  type Due,
  type DueInput,
  type DueWindow,
  type IsoDate,
} from './values.js';

/** The accepted phrase forms, as listed in error messages and docs. */
export const ACCEPTED_DUE_PHRASES: readonly string[] = [
  'in 2026 / 2026 / during 2026',
  'by 2030 / by the end of 2030 / by end-2030 / until 2030',
  'before 2030',
  'in the first half of 2026 / H1 2026 (second half / H2 likewise)',
  'Q1..Q4 2026 / in the third quarter of 2026',
  'in March 2026 / March 2026',
  'by March 2026 / by the end of March 2026',
  'by 15 March 2026 / by March 15, 2026 / by 2026-03-15',
  'no later than … (any "by …" form above)',
  'this year / next year / by the end of this year / by the end of next year / before the end of the year',
  'by mid-2027 (by 30 June 2027)',
  'by the end of next quarter / by the end of this quarter',
  'in the coming year (12 months from the anchor)',
  'within two years / within 18 months / within 90 days / within 6 weeks (number words up to one hundred, or digits)',
];

/** Where the table of accepted phrases is documented; refusals link to it instead of listing it. */
export const DUE_PHRASES_DOC = 'docs/events.md#deadlines';

const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const MONTH_RE = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
// "twenty-four", "ninety nine": a tens word, then optionally a unit word one..nine.
for (const [tens, t] of Object.entries(TENS)) {
  NUMBER_WORDS[tens] = t;
  for (const [unit, u] of Object.entries(NUMBER_WORDS)) {
    if (u >= 1 && u <= 9 && unit !== 'a' && unit !== 'an') {
      NUMBER_WORDS[`${tens}-${unit}`] = t + u;
      NUMBER_WORDS[`${tens} ${unit}`] = t + u;
    }
  }
}
NUMBER_WORDS['a hundred'] = 100;
NUMBER_WORDS['one hundred'] = 100;
const NUMBER_RE = `\\d{1,4}|${Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')}`;

const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4 };

/** A four-digit year from 1000 to 9999 (years below 1000 are not plausible deadlines). */
const YEAR = '([1-9]\\d{3})';
/** "by ", "until ", "by the end of ", "by end of ", "by end-" (each with its separator). */
const BY = '(?:by the end of |by end of |by end-|by |until )';

const pad2 = (n: number): string => String(n).padStart(2, '0');
const lastDayOfMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const monthEnd = (y: number, m: number): IsoDate => `${y}-${pad2(m)}-${pad2(lastDayOfMonth(y, m))}`;

interface Window {
  edtf: string;
  earliest: IsoDate | null;
  latest: IsoDate;
}

const yearWindow = (y: number): Window => ({
  edtf: `${y}`,
  earliest: `${y}-01-01`,
  latest: `${y}-12-31`,
});
const byYear = (y: number): Window => ({ edtf: `../${y}`, earliest: null, latest: `${y}-12-31` });

/** Quarters are EDTF seasons 33..36 (level 2 "sub-year groupings"). */
function quarter(q: number, y: number): Window {
  const first = (q - 1) * 3 + 1;
  return {
    edtf: `${y}-${32 + q}`,
    earliest: `${y}-${pad2(first)}-01`,
    latest: monthEnd(y, first + 2),
  };
}

/** Halves are EDTF seasons 40 (first) and 41 (second). */
function half(h: number, y: number): Window {
  return h === 1
    ? { edtf: `${y}-40`, earliest: `${y}-01-01`, latest: `${y}-06-30` }
    : { edtf: `${y}-41`, earliest: `${y}-07-01`, latest: `${y}-12-31` };
}

const UNIT_DESIGNATOR: Record<string, string> = { year: 'Y', month: 'M', week: 'W', day: 'D' };
/** Largest period accepted per unit, so a phrase cannot leave the 4-digit-year calendar. */
const UNIT_MAX: Record<string, number> = { year: 100, month: 1200, week: 5200, day: 36500 };

function within(count: number, unit: string, ref: IsoDate): Window | null {
  const max = UNIT_MAX[unit];
  const designator = UNIT_DESIGNATOR[unit];
  if (max === undefined || designator === undefined || count < 1 || count > max) return null;
  const latest = addIsoDuration(ref, `P${count}${designator}`);
  return { edtf: `${ref}/${latest}`, earliest: ref, latest };
}

/** Lower-case, single spaces, `, ` after a comma, no trailing period. */
function normalise(text: string): string {
  return (
    text
      .trim()
      .replace(/\s*,\s*/g, ', ')
      .replace(/\s+/g, ' ')
      .replace(/\s*\.$/, '')
      .trim()
      .toLowerCase()
      // "no later than X" / "not later than X" say exactly what "by X" says (G7 communiqués use them).
      .replace(/^no[t]? later than /, 'by ')
  );
}

type Rule = [RegExp, (m: RegExpExecArray, ref: IsoDate) => Window | null];

const num = (s: string | undefined): number => {
  if (s === undefined) return Number.NaN;
  return /^\d+$/.test(s) ? Number(s) : (NUMBER_WORDS[s] ?? Number.NaN);
};
const month = (s: string | undefined): number =>
  s === undefined ? Number.NaN : (MONTHS[s] ?? Number.NaN);
const yearOf = (ref: IsoDate): number => Number(ref.slice(0, 4));

function dayWindow(y: number, m: number, d: number): Window | null {
  const date = `${y}-${pad2(m)}-${pad2(d)}`;
  if (!isRealDate(date)) return null;
  return { edtf: `../${date}`, earliest: null, latest: date };
}

const RULES: Rule[] = [
  // in 2026, 2026, during 2026
  [new RegExp(`^(?:in |during )?${YEAR}$`), (m) => yearWindow(num(m[1]))],
  // by 2030, by the end of 2030, by end-2030, until 2030
  [new RegExp(`^${BY}${YEAR}$`), (m) => byYear(num(m[1]))],
  // before 2030 → by the end of 2029
  [new RegExp(`^before ${YEAR}$`), (m) => byYear(num(m[1]) - 1)],
  // in the first half of 2026, the second half of 2026
  [
    new RegExp(`^(?:in )?(?:the )?(first|second) half of ${YEAR}$`),
    (m) => half(m[1] === 'first' ? 1 : 2, num(m[2])),
  ],
  // H1 2026, in H2 2026
  [new RegExp(`^(?:in )?h([12]) ${YEAR}$`), (m) => half(num(m[1]), num(m[2]))],
  // Q3 2026, in Q3 2026
  [new RegExp(`^(?:in )?q([1-4]) ${YEAR}$`), (m) => quarter(num(m[1]), num(m[2]))],
  // in the third quarter of 2026
  [
    new RegExp(`^(?:in )?(?:the )?(first|second|third|fourth) quarter of ${YEAR}$`),
    (m) => quarter(ORDINALS[m[1] ?? ''] ?? 0, num(m[2])),
  ],
  // in March 2026, March 2026, during March 2026
  [
    new RegExp(`^(?:in |during )?(${MONTH_RE}) ${YEAR}$`),
    (m) => {
      const [mo, y] = [month(m[1]), num(m[2])];
      return { edtf: `${y}-${pad2(mo)}`, earliest: `${y}-${pad2(mo)}-01`, latest: monthEnd(y, mo) };
    },
  ],
  // by March 2026, by the end of March 2026, until March 2026
  [
    new RegExp(`^${BY}(${MONTH_RE}) ${YEAR}$`),
    (m) => {
      const [mo, y] = [month(m[1]), num(m[2])];
      return { edtf: `../${y}-${pad2(mo)}`, earliest: null, latest: monthEnd(y, mo) };
    },
  ],
  // by 15 March 2026, by 15th March 2026
  [
    new RegExp(`^(?:by|until) (\\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH_RE}),? ${YEAR}$`),
    (m) => dayWindow(num(m[3]), month(m[2]), num(m[1])),
  ],
  // by March 15, 2026
  [
    new RegExp(`^(?:by|until) (${MONTH_RE}) (\\d{1,2})(?:st|nd|rd|th)?,? ${YEAR}$`),
    (m) => dayWindow(num(m[3]), month(m[1]), num(m[2])),
  ],
  // by 2026-03-15
  [/^(?:by|until) (\d{4})-(\d{2})-(\d{2})$/, (m) => dayWindow(num(m[1]), num(m[2]), num(m[3]))],
  // this year, next year
  [/^this year$/, (_m, ref) => yearWindow(yearOf(ref))],
  [/^next year$/, (_m, ref) => yearWindow(yearOf(ref) + 1)],
  // by the end of this year, by the end of next year
  [/^by (?:the )?end of this year$/, (_m, ref) => byYear(yearOf(ref))],
  [/^by (?:the )?end of next year$/, (_m, ref) => byYear(yearOf(ref) + 1)],
  // before the end of the year: as "by the end of this year"
  [/^before the end of (?:the|this) year$/, (_m, ref) => byYear(yearOf(ref))],
  // by mid-2027, by mid 2027: by 30 June
  [
    new RegExp(`^by (?:the )?mid[- ]${YEAR}$`),
    (m) => {
      const y = num(m[1]);
      return { edtf: `../${y}-06-30`, earliest: null, latest: `${y}-06-30` };
    },
  ],
  // by the end of this quarter / next quarter (calendar quarters of the anchor)
  [
    /^by (?:the )?end of (this|the|next) quarter$/,
    (m, ref) => {
      const q0 = Math.floor((Number(ref.slice(5, 7)) - 1) / 3) + (m[1] === 'next' ? 1 : 0);
      const y = yearOf(ref) + Math.floor(q0 / 4);
      const last = (q0 % 4) * 3 + 3;
      const latest = monthEnd(y, last);
      return { edtf: `../${latest}`, earliest: null, latest };
    },
  ],
  // in the coming year, over the coming year: twelve months from the anchor
  [/^(?:in|over|within) the (?:coming|next) year$/, (_m, ref) => within(1, 'year', ref)],
  // within two years, within 18 months, within the next 90 days, within a year
  [
    new RegExp(`^within (?:the next )?(${NUMBER_RE}) (year|month|week|day)s?$`),
    (m, ref) => within(num(m[1]), m[2] ?? '', ref),
  ],
];

/** Interpret a deadline phrase. Returns null when the phrase is not one of the accepted forms. */
export function interpretPhrase(
  text: string,
  ref: IsoDate,
): Omit<DueWindow, 'text' | 'anchor'> | null {
  const s = normalise(text);
  for (const [re, build] of RULES) {
    const m = re.exec(s);
    if (!m) continue;
    let w: Window | null;
    try {
      w = build(m, ref);
    } catch {
      // A computed date fell outside the 4-digit-year calendar.
      w = null;
    }
    if (!w || !isRealDate(w.latest) || (w.earliest !== null && !isRealDate(w.earliest)))
      return null;
    return w;
  }
  return null;
}

/** UTC calendar date of a timestamp, or null when it is not a finite date in years 1000..9999. */
function utcDay(ms: number): IsoDate | null {
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  const day = iso.slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && isRealDate(day) && Number(day.slice(0, 4)) >= 1000
    ? day
    : null;
}

/** Interpret an EDTF string through the `edtf` library. Throws InvalidInputError at `path`. */
export function interpretEdtf(value: string, path: string): Omit<DueWindow, 'text' | 'anchor'> {
  const input = value.trim();
  let parsed: ReturnType<typeof edtf>;
  try {
    parsed = edtf(input);
  } catch {
    throw new InvalidInputError(
      path,
      `"${input}" is not a valid EDTF (ISO 8601-2) date, such as 2026, 2026-03, 2026-03-15, 2026-35 (Q3), 2026-40 (H1), ../2030 or 2025-11-15/2027-11-15`,
    );
  }
  const { min, max } = parsed;
  if (max === null || max === Infinity || (typeof max === 'number' && Number.isNaN(max))) {
    throw new InvalidInputError(
      path,
      `"${input}" has an open or unknown upper bound; a deadline needs a latest date (e.g. ../2030 or 2026/2030)`,
    );
  }
  const latest = utcDay(max);
  if (latest === null) {
    throw new InvalidInputError(path, `"${input}" ends outside the years 1000-9999`);
  }
  let earliest: IsoDate | null = null;
  if (min !== null && min !== -Infinity) {
    earliest = utcDay(min);
    if (earliest === null)
      throw new InvalidInputError(path, `"${input}" starts outside the years 1000-9999`);
  }
  return { edtf: input, earliest, latest };
}

/**
 * The short refusal of a phrase that is not in the table: what was not understood and where the
 * table is. The field is the error's `path` (HTTP and the CLI print it before the message).
 */
export function unknownPhraseMessage(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `cannot interpret deadline "${shown}"; see the accepted phrases in ${DUE_PHRASES_DOC}, give {edtf} or {latest: YYYY-MM-DD}, or keep it with vague: true`;
}

/**
 * Interpret a `due` input.
 * - `{text}`: one of the accepted phrases (case-insensitive, extra spaces and a trailing period
 *   tolerated); relative phrases resolve against `ref`, which is kept as `anchor`.
 * - `{text, vague: true}`: kept as `{text, edtf: null, earliest: null, latest: null, vague: true,
 *   anchor}`, whatever the phrase says.
 * - `{edtf}`: any EDTF string the `edtf` library parses whose upper bound is known; text is null.
 * - `{latest}`: a latest date with an open start (`../latest`); text is null.
 *
 * @param ref reference date for relative phrases (the statement's madeAt, or the revision's
 *   source.publishedAt, or the day the revision is recorded)
 * @param path field path reported in an InvalidInputError (`due` → `due.text`, `due.edtf`, `due.latest`)
 * @throws InvalidInputError when the input is not understood, with a short message linking the table.
 */
export function interpretDue(input: DatedDueInput, ref: IsoDate, path?: string): DueWindow;
export function interpretDue(input: DueInput, ref: IsoDate, path?: string): Due;
export function interpretDue(input: DueInput, ref: IsoDate, path = 'due'): Due {
  if ('text' in input) {
    if ('vague' in input && input.vague === true) {
      return {
        text: input.text,
        edtf: null,
        earliest: null,
        latest: null,
        vague: true,
        anchor: ref,
      };
    }
    const w = interpretPhrase(input.text, ref);
    if (!w) throw new InvalidInputError(`${path}.text`, unknownPhraseMessage(input.text));
    return { text: input.text, ...w, anchor: ref };
  }
  if ('edtf' in input) {
    return { text: null, ...interpretEdtf(input.edtf, `${path}.edtf`) };
  }
  if (!isRealDate(input.latest)) {
    throw new InvalidInputError(`${path}.latest`, 'must be a real calendar date as YYYY-MM-DD');
  }
  return { text: null, edtf: `../${input.latest}`, earliest: null, latest: input.latest };
}
