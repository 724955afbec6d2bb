/**
 * From a clause to a candidate: its quote, kind, parties, metric, deadline, confidence, reasons,
 * title and body (method, steps 4 and 6 to 11).
 */
import { normaliseParties } from '../domain/parties.js';
import type { Kind } from '../domain/index.js';
import { describeAmount, findAmounts, type FoundAmount } from './amounts.js';
import { makeBody } from './body.js';
import { madeByOf, partiesOf } from './clause-parties.js';
import type { Clause, Ctx, CueHit, ExtractInput, LeadIn } from './context.js';
import { DATELINE_PREFIX } from './dateline.js';
import { findDeadline, shiftDeadline, type FoundDeadline } from './deadlines.js';
import { MEETING_RE } from './lexicon.js';
import { buildMetric } from './metric.js';
import { tidySpan, trimSpan, type Span } from './sentences.js';
import { ATTRIBUTION_TAIL, announcer, speakerOf } from './speakers.js';
import { makeTitle } from './title.js';
import type { Candidate, CandidateDue, CandidateMetric } from './types.js';

/** The candidate of a clause, and its subject (for the next clause), or null if it has none. */
export function buildCandidate(
  ctx: Ctx,
  clause: Clause,
  leadIn: LeadIn | null,
  previousSubject: string[] | null,
  actor: string[] | null,
  input: ExtractInput,
): { candidate: Candidate; subject: string[] | null } | null {
  const cue = clause.cue;
  const reasons: string[] = [`cue: ${cue.text}`];
  const at = quoteSpan(ctx, clause);
  if (!at) return null;
  const { span, quote, announced } = at;

  const amounts = findAmounts(quote)
    .map((a) => ({ ...a, start: a.start + span.start, end: a.end + span.start }))
    .filter((a) => !a.parenthetical);
  const dueFound = shiftDeadline(findDeadline(quote, ctx.statementDate), span.start);
  const metricAmount = amounts.find(
    (a) => !dueFound || a.end <= dueFound.start || a.start >= dueFound.end,
  );
  const kind = kindOf(cue, quote, leadIn, metricAmount);
  if (cue.rule.weak)
    reasons.push(`hedged: ${cue.text} (a readiness, expectation, call or possibility)`);

  const subjectStart = clause.index === 0 ? announced.start : clause.start;
  const speaker = speakerOf(ctx, clause.sentence);
  const who = partiesOf(ctx, {
    clause,
    kind,
    span,
    subjectStart,
    previousSubject,
    leadIn,
    speaker,
    actor,
  });
  // The stored forms (issue 15): ISO codes stay, any name the domain knows becomes its code.
  const parties = normaliseParties(who.parties);
  if (parties.length === 0) return null;
  reasons.push(`parties: ${parties.join(', ')} (${who.why})`);
  const madeBy = madeByOf(ctx, parties, announced.person ?? speaker?.person, {
    start: subjectStart,
    end: cue.start,
  });

  const metric =
    metricAmount && kind !== 'meeting'
      ? metricOf(ctx, quote, span.start, metricAmount, kind, reasons)
      : undefined;
  // Deadline: the clause's own, else the lead-in's.
  const due = dueFound ?? leadIn?.due ?? null;
  if (due) reasons.push(deadlineReason(due, dueFound !== null));

  const title = makeTitle(ctx.text, span, cue, metric);
  const parts = { title, kind, parties, quote, madeBy, metric, due };
  const candidate = assemble(ctx, input, span, parts, confidenceOf(cue, metric, due), reasons);
  return candidate ? { candidate, subject: who.subject } : null;
}

/**
 * The quote of a clause: from its start (or after "X announced that"), without a dateline or an
 * attribution tail ("…, reported Akorda"), tidied; null when nothing is left.
 */
