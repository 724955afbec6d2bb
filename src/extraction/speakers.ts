/**
 * Reported speech: who said a sentence ("…,” Xi Jinping stated", "… he said", "the statement
 * reads"), who announced a clause ("Xi Jinping announced that …"), and the attribution tail to
 * leave out of a quote (method, steps 4 and 7).
 */
import type { Ctx } from './context.js';
import type { Person } from './parties.js';
import type { Sentence } from './sentences.js';

/** An attribution after a clause: "…, reported Akorda", "…," the statement reads". */
export const ATTRIBUTION_TAIL =
  /["”]?,["”]?\s+(?:(?:the|a) (?:statement|report|press service)\s+(?:reads|says|said)|reported\b|according to\b|(?:he|she|they) (?:said|stated|added)|(?:[A-Z][\p{L}-]+ ){1,3}(?:said|stated|added|noted)\b)|,?\s+(?:[A-Z][\p{L}-]+ ){1,4}(?:said|stated) on \w+\.?$/u;

export interface Speaker {
  codes: string[];
  person?: Person;
  collective?: boolean;
}

/** The speaker of reported speech around a sentence: "…,” Xi Jinping stated", "… he said". */
export function speakerOf(ctx: Ctx, s: Sentence): Speaker | null {
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
  const person = lastPersonBefore(ctx, s.start);
  return person ? { codes: [person.code], person } : null;
}

/** The titled person named last before `at`. */
function lastPersonBefore(ctx: Ctx, at: number): Person | null {
  let last: { person: Person; at: number } | null = null;
  for (const p of ctx.people) {
    for (const token of p.tokens) {
      const idx = ctx.text.lastIndexOf(token, at);
      if (idx >= 0 && (!last || idx > last.at)) last = { person: p, at: idx };
    }
  }
  return last ? last.person : null;
}

/** "Xi Jinping announced that China will …": the announcer, and where the clause proper starts. */
export function announcer(
  ctx: Ctx,
  from: number,
  cueStart: number,
): { start: number; person?: Person } {
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
