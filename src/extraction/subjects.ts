/**
 * Who a stretch of text names as its grammatical subject: the states (and titled people) before
 * a cue, or at the head of a sentence (method, step 7).
 */
import type { Ctx } from './context.js';
import { DATELINE_PREFIX } from './dateline.js';
import { COLLECTIVE_RE } from './lexicon.js';
import type { Span } from './sentences.js';

/** Words that may stand in a subject before its verb: titles, determiners, conjunctions. */
const SUBJECT_WORDS = new Set(
  'and of the president presidents leader leaders prime minister ministers head heads state states government governments side sides party parties two both first vice premier foreign chairman king emir delegation delegations'.split(
    ' ',
  ),
);

/** The subject at the head of a sentence: after any dateline, up to its first other lower-case word. */
export function subjectHead(text: string, s: Span): Span {
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
export function subjectStates(
  ctx: Ctx,
  start: number,
  end: number,
  strict: boolean,
): string[] | null {
  const stretch = ctx.text.slice(start, end);
  const codes = [...mentionedSubjects(ctx, start, end, strict), ...peopleSubjects(ctx, stretch)];
  if (codes.length > 0) return [...new Set(codes)];
  if (COLLECTIVE_RE.test(stretch) && ctx.textStates.length > 0) return ctx.textStates;
  return null;
}

/** The codes of the states mentioned in the stretch, not after a preposition. */
function mentionedSubjects(ctx: Ctx, start: number, end: number, strict: boolean): string[] {
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
  return codes;
}

/** The codes of the titled people named in the stretch, not after a preposition. */
function peopleSubjects(ctx: Ctx, stretch: string): string[] {
  const codes: string[] = [];
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
  return codes;
}
