/**
 * Past facts: figures of what has happened ("trade has reached $4 billion"). A sentence that only
 * states one is skipped, and its figure may be the baseline of a later target (method, steps 5, 9).
 */
import type { FoundAmount } from './amounts.js';
import type { Ctx, PastFact } from './context.js';
import { factDate } from './deadlines.js';
import { PAST_VERB_RE } from './lexicon.js';
import { findMentions } from './parties.js';
import type { Sentence, Span } from './sentences.js';

/** "has reached $4 billion", "6,500 joint ventures have been established", "more than 40 flights per week". */
export function factPhrase(text: string, s: Span, a: FoundAmount): { text: string; verb: boolean } {
  const sText = text.slice(s.start, s.end);
  const aStart = a.start - s.start;
  const aEnd = a.end - s.start;
  let best: [number, number] | null = null;
  for (const m of sText.matchAll(PAST_VERB_RE)) {
    const vStart = m.index;
    const vEnd = m.index + m[0].length;
    if (vEnd <= aStart && aStart - vEnd <= 40) best = [vStart, aEnd];
    else if (vStart >= aEnd && vStart - aEnd <= 30 && !best) best = [aStart, vEnd];
  }
  if (best) return { text: sText.slice(best[0], best[1]).replace(/\s+/g, ' '), verb: true };
  const per = /^\s+per\s+\w+/.exec(sText.slice(aEnd));
  return { text: sText.slice(aStart, aEnd + (per ? per[0].length : 0)), verb: false };
}

const STOP = new Set(
  'the a an of to in on at by for with and or this that these those its their his her our has have had is are was were be been since beginning year last over more than between countries country mutual bilateral'.split(
    ' ',
  ),
);

/** The words that tie a target to a past figure of the same measure. */
export const contentWords = (s: string): Set<string> =>
  new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((w) => w.length > 2 && !STOP.has(w)),
  );

export function pastFacts(ctx: Ctx, s: Sentence, amounts: FoundAmount[]): PastFact[] {
  const sText = ctx.text.slice(s.start, s.end);
  return amounts
    .filter((a) => !a.parenthetical)
    .map((amount) => ({
      amount,
      sentence: s,
      asOf: factDate(sText, ctx.statementDate),
      words: contentWords(sText),
    }));
}

/** The measure a past figure is about: the words before its verb ("Kazakhstan-China trade"). */
export function measureOf(text: string, f: PastFact): string | undefined {
  const head = text.slice(f.sentence.start, f.amount.start);
  const verb = [...head.matchAll(PAST_VERB_RE)][0];
  if (!verb) return undefined;
  let m = head.slice(0, verb.index);
  m = m.slice(m.lastIndexOf(', ') >= 0 ? m.lastIndexOf(', ') + 2 : 0);
  m = m
    .replace(/^[\s"“«]+/, '')
    .replace(/\s+(?:since the beginning of the year|so far|this year|in \d{4})\s*$/i, '')
    .trim();
  if (m.length < 3 || m.length > 60) return undefined;
  // "Trade turnover" → "trade turnover", but not "Kazakhstan-China trade".
  const proper = findMentions(m).some((x) => x.start === 0);
  return !proper && /^\p{Lu}\p{Ll}/u.test(m) ? m.charAt(0).toLowerCase() + m.slice(1) : m;
}
