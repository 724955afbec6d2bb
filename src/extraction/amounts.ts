/**
 * Amounts in the forms news reports use. Our own rules, because the general-purpose recognisers
 * get exactly these wrong (`@microsoft/recognizers-text-suite` 1.3.1 reads "USD 2.5 billion" as
 * 25,000,000, "$1.5bn" as 1.5 and "CNY 1.5bn" as 0.015; see docs/extraction.md):
 *
 * - money: `$10 billion`, `US$10 billion`, `$1.5bn`, `$208mn`, `$40Bln`, `USD 2.5 billion`,
 *   `CNY 1.5bn`, `10 billion US dollars`, `1.2 trillion yuan`, `€3 million`;
 * - shares: `10 percent`, `10%`, `24 percentage points`;
 * - counts: `3,000 vocational training quotas`, `6,500 joint ventures`, `40 flights`;
 * - a qualifier in front: `over`/`more than`/`at least` (a lower bound), `nearly`/`about` (approximate),
 *   `up to` (an upper bound).
 */

export type AmountKind = 'money' | 'percent' | 'points' | 'count';
export type Qualifier = 'lower' | 'approx' | 'upper';

export interface FoundAmount {
  start: number;
  end: number;
  /** The matched words, qualifier included ("over $8 billion"). */
  text: string;
  value: number;
  /** ISO 4217 code for money, "percent", "percentage points", or the counted noun. */
  unit: string;
  kind: AmountKind;
  qualifier?: Qualifier;
  /** True when the amount stands inside parentheses (a conversion, "(over $208mn)"). */
  parenthetical: boolean;
}

// Bounded, and never starting inside a number, so a run of digits costs linear time.
const NUM = String.raw`(?<![\d,.])(?:\d{1,3}(?:,\d{3}){1,6}(?![,\d])(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?)(?!\d)`;
const MULT = String.raw`trillion|tn|billion|bln|bn|million|mln|mn|thousand`;
const MULTIPLIERS: Record<string, number> = {
  trillion: 1e12,
  tn: 1e12,
  billion: 1e9,
  bln: 1e9,
  bn: 1e9,
  million: 1e6,
  mln: 1e6,
  mn: 1e6,
  thousand: 1e3,
};

const SYMBOLS: Record<string, string> = { us$: 'USD', $: 'USD', '€': 'EUR', '£': 'GBP' };
const CODES = ['USD', 'EUR', 'CNY', 'RMB', 'KZT', 'UZS', 'RUB', 'TRY', 'GBP', 'JPY', 'INR'];
const CODE_ALIASES: Record<string, string> = { RMB: 'CNY' };
const WORDS: Array<[RegExp, string]> = [
  [/^(?:u\.?s\.? )?dollars?$/i, 'USD'],
  [/^(?:yuan|renminbi)$/i, 'CNY'],
  [/^euros?$/i, 'EUR'],
  [/^tenge$/i, 'KZT'],
  [/^(?:soums?|sums)$/i, 'UZS'],
  [/^(?:rubles?|roubles?)$/i, 'RUB'],
  [/^rupees?$/i, 'INR'],
  [/^(?:lira|liras)$/i, 'TRY'],
  [/^pounds? sterling$/i, 'GBP'],
];
const CURRENCY_WORDS = String.raw`U\.?S\.? dollars?|dollars?|yuan|renminbi|euros?|tenge|soums?|rubles?|roubles?|rupees?|liras?|pounds? sterling`;

const PREFIX_RE = new RegExp(
  String.raw`(US\$|\$|€|£|\b(?:${CODES.join('|')})\s?)(${NUM})(?:\s?(${MULT})\b)?`,
  'gi',
);
const SUFFIX_RE = new RegExp(String.raw`\b(${NUM})(?:\s?(${MULT}))?\s+(${CURRENCY_WORDS})\b`, 'gi');
const SHARE_RE = new RegExp(String.raw`\b(${NUM})\s?(percentage points?|per ?cent\b|%)`, 'gi');
const COUNT_RE = new RegExp(
  String.raw`\b(${NUM})(?:\s(${MULT}))?\s+([a-z][a-z-]+(?:\s[a-z][a-z-]+){0,3})`,
  'g',
);

const QUALIFIERS: Array<[RegExp, Qualifier]> = [
  [/\b(?:over|more than|above|at least|in excess of|exceeding|upwards of)\s*$/i, 'lower'],
  [/\b(?:nearly|almost|about|around|approximately|roughly|some)\s*$/i, 'approx'],
  [/\b(?:up to|as much as|at most)\s*$/i, 'upper'],
];

/** Words that end a counted noun phrase, and words that show a number is not a count. */
const STOP_WORDS = new Set([
  'of',
  'in',
  'on',
  'at',
  'to',
  'for',
  'from',
  'with',
  'by',
  'per',
  'and',
  'or',
  'the',
  'a',
  'an',
  'between',
  'into',
  'than',
  'that',
  'which',
  'who',
  'is',
  'are',
  'was',
  'were',
  'has',
  'have',
  'had',
  'will',
  'be',
  'been',
  'over',
  'under',
  'during',
  'each',
  'every',
  'since',
  'after',
  'before',
  'across',
  'within',
  'through',
  'this',
  'next',
  'last',
  'annually',
  'today',
  'yesterday',
  'tomorrow',
  'now',
  'so',
  'as',
  'a-year',
]);
const TIME_UNITS = /^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)$/;
const MONTH_BEFORE =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s*$/i;
const LABEL_BEFORE = /\b(?:no|nos|order|article|resolution|item|paragraph|number|decree)\.?\s*$/i;

