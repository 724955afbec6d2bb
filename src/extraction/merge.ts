/**
 * One candidate per commitment: a headline and its lead, or a quote and its paraphrase, give
 * the same candidate twice (method, step 12).
 */
import type { Candidate } from './types.js';

const metricKey = (c: Candidate): string | null =>
  c.metric ? `${c.metric.unit}\u0000${c.metric.target}` : null;

/** Candidates by quote and by metric, so a long text with many candidates stays linear. */
class RepeatIndex {
  private readonly byQuote = new Map<string, Candidate>();
  private readonly byMetric = new Map<string, Candidate[]>();

  add(c: Candidate): void {
    this.byQuote.set(c.quote, c);
    const k = metricKey(c);
    if (k !== null) this.byMetric.set(k, [...(this.byMetric.get(k) ?? []), c]);
  }

  remove(c: Candidate): void {
    if (this.byQuote.get(c.quote) === c) this.byQuote.delete(c.quote);
    const k = metricKey(c);
    if (k !== null)
      this.byMetric.set(
        k,
        (this.byMetric.get(k) ?? []).filter((x) => x !== c),
      );
  }

  /** An indexed candidate with the same quote, or the same metric and a party in common. */
  twinOf(c: Candidate): Candidate | undefined {
    const k = metricKey(c);
    return (
      this.byQuote.get(c.quote) ??
      (k === null
        ? undefined
        : (this.byMetric.get(k) ?? []).find((o) => o.parties.some((p) => c.parties.includes(p))))
    );
  }
}

/**
 * Same quote text, or the same metric (unit and target), is a repeat; the most confident one
 * stays and notes the other.
 */
export function mergeRepeats(candidates: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  const index = new RepeatIndex();
  for (const c of candidates) {
    const twin = index.twinOf(c);
    if (!twin) {
      out.push(c);
      index.add(c);
      continue;
    }
    const [keep, drop] = c.confidence > twin.confidence ? [c, twin] : [twin, c];
    absorb(keep, drop);
    index.remove(twin);
    out[out.indexOf(twin)] = keep;
    index.add(keep);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The kept candidate notes the dropped one, and takes its deadline if it has none. */
function absorb(keep: Candidate, drop: Candidate): void {
  const note = `also stated: "${drop.quote.length > 90 ? `${drop.quote.slice(0, 90)}…` : drop.quote}" (${drop.start}–${drop.end})`;
  if (!keep.due && drop.due) {
    keep.due = drop.due;
    if (drop.body.due) keep.body = { ...keep.body, due: drop.body.due };
  }
  keep.reasons = [...keep.reasons, note];
}