function quoteSpan(
  ctx: Ctx,
  clause: Clause,
): { span: Span; quote: string; announced: ReturnType<typeof announcer> } | null {
  const { text } = ctx;
  const cue = clause.cue;
  const announced =
    clause.index === 0 ? announcer(ctx, clause.start, cue.start) : { start: clause.start };
  let start = announced.start;
  let end = clause.end;
  const head = DATELINE_PREFIX.exec(text.slice(start, end));
  if (head && start + head[0].length <= cue.start) start += head[0].length;
  const tail = ATTRIBUTION_TAIL.exec(text.slice(cue.end, end));
  if (tail) end = cue.end + tail.index;
  const span = tidySpan(text, trimSpan(text, { start, end }));
  if (span.end <= span.start) return null;
  return { span, quote: text.slice(span.start, span.end), announced };
}

/** Kind, from the strongest evidence down (method, step 6). */
function kindOf(
  cue: CueHit,
  quote: string,
  leadIn: LeadIn | null,
  metricAmount: FoundAmount | undefined,
): Kind {
  if (cue.rule.kind === 'proposal') return 'proposal';
  if (MEETING_RE.test(quote) && cue.rule.kind !== 'project') return 'meeting';
  if (leadIn) return leadIn.kind;
  if (cue.rule.kind === 'project') return 'project';
  if (metricAmount) return 'target';
  return cue.rule.kind ?? 'other';
}

/** The metric of the clause's amount; the reasons say the amount and any baseline. */
function metricOf(
  ctx: Ctx,
  quote: string,
  offset: number,
  amount: FoundAmount,
  kind: Kind,
  reasons: string[],
): CandidateMetric {
  const metric = buildMetric(ctx, quote, offset, amount, kind);
  reasons.push(`amount: ${describeAmount(amount)}`);
  if (metric.baseline)
    reasons.push(`baseline: ${metric.baseline.value} as of ${metric.baseline.asOf}`);
  return metric;
}

function deadlineReason(due: FoundDeadline, own: boolean): string {
  return `deadline: ${due.text}${due.vague ? ' (vague: not in the deadline table, kept as written)' : ''}${own ? '' : ' (from the list lead-in)'}`;
}

/** The cue's confidence, + 0.05 for a metric, + 0.05 for an interpreted deadline; at most 0.95. */
function confidenceOf(
  cue: CueHit,
  metric: CandidateMetric | undefined,
  due: FoundDeadline | null,
): number {
  const confidence = cue.rule.confidence + (metric ? 0.05 : 0) + (due && !due.vague ? 0.05 : 0);
  return Math.round(Math.min(0.95, confidence) * 100) / 100;
}

interface CandidateParts {
  title: string;
  kind: Kind;
  parties: string[];
  quote: string;
  madeBy: string[] | undefined;
  metric: CandidateMetric | undefined;
  due: FoundDeadline | null;
}

/** The candidate with its `POST /commitments` body, or null if no valid body can be made. */
function assemble(
  ctx: Ctx,
  input: ExtractInput,
  span: Span,
  p: CandidateParts,
  confidence: number,
  reasons: string[],
): Candidate | null {
  const { title, kind, parties, quote, madeBy, metric, due } = p;
  const body = makeBody(
    input,
    ctx.statementDate,
    {
      title,
      kind,
      parties,
      quote,
      ...(madeBy ? { madeBy } : {}),
      ...(metric ? { metric } : {}),
      ...(due ? { due } : {}),
    },
    reasons,
  );
  if (!body) return null;
  const candidateDue: CandidateDue | undefined = due
    ? {
        text: due.text,
        edtf: due.edtf,
        earliest: due.earliest,
        latest: due.latest,
        vague: due.vague,
      }
    : undefined;
  return {
    quote,
    start: span.start,
    end: span.end,
    kind,
    title,
    parties,
    ...(madeBy ? { madeBy } : {}),
    ...(metric ? { metric } : {}),
    ...(candidateDue ? { due: candidateDue } : {}),
    confidence,
    reasons,
    body,
  };
}
