/**
 * The plan of one sentence: a list lead-in, the clauses to make candidates of, or why it was
 * skipped, with any past facts it states (method, steps 3 to 5).
 */
import { findAmounts, type FoundAmount } from './amounts.js';
import { clausesOf } from './clauses.js';
import type { Clause, Ctx, CueHit, LeadIn, PastFact } from './context.js';
import { findCues } from './cues.js';
import { findDeadline, shiftDeadline } from './deadlines.js';
import { factPhrase, pastFacts } from './facts.js';
import { HEDGE_RE, SKIP_CUES } from './lexicon.js';
import { quoteOf, tidied, type Sentence } from './sentences.js';
import { subjectStates } from './subjects.js';
import type { Skipped } from './types.js';

export interface Plan {
  sentence: Sentence;
  clauses: Clause[];
  leadIn?: LeadIn;
  skip?: Skipped;
  pastFact?: PastFact[];
}

export function planSentence(ctx: Ctx, s: Sentence): Plan {
  const { text } = ctx;
  const sText = text.slice(s.start, s.end);
  const cues = findCues(text, s);
  const amounts = findAmounts(sText).map((a) => ({
    ...a,
    start: a.start + s.start,
    end: a.end + s.start,
  }));

  const leadIn = leadInOf(ctx, s);
  if (leadIn) return { sentence: s, clauses: [], leadIn };
  const clauses = clausesOf(text, s, cues, amounts.length > 0);
  if (clauses.length > 0) return { sentence: s, clauses };
  return { sentence: s, clauses, ...whyNot(ctx, s, cues, amounts) };
}

/** A list lead-in: "… agree to take the following actions by August 12, 2025:". */
function leadInOf(ctx: Ctx, s: Sentence): LeadIn | null {
  const { text } = ctx;
  const sText = text.slice(s.start, s.end);
  if (!(sText.trimEnd().endsWith(':') && /\bfollowing\b|\binclude\b/.test(sText))) return null;
  const agreeing = /\bagree(?:d|s)?\s+to\b|\bsigned\b|\bundertake\b|\bwill\b/i.exec(sText);
  if (!agreeing) return null;
  return {
    kind: 'agreement',
    due: shiftDeadline(findDeadline(sText, ctx.statementDate), s.start),
    parties: subjectStates(ctx, s.start, s.end, true),
    cue: tidied(text, { start: s.start + agreeing.index, end: s.end }),
  };
}

/**
 * No undertaking: is it something that looked like one? A figure with a verb of what has
 * happened is a past fact first (it may also serve as a baseline), then the other skip cues.
 */
function whyNot(
  ctx: Ctx,
  s: Sentence,
  cues: CueHit[],
  amounts: FoundAmount[],
): { skip?: Skipped; pastFact?: PastFact[] } {
  const { text } = ctx;
  const sText = text.slice(s.start, s.end);
  const own = amounts.filter((a) => !a.parenthetical);
  const firstOwn = own[0];
  if (firstOwn) {
    const phrase = factPhrase(text, s, firstOwn);
    if (phrase.verb) {
      return {
        skip: { ...quoteOf(text, s), reason: `past fact: ${phrase.text}` },
        pastFact: pastFacts(ctx, s, own),
      };
    }
  }
  for (const rule of SKIP_CUES) {
    rule.re.lastIndex = 0;
    const m = rule.re.exec(sText);
    if (m) {
      return {
        skip: { ...quoteOf(text, s), reason: `${rule.label}: ${m[0]}` },
        ...(amounts.length > 0 ? { pastFact: pastFacts(ctx, s, amounts) } : {}),
      };
    }
  }
  if (firstOwn) {
    return {
      skip: { ...quoteOf(text, s), reason: `past fact: ${factPhrase(text, s, firstOwn).text}` },
      pastFact: pastFacts(ctx, s, own),
    };
  }
  const hedge = HEDGE_RE.exec(sText);
  if (hedge && cues.length > 0) {
    return { skip: { ...quoteOf(text, s), reason: `hedge: ${hedge[0]}` } };
  }
  return {};
}