const parseNum = (s: string): number => Number(s.replace(/,/g, ''));

function qualifierBefore(text: string, start: number): { qualifier?: Qualifier; start: number } {
  const before = text.slice(Math.max(0, start - 24), start);
  for (const [re, q] of QUALIFIERS) {
    const m = re.exec(before);
    if (m) return { qualifier: q, start: start - (before.length - m.index) };
  }
  return { start };
}

function insideParentheses(text: string, start: number): boolean {
  const open = text.lastIndexOf('(', start);
  if (open < 0) return false;
  const close = text.indexOf(')', open);
  return close >= start;
}

/** Every amount in `text`, in order of position. */
export function findAmounts(text: string): FoundAmount[] {
  const { found, push } = collector(text);
  for (const m of text.matchAll(PREFIX_RE)) {
    const sym = (m[1] ?? '').trim();
    const unit = SYMBOLS[sym.toLowerCase()] ?? CODE_ALIASES[sym.toUpperCase()] ?? sym.toUpperCase();
    const mult = m[3] ? (MULTIPLIERS[m[3].toLowerCase()] ?? 1) : 1;
    push(m.index, m.index + m[0].length, round(parseNum(m[2] ?? '') * mult), unit, 'money');
  }
  for (const m of text.matchAll(SUFFIX_RE)) {
    const word = (m[3] ?? '').replace(/\s+/g, ' ');
    const unit = WORDS.find(([re]) => re.test(word))?.[1];
    if (!unit) continue;
    const mult = m[2] ? (MULTIPLIERS[m[2].toLowerCase()] ?? 1) : 1;
    push(m.index, m.index + m[0].length, round(parseNum(m[1] ?? '') * mult), unit, 'money');
  }
  for (const m of text.matchAll(SHARE_RE)) {
    const points = /points?/i.test(m[2] ?? '');
    push(
      m.index,
      m.index + m[0].length,
      parseNum(m[1] ?? ''),
      points ? 'percentage points' : 'percent',
      points ? 'points' : 'percent',
    );
  }
  for (const m of text.matchAll(COUNT_RE)) {
    const count = countAt(text, m);
    if (count) push(m.index, count.end, count.value, count.unit, 'count');
  }
  return found.sort((a, b) => a.start - b.start);
}

type Push = (start: number, end: number, value: number, unit: string, kind: AmountKind) => void;

/**
 * The amounts found so far and how to add one: an amount overlapping one already found is
 * dropped (the earlier forms win), and each gets its qualifier and whether it is parenthetical.
 */
function collector(text: string): { found: FoundAmount[]; push: Push } {
  const found: FoundAmount[] = [];
  // Characters already inside a found amount: an overlap check that stays linear.
  const taken = new Uint8Array(text.length + 1);
  const overlaps = (a: { start: number; end: number }): boolean => {
    for (let i = a.start; i < a.end; i++) if (taken[i]) return true;
    return false;
  };
  const push: Push = (start, end, value, unit, kind) => {
    if (!Number.isFinite(value) || overlaps({ start, end })) return;
    taken.fill(1, start, end);
    const q = qualifierBefore(text, start);
    const a: FoundAmount = {
      start: q.start,
      end,
      text: text.slice(q.start, end),
      value,
      unit,
      kind,
      parenthetical: insideParentheses(text, start),
    };
    if (q.qualifier) a.qualifier = q.qualifier;
    found.push(a);
  };
  return { found, push };
}

/**
 * The count at a `COUNT_RE` match ("3,000 vocational training quotas"); null for a year, a day of
 * a month, a label ("Order 14257") or a duration.
 */
function countAt(
  text: string,
  m: RegExpExecArray,
): { end: number; value: number; unit: string } | null {
  const numText = m[1] ?? '';
  const before = text.slice(Math.max(0, m.index - 16), m.index);
  if (MONTH_BEFORE.test(before) || LABEL_BEFORE.test(before)) return null;
  // A bare four-digit number from 1000 to 2199 is a year, not a count.
  if (/^\d{4}$/.test(numText) && Number(numText) >= 1000 && Number(numText) < 2200) return null;
  const words = (m[3] ?? '').split(' ');
  const kept: string[] = [];
  for (const w of words) {
    if (STOP_WORDS.has(w)) break;
    kept.push(w);
  }
  if (kept.length === 0) return null;
  if (TIME_UNITS.test(kept[0] ?? '')) return null;
  const noun = kept.join(' ');
  const mult = m[2] ? (MULTIPLIERS[m[2].toLowerCase()] ?? 1) : 1;
  const nounStart = m.index + m[0].indexOf(m[3] ?? '', (m[1] ?? '').length);
  return { end: nounStart + noun.length, value: round(parseNum(numText) * mult), unit: noun };
}

/** Round away binary noise from decimal × power of ten (1.5 × 1e9). */
function round(n: number): number {
  return Number(n.toPrecision(12));
}

/** How an amount reads in a reason: "over $8 billion (a lower bound)". */
export function describeAmount(a: FoundAmount): string {
  const note =
    a.qualifier === 'lower'
      ? ' (a lower bound)'
      : a.qualifier === 'approx'
        ? ' (approximate)'
        : a.qualifier === 'upper'
          ? ' (an upper bound)'
          : '';
  return `${a.text}${note}`;
}
