/**
 * A candidate's metric: the measure an amount is of, and a baseline from a past figure of the
 * same measure (method, step 9).
 */
import type { Kind } from '../domain/index.js';
import type { FoundAmount } from './amounts.js';
import type { Ctx, PastFact } from './context.js';
import { contentWords, measureOf } from './facts.js';
import type { CandidateMetric } from './types.js';

const ANAPHORA = /^(?:this|that|the) (?:figure|indicator|volume|amount|level)$|^(?:it|this|that)$/i;

/** The metric of amount `a` in `quote` (which starts at `offset` in the text). */
export function buildMetric(
  ctx: Ctx,
  quote: string,
  offset: number,
  a: FoundAmount,
  kind: Kind,
): CandidateMetric {
  let name = measureName(quote, offset, a);
  // Baseline: a past figure of the same measure and unit, below a target to be reached.
  let baseline: CandidateMetric['baseline'];
  if (kind === 'target' || kind === 'proposal') {
    const anaphoric = name !== undefined && ANAPHORA.test(name.trim());
    const best = baselineFact(ctx, contentWords(`${name ?? ''} ${quote}`), anaphoric, a);
    if (best) {
      baseline = { value: best.amount.value, asOf: best.asOf };
      if (anaphoric || !name) name = measureOf(ctx.text, best) ?? name;
    }
  }
  name = (name ?? (a.kind === 'money' ? 'amount' : a.unit)).trim();
  if (ANAPHORA.test(name)) name = 'amount';
  const metric: CandidateMetric = { name, unit: a.unit, target: a.value };
  if (baseline) metric.baseline = baseline;
  return metric;
}

/**
 * What the amount measures, from the words around it: the object of "increase … to", else
 * "in/of X" after it, else "X worth" before it; a count's unit at worst.
 */
function measureName(quote: string, offset: number, a: FoundAmount): string | undefined {
  const before = quote.slice(0, a.start - offset);
  const after = quote.slice(a.end - offset);
  let name: string | undefined;
  const raise =
    /\b(?:increase|increasing|bring|bringing|raise|raising|boost|boosting|expand|expanding|grow|growing|double|take|lift)\s+(?:the\s+)?([\p{L}’' -]{3,80}?)\s+to\s+(?:over |more than |about |nearly )?$/u.exec(
      before,
    );
  if (raise) name = raise[1];
  if (!name) {
    const tail =
      /^\s*(?:\([^)]*\)\s*)?(?:in|of|worth of|for)\s+([\p{L}-]+(?: [\p{L}-]+){0,3}?)(?=\s+(?:to|for|in|by|this|next|over|at|from|and|within|before|until|during)\b|[,.;]|$)/u.exec(
        after,
      );
    if (tail) name = tail[1];
  }
  if (!name) {
    const worth =
      /([\p{L}-]+(?: [\p{L}-]+){0,3})\s+(?:worth|valued at|of)\s+(?:over |more than |about |nearly )?$/u.exec(
        before,
      );
    if (worth) name = (worth[1] ?? '').replace(/^(?:a|an|the)\s+/i, '');
  }
  // "a new target of $40 billion": the measure is the one the baseline names.
  if (name && /\b(?:target|goal|aim|figure)$/i.test(name)) name = 'this figure';
  if (a.kind === 'count') name = name ?? a.unit;
  return name;
}

/**
 * The past fact nearest the amount with the same unit, a smaller value and a content word in
 * common (or, for "this figure", just before it).
 */
function baselineFact(
  ctx: Ctx,
  words: Set<string>,
  anaphoric: boolean,
  a: FoundAmount,
): PastFact | undefined {
  let best: PastFact | undefined;
  for (const f of ctx.facts) {
    if (f.amount.unit !== a.unit || f.amount.value >= a.value) continue;
    const shared = [...f.words].some((w) => words.has(w));
    const nearBefore = f.sentence.end <= a.start && a.start - f.sentence.end < 300;
    if (!(shared || (anaphoric && nearBefore))) continue;
    if (!best || Math.abs(f.amount.start - a.start) < Math.abs(best.amount.start - a.start))
      best = f;
  }
  return best;
}
