/** A candidate's title, cut from its quote. */
import type { CueHit } from './context.js';
import type { Span } from './sentences.js';
import type { CandidateMetric } from './types.js';

const TO_CUES =
  /(?:agreements? (?:was|were|has been|have been) reached to|agreed to|agree to|propos(?:e|es|ed) to|(?:has|have) been proposed|(?:is|was) proposed|the (?:goal|aim|target|objective|task) is to|intention to)\s*$/i;

/**
 * After a "… to" cue, the words after it ("agreed to expand trade" → "Expand trade"); else the
 * quote with "will" made "to" and an opening connective dropped. At most 200 characters.
 */
export function makeTitle(text: string, span: Span, cue: CueHit, metric?: CandidateMetric): string {
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
