/**
 * Compliance scores (issue 15): the averages a G7/G20 Research Group report prints, per commitment
 * and per party. Pure; used by the view, the read model and replays alike.
 *
 * A party's score on a commitment is its latest assessment, the final report's over the interim
 * one. Averages are plain means of −1, 0 and +1, unrounded (reports print two decimals).
 */
import type { Score } from '../src/domain/values.js';
import type { Compliance, PartyAssessmentView, ScoreCounts } from './types.js';

/** Mean, count and histogram of a set of scores; `average` is null when there is none. */
export function complianceOf(scores: Iterable<Score>): Compliance {
  const counts: ScoreCounts = { '-1': 0, '0': 0, '1': 0 };
  let sum = 0;
  let scored = 0;
  for (const s of scores) {
    counts[String(s) as keyof ScoreCounts] += 1;
    sum += s;
    scored += 1;
  }
  return { average: scored === 0 ? null : sum / scored, scored, counts };
}

/**
 * One assessment per party, final over interim (within a phase the list already holds the
 * latest), in the order the parties were first assessed.
 */
export function latestAssessments(
  partyAssessments: readonly PartyAssessmentView[],
): PartyAssessmentView[] {
  const byParty = new Map<string, PartyAssessmentView>();
  for (const a of partyAssessments) {
    const seen = byParty.get(a.party);
    if (seen === undefined || (seen.phase === 'interim' && a.phase === 'final')) {
      byParty.set(a.party, a);
    }
  }
  return [...byParty.values()].map((a) => ({ ...a, report: { ...a.report } }));
}

/** What the scorecard needs of a commitment: its id and one assessment per party (a view has both). */
export interface ScorecardInput {
  id: string;
  assessments: readonly PartyAssessmentView[];
}

export type PartyScore = { party: string } & Compliance;
export type CommitmentScore = { id: string } & Compliance;

export interface Scorecard {
  /** Per party, over the commitments that scored it; sorted by party (code-unit order). */
  parties: PartyScore[];
  /** Per commitment with at least one score, over its parties; sorted by id. */
  commitments: CommitmentScore[];
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/**
 * The tables of a Research Group report: each party's average over the commitments it was scored
 * on, and each commitment's average over its scored parties. With `party`, only that party's
 * scores count (in both tables).
 */
export function scorecard(
  commitments: Iterable<ScorecardInput>,
  opts: { party?: string } = {},
): Scorecard {
  const perParty = new Map<string, Score[]>();
  const perCommitment: CommitmentScore[] = [];
  for (const c of commitments) {
    const scores: Score[] = [];
    for (const a of c.assessments) {
      if (opts.party !== undefined && a.party !== opts.party) continue;
      scores.push(a.score);
      const list = perParty.get(a.party);
      if (list === undefined) perParty.set(a.party, [a.score]);
      else list.push(a.score);
    }
    if (scores.length > 0) perCommitment.push({ id: c.id, ...complianceOf(scores) });
  }
  return {
    parties: [...perParty]
      .map(([party, scores]) => ({ party, ...complianceOf(scores) }))
      .sort(byKey((p) => p.party)),
    commitments: perCommitment.sort(byKey((c) => c.id)),
  };
}
