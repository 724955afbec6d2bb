/**
 * Undertaking cues in a sentence (`lexicon.ts` holds the words; method, step 3), and the document
 * title that is the cue of a list item under a lead-in.
 */
import type { Clause, CueHit } from './context.js';
import { DOCUMENT_TITLE_RE, EMPHASIS_THAT_RE, UNDERTAKING_CUES } from './lexicon.js';
import { tidySpan, type Sentence, type Span } from './sentences.js';

/** The undertaking cues of a span, in order, without overlaps and without those of a view. */
export function findCues(text: string, span: Span): CueHit[] {
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

/** A list item opening with a document title ("Agreement between …"): the title is its cue. */
export function documentClause(text: string, s: Sentence): Clause {
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
