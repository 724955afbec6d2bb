/**
 * From a text to candidate commitments, for a person to accept, edit or reject. Pure: no I/O, no
 * clock. The method (docs/extraction.md), and where each step lives:
 *
 * 1. statement date: the request's, else the dateline's ("Tashkent, November 15 (Xinhua) —", year
 *    from `source.publishedAt`), else `source.publishedAt` (`dateline.ts`, `context.ts`);
 * 2. sentences (lines, then `Intl.Segmenter`, joined again after abbreviations) (`sentences.ts`);
 * 3. in each sentence, undertaking cues (`cues.ts`, `lexicon.ts`); a sentence with several gives a
 *    clause per cue (and per enumerated item "(1) … (2) …") (`clauses.ts`); a list lead-in ("agree
 *    to take the following actions by …:") lends its kind, parties and deadline to the list items
 *    after it (`plan.ts`);
 * 4. a sentence without an undertaking cue that carries a figure, an emphasis, a discussion or a
 *    hedge is skipped with the reason (`plan.ts`, past facts in `facts.ts`);
 * 5. per clause (`candidate.ts`): kind, parties (`clause-parties.ts`, `subjects.ts`), speaker
 *    (`speakers.ts`), metric with a baseline from a past figure of the same measure (`metric.ts`),
 *    deadline (the domain's table, `deadlines.ts`), confidence, reasons, a title (`title.ts`) and
 *    a `POST /commitments` body (`body.ts`);
 * 6. repeats (a headline and its lead, a quote and its paraphrase) are merged into one candidate
 *    (`merge.ts`).
 */
import { buildCandidate } from './candidate.js';
import { readContext, type Clause, type Ctx, type ExtractInput, type LeadIn } from './context.js';
import { documentClause } from './cues.js';
import { DOCUMENT_TITLE_RE } from './lexicon.js';
import { mergeRepeats } from './merge.js';
import { planSentence, type Plan } from './plan.js';
import { quoteOf, tidied, type Sentence } from './sentences.js';
import { subjectHead, subjectStates } from './subjects.js';
import type { Candidate, ExtractionResult, Skipped } from './types.js';

export { findDateline } from './dateline.js';
export type { ExtractInput } from './context.js';

/** Extract candidate commitments from `input.text`. */
export function extract(input: ExtractInput): ExtractionResult {
  const { ctx, sentences } = readContext(input);
  // First pass: past facts (figures without undertakings), for baselines anywhere in the text.
  const plans = sentences.map((s) => planSentence(ctx, s));
  for (const p of plans) {
    if (p.clauses.length === 0 && p.pastFact) ctx.facts.push(...p.pastFact);
  }
  const { candidates, skipped } = walkPlans(ctx, plans, input);
  return { statementDate: ctx.statementDate, candidates: mergeRepeats(candidates), skipped };
}

/**
 * Second pass, in text order: the candidates of each sentence's clauses and the skipped
 * sentences, carrying a list lead-in to its items and the actor of a sentence to the next.
 */
function walkPlans(
  ctx: Ctx,
  plans: Plan[],
  input: ExtractInput,
): { candidates: Candidate[]; skipped: Skipped[] } {
  const { text } = ctx;
  const candidates: Candidate[] = [];
  const skipped: Skipped[] = [];
  let leadIn: LeadIn | null = null;
  let actor: string[] | null = null;
  for (const plan of plans) {
    const s = plan.sentence;
    if (!s.listItem && leadIn && !text.slice(s.start, s.end).trimEnd().endsWith(':')) leadIn = null;
    if (plan.leadIn) {
      leadIn = plan.leadIn;
      skipped.push({
        ...quoteOf(text, s),
        reason: `list lead-in: ${plan.leadIn.cue} (its items are the candidates)`,
      });
      continue;
    }
    const sentenceActor = s.listItem ? null : actorOf(ctx, s);
    const clauses = clausesToBuild(text, plan, leadIn);
    if (clauses.length > 0) {
      const lent = s.listItem ? leadIn : null;
      candidates.push(...sentenceCandidates(ctx, clauses, lent, actor, input));
    } else if (plan.skip) {
      skipped.push(plan.skip);
    }
    if (sentenceActor) actor = sentenceActor;
  }
  return { candidates, skipped };
}

/**
 * The actor a later impersonal sentence ("… have been proposed") refers to: the subject at the
 * head of this one (its first eight words), outside lists.
 */
function actorOf(ctx: Ctx, s: Sentence): string[] | null {
  const head = subjectHead(ctx.text, s);
  return subjectStates(ctx, head.start, head.end, true);
}

/** The plan's clauses, or a list item's document title under a lead-in, or none. */
function clausesToBuild(text: string, plan: Plan, leadIn: LeadIn | null): Clause[] {
  if (plan.clauses.length > 0) return plan.clauses;
  const s = plan.sentence;
  if (s.listItem && leadIn && DOCUMENT_TITLE_RE.test(tidied(text, s))) {
    return [documentClause(text, s)];
  }
  return [];
}

/** The candidates of one sentence's clauses; a clause without a subject takes the one before. */
function sentenceCandidates(
  ctx: Ctx,
  clauses: Clause[],
  leadIn: LeadIn | null,
  actor: string[] | null,
  input: ExtractInput,
): Candidate[] {
  const out: Candidate[] = [];
  let previous: string[] | null = null;
  for (const clause of clauses) {
    const c = buildCandidate(ctx, clause, leadIn, previous, actor, input);
    if (c) {
      out.push(c.candidate);
      previous = c.subject;
    }
  }
  return out;
}
