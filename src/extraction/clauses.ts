/**
 * A sentence's clauses: one per undertaking cue, cut at the last separator before each later cue,
 * and one per enumerated item after a single cue (method, step 4).
 */
import type { Clause, CueHit } from './context.js';
import type { Sentence } from './sentences.js';

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

/**
 * The clauses of a sentence with these cues. Hedges ("can increase …") stand only when the
 * sentence carries an amount.
 */
export function clausesOf(text: string, s: Sentence, cues: CueHit[], hasAmount: boolean): Clause[] {
  const usable = cues.filter(
    (c) => !(c.rule.weak && /^(?:can|could)\b/i.test(c.text) && !hasAmount),
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
  const first = clauses[0];
  if (first && clauses.length === 1) splitEnumeration(text, s, first, clauses);
  return clauses;
}

/** Enumerated items after the first cue: "will continue to (1) modify …, and (2) adopt …". */
function splitEnumeration(text: string, s: Sentence, first: Clause, clauses: Clause[]): void {
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
