/**
 * From a text to candidate commitments, for a person to accept, edit or reject. Pure: no I/O, no
 * clock. The method (docs/extraction.md):
 *
 * 1. statement date: the request's, else the dateline's ("Tashkent, November 15 (Xinhua) —", year
 *    from `source.publishedAt`), else `source.publishedAt`;
 * 2. sentences (lines, then `Intl.Segmenter`, joined again after abbreviations);
 * 3. in each sentence, undertaking cues; a sentence with several gives a clause per cue (and per
 *    enumerated item "(1) … (2) …"); a list lead-in ("agree to take the following actions by …:")
 *    lends its kind, parties and deadline to the list items after it;
 * 4. a sentence without an undertaking cue that carries a figure, an emphasis, a discussion or a
 *    hedge is skipped with the reason;
 * 5. per clause: kind, parties, speaker, metric (with a baseline from a past figure of the same
 *    measure), deadline (the domain's table), confidence, reasons and a `POST /commitments` body;
 * 6. repeats (a headline and its lead, a quote and its paraphrase) are merged into one candidate.
 */
import { RecordCommitmentBody, type IsoDate, type Kind, type Source } from '../domain/index.js';
import { normaliseParties } from '../domain/parties.js';
import { describeAmount, findAmounts, type FoundAmount } from './amounts.js';
import { factDate, findDeadline, type FoundDeadline } from './deadlines.js';
import {
  COLLECTIVE_RE,
  DOCUMENT_TITLE_RE,
  EMPHASIS_THAT_RE,
  HEDGE_RE,
  MEETING_RE,
  PAST_VERB_RE,
  SKIP_CUES,
  UNDERTAKING_CUES,
  type CueRule,
} from './lexicon.js';
import { findMentions, findPeople, type Mention, type Person } from './parties.js';
import { splitSentences, tidySpan, trimSpan, type Sentence, type Span } from './sentences.js';
import type {
  Candidate,
  CandidateDue,
  CandidateMetric,
  ExtractionResult,
  Skipped,
} from './types.js';

export interface ExtractInput {
  text: string;
  source: Source;
  statementDate?: IsoDate;
  language?: 'en';
}

interface CueHit extends Span {
  rule: CueRule;
  text: string;
}

interface Clause extends Span {
  cue: CueHit;
  sentence: Sentence;
  /** Position in the sentence's list of clauses (0 = first). */
  index: number;
}

/** What a list lead-in lends to the items under it. */
interface LeadIn {
  kind: Kind;
  due: FoundDeadline | null;
  parties: string[] | null;
  cue: string;
}

interface PastFact {
  amount: FoundAmount;
  sentence: Sentence;
  asOf: IsoDate;
  words: Set<string>;
}

