/**
 * Deadlines: find the time phrase a clause gives and interpret it with the domain's deadline table
 * (`interpretPhrase`, the same rules `POST /commitments` applies), against the statement date.
 *
 * A few phrases news writes differently from the table are rewritten into the table's own words
 * first ("over the next two years" → "within two years", "by the end of the month" → "by the end of
 * August 2024", "for 2026-2027" → EDTF `2026/2027`). A phrase the table still does not know
 * ("in the coming years", "in the near future") is kept as vague, never guessed.
 */
import { interpretEdtf, interpretPhrase, type IsoDate } from '../domain/index.js';

export interface FoundDeadline {
  start: number;
  end: number;
  /** The phrase as the text gives it. */
  text: string;
  /** The input for the body: a phrase of the table, or an EDTF string. Absent when vague. */
  input?: { text: string } | { edtf: string };
  edtf: string | null;
  earliest: IsoDate | null;
  latest: IsoDate | null;
  vague: boolean;
}

const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`;
const YEAR = String.raw`(?:1[89]\d\d|2\d\d\d)`;
const NUMBER = String.raw`(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty|sixty|ninety|a)`;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

type Rewrite = (m: RegExpExecArray, ref: IsoDate) => { text: string } | { edtf: string } | null;

/** Phrase patterns, most specific first. `null` from a rewrite means: vague. */
const PATTERNS: Array<[RegExp, Rewrite]> = [
  [
    new RegExp(
      String.raw`\b(?:for|in|during) (?:the (?:period|years) )?(${YEAR})\s?[-–]\s?(${YEAR})\b`,
      'gi',
    ),
    (m) => ({ edtf: `${m[1]}/${m[2]}` }),
  ],
  [
    new RegExp(
      String.raw`\b(?:by|until|no later than|not later than) (?:the end of |end-)?(?:${MONTH} \d{1,2}(?:st|nd|rd|th)?,? ${YEAR}|\d{1,2}(?:st|nd|rd|th)? (?:of )?${MONTH},? ${YEAR}|${MONTH},? ${YEAR}|${YEAR})\b`,
      'gi',
    ),
    (m) => ({ text: m[0].replace(/\.(?= )/g, '') }),
  ],
  [new RegExp(String.raw`\bbefore ${YEAR}\b`, 'gi'), (m) => ({ text: m[0] })],
  [/\bby the end of (?:this|next) year\b/gi, (m) => ({ text: m[0] })],
  [/\b(?:by|before) the end of the year\b/gi, () => ({ text: 'by the end of this year' })],
  [
    /\bby the end of (?:the|this) month\b/gi,
    (_m, ref) => {
      const month = MONTH_NAMES[Number(ref.slice(5, 7)) - 1] ?? '';
      return { text: `by the end of ${month} ${ref.slice(0, 4)}` };
    },
  ],
  [
    new RegExp(
      String.raw`\b(?:over|within|in|during) the (?:next|coming) (${NUMBER}) (years?|months?|weeks?|days?)\b`,
      'gi',
    ),
    (m) => ({ text: `within ${m[1]} ${m[2]}` }),
  ],
  [
    new RegExp(String.raw`\bwithin (${NUMBER}) (years?|months?|weeks?|days?)\b`, 'gi'),
    (m) => ({ text: m[0] }),
  ],
  [
    new RegExp(
      String.raw`\b(?:in |during )?(?:the )?(?:first|second) half of ${YEAR}\b|\b(?:in |during )?(?:the )?(?:first|second|third|fourth) quarter of ${YEAR}\b|\b(?:in )?[HQ][1-4] ${YEAR}\b`,
      'gi',
    ),
    (m) => ({ text: m[0] }),
  ],
  [new RegExp(String.raw`\b(?:in|during) ${MONTH} ${YEAR}\b`, 'gi'), (m) => ({ text: m[0] })],
  [new RegExp(String.raw`\b(?:in|during) ${YEAR}\b(?![-–]\d)`, 'gi'), (m) => ({ text: m[0] })],
  [/\b(?:later )?this year\b/gi, () => ({ text: 'this year' })],
  [/\bnext year\b/gi, () => ({ text: 'next year' })],
  // Phrases the table may learn (issue 15): offered to it as written, kept vague while it refuses them.
  [
    new RegExp(
      String.raw`\bby mid-${YEAR}\b|\bby the end of next quarter\b|\bin the coming year\b(?!s)`,
      'gi',
    ),
    (m) => ({ text: m[0] }),
  ],
  [
    /\b(?:in the (?:coming|next few) (?:years|months|weeks)|in the (?:near|foreseeable) future|in the (?:medium|long|short) term|later this (?:week|month)|soon|shortly|in due course)\b/gi,
    () => null,
  ],
];

/**
 * The first deadline phrase in `text` (offsets relative to `text`), interpreted against `ref`.
 * Returns null when the text gives no time.
 */
export function findDeadline(text: string, ref: IsoDate): FoundDeadline | null {
  let best: { m: RegExpExecArray; rewrite: Rewrite } | null = null;
  for (const [re, rewrite] of PATTERNS) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (!m) continue;
    // Earliest wins; at the same position, the longer (more specific) phrase.
    if (
      !best ||
      m.index < best.m.index ||
      (m.index === best.m.index && m[0].length > best.m[0].length)
    ) {
      best = { m, rewrite };
    }
  }
  if (!best) return null;
  const { m, rewrite } = best;
  const found = { start: m.index, end: m.index + m[0].length, text: m[0] };
  const input = rewrite(m, ref);
  if (input) {
    const window = 'text' in input ? interpretPhrase(input.text, ref) : safeEdtf(input.edtf);
    if (window) return { ...found, input, ...window, vague: false };
  }
  return { ...found, edtf: null, earliest: null, latest: null, vague: true };
}

function safeEdtf(value: string): ReturnType<typeof interpretEdtf> | null {
  try {
    return interpretEdtf(value, 'due.edtf');
  } catch {
    return null;
  }
}

/**
 * The day a past figure stands for: "last year" → end of the year before the statement,
 * "in 2022" → 2022-12-31, anything else (including "since the beginning of the year") → the
 * statement date itself.
 */
export function factDate(text: string, ref: IsoDate): IsoDate {
  const year = Number(ref.slice(0, 4));
  if (/\blast year\b/i.test(text)) return `${year - 1}-12-31`;
  const m = new RegExp(String.raw`\b(?:in|during|for) (${YEAR})\b`, 'i').exec(text);
  if (m && Number(m[1]) < year) return `${m[1]}-12-31`;
  return ref;
}

/** A deadline found in a slice, moved to the offsets of the whole text. */
export function shiftDeadline(d: FoundDeadline | null, by: number): FoundDeadline | null {
  return d ? { ...d, start: d.start + by, end: d.end + by } : null;
}