interface Ctx {
  text: string;
  statementDate: IsoDate;
  mentions: Mention[];
  people: Person[];
  textStates: string[];
  facts: PastFact[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A dateline: "Tashkent, November 15 (Xinhua) —" or "ASTANA (Sputnik - 17th May, 2023)". */
export function findDateline(
  text: string,
  publishedAt: IsoDate,
): { date: IsoDate; start: number; end: number } | null {
  const head = text.slice(0, 3000);
  const forms: Array<[RegExp, (m: RegExpExecArray) => [number, number, number | null]]> = [
    [
      /^\s*[A-Z][\p{L} .'-]{1,40},\s+([A-Z][a-z]{2,8})\.?\s+(\d{1,2})(?:,\s+(\d{4}))?\s*(?:\([^)\n]{1,40}\))?\s*[—–-]+/mu,
      (m) => [monthIndex(m[1]), Number(m[2]), m[3] ? Number(m[3]) : null],
    ],
    [
      /^\s*[A-Z][\p{L} .'-]{1,40}\s*\([^)\n]*?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2,8}),?\s+(\d{4})\)/mu,
      (m) => [monthIndex(m[2]), Number(m[1]), Number(m[3])],
    ],
  ];
  for (const [re, read] of forms) {
    const m = re.exec(head);
    if (!m) continue;
    const [month, day, explicitYear] = read(m);
    if (month < 1 || day < 1 || day > 31) continue;
    let year = explicitYear ?? Number(publishedAt.slice(0, 4));
    let date = `${year}-${pad2(month)}-${pad2(day)}`;
    // A dateline without a year after the publication day belongs to the year before.
    if (explicitYear === null && date > publishedAt) {
      year -= 1;
      date = `${year}-${pad2(month)}-${pad2(day)}`;
    }
    if (RecordCommitmentBody.shape.statement.shape.madeAt.safeParse(date).success) {
      return { date, start: m.index, end: m.index + m[0].length };
    }
  }
  return null;
}

function monthIndex(name: string | undefined): number {
  return MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase()) + 1;
}

/** Extract candidate commitments from `input.text`. */
export function extract(input: ExtractInput): ExtractionResult {
  const { text, source } = input;
  const dateline = findDateline(text, source.publishedAt);
  const statementDate = input.statementDate ?? dateline?.date ?? source.publishedAt;
  const bodyFrom = dateline ? dateline.start : 0;

  const mentions = findMentions(text).filter((m) => m.start >= bodyFrom);
  const people = findPeople(text, mentions);
  // The states the text is about: those of its lead (the first sentence naming any), else all.
  const sentences = splitSentences(text).filter((s) => s.end > bodyFrom);
  const isState = (m: Mention): boolean =>
    m.via === 'name' || m.via === 'demonym' || m.via === 'group';
  const lead = sentences.find((s) =>
    mentions.some((m) => isState(m) && m.start >= s.start && m.end <= s.end),
  );
  const stateCodes = mentions
    .filter((m) => isState(m) && (!lead || (m.start >= lead.start && m.end <= lead.end)))
    .flatMap((m) => m.codes);
  let textStates = [...new Set(stateCodes)];
  if (textStates.length === 0) {
    textStates = [
      ...new Set(mentions.filter((m) => m.via === 'organisation').flatMap((m) => m.codes)),
    ];
  }

  const ctx: Ctx = { text, statementDate, mentions, people, textStates, facts: [] };

  const candidates: Candidate[] = [];
  const skipped: Skipped[] = [];
  let leadIn: LeadIn | null = null;
  let actor: string[] | null = null;

  // First pass: past facts (figures without undertakings), for baselines anywhere in the text.
  const plans = sentences.map((s) => planSentence(ctx, s));
  for (const p of plans) {
    if (p.clauses.length === 0 && p.pastFact) ctx.facts.push(...p.pastFact);
  }

  for (const plan of plans) {
    const s = plan.sentence;
    const sText = text.slice(s.start, s.end);
    if (!s.listItem) {
      if (leadIn && !sText.trimEnd().endsWith(':')) leadIn = null;
    }
    if (plan.leadIn) {
      leadIn = plan.leadIn;
      skipped.push({
        ...quoteOf(text, s),
        reason: `list lead-in: ${plan.leadIn.cue} (its items are the candidates)`,
      });
      continue;
    }
    // The actor a later impersonal sentence ("… have been proposed") refers to: the subject
    // at the head of this one (its first eight words), outside lists.
    const head = subjectHead(text, s);
    const sentenceActor = s.listItem ? null : subjectStates(ctx, head.start, head.end, true);
    if (
      plan.clauses.length > 0 ||
      (s.listItem && leadIn && DOCUMENT_TITLE_RE.test(tidied(text, s)))
    ) {
      const clauses = plan.clauses.length > 0 ? plan.clauses : [documentClause(text, s)];
      let previous: string[] | null = null;
      for (const clause of clauses) {
        const c = buildCandidate(ctx, clause, s.listItem ? leadIn : null, previous, actor, input);
        if (c) {
          candidates.push(c.candidate);
          previous = c.subject;
        }
      }
    } else if (plan.skip) {
      skipped.push(plan.skip);
    }
    if (sentenceActor) actor = sentenceActor;
  }
  return { statementDate, candidates: mergeRepeats(candidates), skipped };
}

/** Words that may stand in a subject before its verb: titles, determiners, conjunctions. */
const SUBJECT_WORDS = new Set(
  'and of the president presidents leader leaders prime minister ministers head heads state states government governments side sides party parties two both first vice premier foreign chairman king emir delegation delegations'.split(
    ' ',
  ),
);

/** The subject at the head of a sentence: after any dateline, up to its first other lower-case word. */
function subjectHead(text: string, s: Span): Span {
  let start = s.start;
  const dl = DATELINE_PREFIX.exec(text.slice(start, s.end));
  if (dl) start += dl[0].length;
  const re = /[\p{L}’'-]+/gu;
  re.lastIndex = 0;
  const rest = text.slice(start, s.end);
  let end = s.end;
  for (const m of rest.matchAll(re)) {
    if (/^\p{Ll}/u.test(m[0]) && !SUBJECT_WORDS.has(m[0])) {
      end = start + m.index;
      break;
    }
  }
  return { start, end };
}

function tidied(text: string, span: Span): string {
  const t = tidySpan(text, span);
  return text.slice(t.start, t.end);
}

function quoteOf(text: string, span: Span): { quote: string; start: number; end: number } {
  const t = tidySpan(text, span);
  return { quote: text.slice(t.start, t.end), start: t.start, end: t.end };
}

interface Plan {
  sentence: Sentence;
  clauses: Clause[];
  leadIn?: LeadIn;
  skip?: Skipped;
  pastFact?: PastFact[];
}

function findCues(text: string, span: Span): CueHit[] {
  const s = text.slice(span.start, span.end);
  const hits: CueHit[] = [];
  // Cues governed by "emphasized that", "hope that": someone's view, not an undertaking.
  const views = [...s.matchAll(EMPHASIS_THAT_RE)].map((m) => m.index + m[0].length);
  for (const rule of UNDERTAKING_CUES) {
    rule.re.lastIndex = 0;
    for (const m of s.matchAll(rule.re)) {
      const at = m.index;
      if (views.some((v) => v <= at && !/[;]/.test(s.slice(v, at)))) continue;
      if (rule.after && !rule.after.test(s.slice(0, at))) continue;
      const hit: CueHit = {
        start: span.start + at,
        end: span.start + at + m[0].length,
        rule,
        text: m[0],
      };
      if (hits.some((h) => h.start < hit.end && hit.start < h.end)) continue;
      hits.push(hit);
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** Where a later clause starts: after the last ", " / "; " / " and " / at "(n)" before its cue. */
function clauseStart(text: string, from: number, cueStart: number): number {
  const between = text.slice(from, cueStart);
  let best = -1;
  for (const m of between.matchAll(
    /\(\d{1,2}\)\s*|[;,]\s+(?:and\s+|while\s+)?|\s+and\s+(?=[A-Z(])/g,
  )) {
    best = m[0].startsWith('(') ? from + m.index : from + m.index + m[0].length;
  }
  return best >= 0 ? best : -1;
}

function planSentence(ctx: Ctx, s: Sentence): Plan {
  const { text } = ctx;
  const sText = text.slice(s.start, s.end);
  const cues = findCues(text, s);
  const amounts = findAmounts(sText).map((a) => ({
    ...a,
    start: a.start + s.start,
    end: a.end + s.start,
  }));

  // A list lead-in: "… agree to take the following actions by August 12, 2025:".
  if (sText.trimEnd().endsWith(':') && /\bfollowing\b|\binclude\b/.test(sText)) {
    const agreeing = /\bagree(?:d|s)?\s+to\b|\bsigned\b|\bundertake\b|\bwill\b/i.exec(sText);
    if (agreeing) {
      return {
        sentence: s,
        clauses: [],
        leadIn: {
          kind: 'agreement',
          due: shiftDeadline(findDeadline(sText, ctx.statementDate), s.start),
          parties: subjectStates(ctx, s.start, s.end, true),
          cue: tidied(text, { start: s.start + agreeing.index, end: s.end }),
        },
      };
    }
  }

  // Hedges ("can increase …") stand only when they carry an amount.
  const usable = cues.filter(
    (c) => !(c.rule.weak && /^(?:can|could)\b/i.test(c.text) && amounts.length === 0),
  );
  const clauses: Clause[] = [];
  let index = 0;
  for (const cue of usable) {
    const prev = clauses[clauses.length - 1];
    let start = s.start;
    if (prev) {
      const cut = clauseStart(text, prev.cue.end, cue.start);
      // No boundary between two cues: one clause with two cue words ("agreed to … will …").
      if (cut < 0) continue;
      prev.end = cut;
      start = cut;
    }
    clauses.push({ start, end: s.end, cue, sentence: s, index });
    index += 1;
  }
  // Enumerated items after the first cue: "will continue to (1) modify …, and (2) adopt …".
  const first = clauses[0];
  if (first && clauses.length === 1) {
    const body = text.slice(first.cue.end, s.end);
    const items = [...body.matchAll(/\((\d{1,2})\)\s*/g)].filter((m) => m[1] !== '1');
    let last = first;
    for (const m of items) {
      const at = first.cue.end + m.index;
      last.end = at;
      const next: Clause = {
        start: at,
        end: s.end,
        cue: first.cue,
        sentence: s,
        index: clauses.length,
      };
      clauses.push(next);
      last = next;
    }
  }
  if (clauses.length > 0) return { sentence: s, clauses };

  // No undertaking: is it something that looked like one? A figure with a verb of what has
  // happened is a past fact first (it may also serve as a baseline), then the other skip cues.
  const own = amounts.filter((a) => !a.parenthetical);
  const firstOwn = own[0];
  if (firstOwn) {
    const phrase = factPhrase(text, s, firstOwn);
    if (phrase.verb) {
      return {
        sentence: s,
        clauses,
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
        sentence: s,
        clauses,
        skip: { ...quoteOf(text, s), reason: `${rule.label}: ${m[0]}` },
        ...(amounts.length > 0 ? { pastFact: pastFacts(ctx, s, amounts) } : {}),
      };
    }
  }
  if (firstOwn) {
    return {
      sentence: s,
      clauses,
      skip: { ...quoteOf(text, s), reason: `past fact: ${factPhrase(text, s, firstOwn).text}` },
      pastFact: pastFacts(ctx, s, own),
    };
  }
  const hedge = HEDGE_RE.exec(sText);
  if (hedge && cues.length > 0) {
    return { sentence: s, clauses, skip: { ...quoteOf(text, s), reason: `hedge: ${hedge[0]}` } };
  }
  return { sentence: s, clauses };
}

/** "has reached $4 billion", "6,500 joint ventures have been established", "more than 40 flights per week". */
function factPhrase(text: string, s: Span, a: FoundAmount): { text: string; verb: boolean } {
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
const contentWords = (s: string): Set<string> =>
  new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((w) => w.length > 2 && !STOP.has(w)),
  );

function pastFacts(ctx: Ctx, s: Sentence, amounts: FoundAmount[]): PastFact[] {
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

function shiftDeadline(d: FoundDeadline | null, by: number): FoundDeadline | null {
  return d ? { ...d, start: d.start + by, end: d.end + by } : null;
}

function documentClause(text: string, s: Sentence): Clause {
  const t = tidySpan(text, s);
  const m = DOCUMENT_TITLE_RE.exec(text.slice(t.start, t.end));
  const cueText = m ? m[0] : text.slice(t.start, t.end);
  return {
    start: s.start,
    end: s.end,
    sentence: s,
    index: 0,
    cue: {
      start: t.start,
      end: t.start + cueText.length,
      text: `document: ${cueText}`,
      rule: { re: DOCUMENT_TITLE_RE, kind: 'agreement', confidence: 0.8 },
    },
  };
}

const PREPOSITIONS =
  /\b(?:with|to|in|from|between|on|at|into|for|against|by|among|about|across|towards?)\s+(?:the\s+)?$/i;
const TITLE_OF =
  /\b(?:President|Government|Leader|Head|Ministry|Prime Minister|Minister|Ambassador)s? of\s+(?:the\s+)?(?:Republic of\s+)?$/i;

/**
 * The states a stretch of text names as its grammatical subject: mentions and titled people that
 * do not follow a preposition ("with Kazakhstan", "in Tashkent" are not subjects), or a collective
 * ("the parties", "the two sides") = the states of the text. With `strict`, capitals count only
 * at the very start ("Astana and Beijing can …").
 */
function subjectStates(ctx: Ctx, start: number, end: number, strict: boolean): string[] | null {
  const { text } = ctx;
  const codes: string[] = [];
  for (const m of ctx.mentions) {
    if (m.start < start || m.end > end || m.via === 'organisation') continue;
    const before = text.slice(Math.max(start, m.start - 40), m.start);
    if (PREPOSITIONS.test(before)) continue;
    if (/\bof\s+(?:the\s+)?$/i.test(before) && !TITLE_OF.test(text.slice(start, m.start))) continue;
    if (m.via === 'capital' && strict && m.start - start > 3) continue;
    if (m.via === 'group') continue;
    codes.push(...m.codes);
  }
  const stretch = text.slice(start, end);
  for (const p of ctx.people) {
    for (const token of p.tokens) {
      const re = new RegExp(
        `(?<![\\p{L}])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`,
        'u',
      );
      const m = re.exec(stretch);
      if (m && !PREPOSITIONS.test(stretch.slice(0, m.index))) codes.push(p.code);
    }
  }
  if (codes.length > 0) return [...new Set(codes)];
  if (COLLECTIVE_RE.test(stretch) && ctx.textStates.length > 0) return ctx.textStates;
  return null;
}

/** The speaker of reported speech around a sentence: "…,” Xi Jinping stated", "… he said". */
function speakerOf(
  ctx: Ctx,
  s: Sentence,
): { codes: string[]; person?: Person; collective?: boolean } | null {
  const { text } = ctx;
  const lineEnd = text.indexOf('\n', s.start);
  // The attribution follows within a few sentences: look no further, so long lines stay linear.
  const rest = text.slice(s.start, Math.min(lineEnd < 0 ? text.length : lineEnd, s.end + 600));
  const attribution =
    /["”]\s*,?\s*(?:the (statement|report|communiqué|declaration) (?:reads|says|said)|(he|she)\s+(?:said|stated|added|noted|told)|([A-Z][\p{L}-]+(?: [A-Z][\p{L}-]+){0,2})\s+(?:said|stated|added|noted|told))|\b(?:said|stated)\s+([A-Z][\p{L}-]+(?: [A-Z][\p{L}-]+){0,2})/u.exec(
      rest,
    );
  if (!attribution) return null;
  if (attribution[1]) return { codes: ctx.textStates, collective: true };
  const name = attribution[3] ?? attribution[4];
  if (name) {
    const person = ctx.people.find((p) => p.tokens.some((t) => name.split(' ').includes(t)));
    if (person) return { codes: [person.code], person };
    return null;
  }
  // "he said": the last titled person named before the sentence.
  const at = s.start;
  let last: { person: Person; at: number } | null = null;
  for (const p of ctx.people) {
    for (const token of p.tokens) {
      const idx = text.lastIndexOf(token, at);
      if (idx >= 0 && (!last || idx > last.at)) last = { person: p, at: idx };
    }
  }
  return last ? { codes: [last.person.code], person: last.person } : null;
}

/** "Xi Jinping announced that China will …": the announcer, and where the clause proper starts. */
function announcer(ctx: Ctx, from: number, cueStart: number): { start: number; person?: Person } {
  const pre = ctx.text.slice(from, cueStart);
  const re = /\b(?:announced|said|stated|declared|confirmed|reported|added)\s+that\s+/g;
  let m: RegExpExecArray | null;
  let last: RegExpExecArray | null = null;
  while ((m = re.exec(pre))) last = m;
  if (!last) return { start: from };
  const head = pre.slice(0, last.index);
  const person = ctx.people.find((p) => p.tokens.some((t) => head.includes(t)));
  return { start: from + last.index + last[0].length, ...(person ? { person } : {}) };
}

const DATELINE_PREFIX =
  /^[A-Z][\p{L} .'-]{1,40}(?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?:\([^)]{1,60}\))?\s*[–—]\s+/u;
const ATTRIBUTION_TAIL =
  /["”]?,["”]?\s+(?:(?:the|a) (?:statement|report|press service)\s+(?:reads|says|said)|reported\b|according to\b|(?:he|she|they) (?:said|stated|added)|(?:[A-Z][\p{L}-]+ ){1,3}(?:said|stated|added|noted)\b)|,?\s+(?:[A-Z][\p{L}-]+ ){1,4}(?:said|stated) on \w+\.?$/u;

function buildCandidate(
  ctx: Ctx,
  clause: Clause,
  leadIn: LeadIn | null,
  previousSubject: string[] | null,
  actor: string[] | null,
  input: ExtractInput,
): { candidate: Candidate; subject: string[] | null } | null {
  const { text, statementDate } = ctx;
  const cue = clause.cue;
  const reasons: string[] = [`cue: ${cue.text}`];

  // The span: from the clause start (or after "X announced that"), without a dateline or an
  // attribution tail ("…, reported Akorda").
  const ann =
    clause.index === 0 ? announcer(ctx, clause.start, cue.start) : { start: clause.start };
  let start = ann.start;
  let end = clause.end;
  const head = DATELINE_PREFIX.exec(text.slice(start, end));
  if (head && start + head[0].length <= cue.start) start += head[0].length;
  const tail = ATTRIBUTION_TAIL.exec(text.slice(cue.end, end));
  if (tail) end = cue.end + tail.index;
  const span = tidySpan(text, trimSpan(text, { start, end }));
  if (span.end <= span.start) return null;
  const quote = text.slice(span.start, span.end);

  // Kind, from the strongest evidence down.
  const amounts = findAmounts(quote)
    .map((a) => ({ ...a, start: a.start + span.start, end: a.end + span.start }))
    .filter((a) => !a.parenthetical);
  const dueFound = shiftDeadline(findDeadline(quote, statementDate), span.start);
  const metricAmount = amounts.find(
    (a) => !dueFound || a.end <= dueFound.start || a.start >= dueFound.end,
  );
  let kind: Kind;
  if (cue.rule.kind === 'proposal') kind = 'proposal';
  else if (MEETING_RE.test(quote) && cue.rule.kind !== 'project') kind = 'meeting';
  else if (leadIn) kind = leadIn.kind;
  else if (cue.rule.kind === 'project') kind = 'project';
  else if (metricAmount) kind = 'target';
  else kind = cue.rule.kind ?? 'other';
  if (cue.rule.weak)
    reasons.push(`hedged: ${cue.text} (a readiness, expectation, call or possibility)`);

  // Parties.
  const subjectStart = clause.index === 0 ? ann.start : clause.start;
  let subject = subjectStates(ctx, subjectStart, cue.start, true);
  const speaker = speakerOf(ctx, clause.sentence);
  let parties: string[];
  let partiesWhy: string;
  const groups = ctx.mentions.filter(
    (m) => m.via === 'group' && m.start >= span.start && m.end <= span.end,
  );
  if (kind === 'meeting' && groups.length > 0) {
    parties = [...new Set(groups.flatMap((g) => g.codes))];
    partiesWhy = `the meeting's group: ${text.slice(groups[0]?.start ?? 0, groups[0]?.end ?? 0)}`;
  } else if (
    kind === 'meeting' &&
    !/^(?:I|we)\b/i.test(text.slice(subjectStart, cue.start).trim())
  ) {
    parties = ctx.textStates;
    partiesWhy = 'a meeting of the states the text is about';
  } else if (subject) {
    parties = subject;
    partiesWhy = 'the subject of the clause';
  } else if (clause.index > 0 && previousSubject) {
    parties = previousSubject;
    subject = previousSubject;
    partiesWhy = 'the subject of the sentence';
  } else if (leadIn?.parties) {
    parties = leadIn.parties;
    partiesWhy = 'the list lead-in';
  } else if (speaker && speaker.codes.length > 0) {
    parties = speaker.codes;
    partiesWhy = speaker.collective
      ? 'the joint statement'
      : `the speaker, ${speaker.person?.name ?? ''}`;
  } else if (actor && kind !== 'agreement') {
    parties = actor;
    partiesWhy = 'the actor of the sentences before';
  } else {
    parties = ctx.textStates;
    partiesWhy = 'the states the text is about';
  }
  // The stored forms (issue 15): ISO codes stay, any name the domain knows becomes its code.
  parties = normaliseParties(parties);
  if (parties.length === 0) return null;
  reasons.push(`parties: ${parties.join(', ')} (${partiesWhy})`);

  // Who made it: the person the text names for it.
  let madeBy: string[] | undefined;
  const named = ann.person ?? speaker?.person;
  const subjectPerson = ctx.people.find((p) =>
    p.tokens.some((t) => text.slice(subjectStart, cue.start).includes(t)),
  );
  if (subjectPerson && parties.includes(subjectPerson.code)) madeBy = [subjectPerson.name];
  else if (named && parties.includes(named.code) && parties.length === 1) madeBy = [named.name];
  else if (parties.length > 1) {
    const leaders = parties.map((code) => ctx.people.find((p) => p.leader && p.code === code));
    if (leaders.every((l) => l !== undefined)) madeBy = leaders.map((l) => (l as Person).name);
  }

  // Metric.
  let metric: CandidateMetric | undefined;
  if (metricAmount && kind !== 'meeting') {
    metric = buildMetric(ctx, quote, span.start, metricAmount, kind);
    reasons.push(`amount: ${describeAmount(metricAmount)}`);
    if (metric.baseline)
      reasons.push(`baseline: ${metric.baseline.value} as of ${metric.baseline.asOf}`);
  }

  // Deadline: the clause's own, else the lead-in's.
  const due = dueFound ?? leadIn?.due ?? null;
  let candidateDue: CandidateDue | undefined;
  if (due) {
    candidateDue = {
      text: due.text,
      edtf: due.edtf,
      earliest: due.earliest,
      latest: due.latest,
      vague: due.vague,
    };
    reasons.push(
      `deadline: ${due.text}${due.vague ? ' (vague: not in the deadline table, kept as written)' : ''}${dueFound ? '' : ' (from the list lead-in)'}`,
    );
  }

  let confidence = cue.rule.confidence + (metric ? 0.05 : 0) + (due && !due.vague ? 0.05 : 0);
  confidence = Math.round(Math.min(0.95, confidence) * 100) / 100;

  const title = makeTitle(text, span, cue, metric);
  const body = makeBody(
    input,
    statementDate,
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

  const candidate: Candidate = {
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
  return { candidate, subject };
}

const ANAPHORA = /^(?:this|that|the) (?:figure|indicator|volume|amount|level)$|^(?:it|this|that)$/i;

function buildMetric(
  ctx: Ctx,
  quote: string,
  offset: number,
  a: FoundAmount,
  kind: Kind,
): CandidateMetric {
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

  // Baseline: a past figure of the same measure and unit, below a target to be reached.
  let baseline: CandidateMetric['baseline'];
  if (kind === 'target' || kind === 'proposal') {
    const words = contentWords(`${name ?? ''} ${quote}`);
    const anaphoric = name !== undefined && ANAPHORA.test(name.trim());
    let best: PastFact | undefined;
    for (const f of ctx.facts) {
      if (f.amount.unit !== a.unit || f.amount.value >= a.value) continue;
      const shared = [...f.words].some((w) => words.has(w));
      const nearBefore = f.sentence.end <= a.start && a.start - f.sentence.end < 300;
      if (!(shared || (anaphoric && nearBefore))) continue;
      if (!best || Math.abs(f.amount.start - a.start) < Math.abs(best.amount.start - a.start))
        best = f;
    }
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

/** The measure a past figure is about: the words before its verb ("Kazakhstan-China trade"). */
function measureOf(text: string, f: PastFact): string | undefined {
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

const TO_CUES =
  /(?:agreements? (?:was|were|has been|have been) reached to|agreed to|agree to|propos(?:e|es|ed) to|(?:has|have) been proposed|(?:is|was) proposed|the (?:goal|aim|target|objective|task) is to|intention to)\s*$/i;

function makeTitle(text: string, span: Span, cue: CueHit, metric?: CandidateMetric): string {
  let t: string;
  if (TO_CUES.test(cue.text) && cue.end < span.end) {
    t = text
      .slice(cue.end, span.end)
      .replace(/^\s*to\s+/, '')
      .trim();
  } else {
    t = text.slice(span.start, span.end);
    const at = cue.start - span.start;
    if (/^(?:will|shall)\b/i.test(cue.text) && at >= 0 && at < t.length) {
      t = `${t.slice(0, at)}${t.slice(at).replace(/^(?:will|shall)\s+/i, 'to ')}`;
    }
    t = t.replace(
      /^(?:To this end|Therefore|Also|Additionally|In addition(?: to [^,]{1,60})?|Besides|Secondly|First(?:ly)?|Second|Third(?:ly)?|Finally),\s+/i,
      '',
    );
  }
  if (metric) t = t.replace(/\bthis figure\b/i, metric.name);
  t = t.replace(/\s+/g, ' ').replace(/[\s.,;:]+$/, '');
  if (t.length > 200) t = `${t.slice(0, 200).replace(/\s+\S*$/, '')}…`;
  return t.charAt(0).toUpperCase() + t.slice(1);
}

interface BodyParts {
  title: string;
  kind: Kind;
  parties: string[];
  quote: string;
  madeBy?: string[];
  metric?: CandidateMetric;
  due?: FoundDeadline;
}

/**
 * The `POST /commitments` body. A vague deadline goes in as `{text, vague: true}` when the
 * schema knows vague deadlines (issue 15), otherwise it is left out and the reasons say so.
 */
function makeBody(
  input: ExtractInput,
  statementDate: IsoDate,
  p: BodyParts,
  reasons: string[],
): RecordCommitmentBody | null {
  const statement: Record<string, unknown> = {
    quote: p.quote,
    madeAt: statementDate,
    language: input.language ?? 'en',
  };
  if (p.madeBy) statement.madeBy = p.madeBy;
  const base: Record<string, unknown> = {
    title: p.title,
    kind: p.kind,
    parties: p.parties,
    statement,
    source: input.source,
  };
  if (p.metric) base.metric = p.metric;
  const dues: unknown[] = [];
  if (p.due?.input) dues.push(p.due.input);
  else if (p.due) dues.push({ text: p.due.text, vague: true });
  for (const due of dues) {
    const parsed = RecordCommitmentBody.safeParse({ ...base, due });
    if (parsed.success) return parsed.data;
  }
  if (p.due)
    reasons.push(
      `deadline left out of the body: "${p.due.text}" is not accepted as a deadline yet`,
    );
  const parsed = RecordCommitmentBody.safeParse(base);
  return parsed.success ? parsed.data : null;
}

/**
 * One candidate per commitment: a headline and its lead, or a quote and its paraphrase, give
 * the same candidate twice. Same quote text, or the same metric (unit and target), is a repeat;
 * the most confident one stays and notes the other.
 */
function mergeRepeats(candidates: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  // Index by quote and by metric, so a long text with many candidates stays linear.
  const byQuote = new Map<string, Candidate>();
  const byMetric = new Map<string, Candidate[]>();
  const metricKey = (c: Candidate): string | null =>
    c.metric ? `${c.metric.unit}\u0000${c.metric.target}` : null;
  const index = (c: Candidate): void => {
    byQuote.set(c.quote, c);
    const k = metricKey(c);
    if (k !== null) byMetric.set(k, [...(byMetric.get(k) ?? []), c]);
  };
  const unindex = (c: Candidate): void => {
    if (byQuote.get(c.quote) === c) byQuote.delete(c.quote);
    const k = metricKey(c);
    if (k !== null)
      byMetric.set(
        k,
        (byMetric.get(k) ?? []).filter((x) => x !== c),
      );
  };
  for (const c of candidates) {
    const k = metricKey(c);
    const twin =
      byQuote.get(c.quote) ??
      (k === null
        ? undefined
        : (byMetric.get(k) ?? []).find((o) => o.parties.some((p) => c.parties.includes(p))));
    if (!twin) {
      out.push(c);
      index(c);
      continue;
    }
    const [keep, drop] = c.confidence > twin.confidence ? [c, twin] : [twin, c];
    const note = `also stated: "${drop.quote.length > 90 ? `${drop.quote.slice(0, 90)}…` : drop.quote}" (${drop.start}–${drop.end})`;
    if (!keep.due && drop.due) {
      keep.due = drop.due;
      if (drop.body.due) keep.body = { ...keep.body, due: drop.body.due };
    }
    keep.reasons = [...keep.reasons, note];
    unindex(twin);
    out[out.indexOf(twin)] = keep;
    index(keep);
  }
  return out.sort((a, b) => a.start - b.start);
}
