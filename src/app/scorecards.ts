/**
 * Scorecards (issue 15): the tables a G7/G20 Research Group report prints, from the commitments
 * the read model (or, with `knownAt`, a replay of the log) hands over.
 *
 * - Only assessments from reports published on or before `asOf` count; of those, each party's
 *   final score on a commitment counts over its interim one (`latestAssessments`).
 * - `scorecardOf`: per party and per commitment `{average, scored, counts}` (`scorecard` in
 *   projections/scorecard.ts), and `overall` over every counted score.
 * - `partyScorecardOf`: one party's score on each commitment that scored it, and its average.
 * Pure; the response shapes are the zod schemas below (HTTP documents its answers with them).
 */
import { z } from 'zod';
import { complianceOf, latestAssessments, scorecard } from '../../projections/index.js';
import type { PartyAssessmentView } from '../../projections/types.js';
import { IsoDate, Phase, Report, Score } from '../domain/values.js';
import type { ScoredCommitment } from '../read-model/scorecards.js';

const Counts = z.object({ '-1': z.number().int(), '0': z.number().int(), '1': z.number().int() });
const ComplianceFields = {
  average: z
    .number()
    .nullable()
    .meta({ description: 'Mean of the scores (−1 to +1); null when none.' }),
  scored: z.number().int(),
  counts: Counts,
};

const Context = {
  tag: z.string().nullable(),
  asOf: IsoDate,
  knownAt: z.string().nullable().meta({ format: 'date-time' }),
};

export const ScorecardSchema = z
  .object({
    ...Context,
    party: z.string().nullable(),
    overall: z.object(ComplianceFields),
    parties: z.array(z.object({ party: z.string(), ...ComplianceFields })),
    commitments: z.array(z.object({ id: z.string(), title: z.string(), ...ComplianceFields })),
  })
  .meta({ id: 'Scorecard' });
export type ScorecardResult = z.infer<typeof ScorecardSchema>;

export const PartyScorecardSchema = z
  .object({
    party: z.string(),
    ...Context,
    ...ComplianceFields,
    commitments: z.array(
      z.object({ id: z.string(), title: z.string(), score: Score, phase: Phase, report: Report }),
    ),
  })
  .meta({ id: 'PartyScorecard' });
export type PartyScorecardResult = z.infer<typeof PartyScorecardSchema>;

export interface ScorecardQuery {
  tag?: string;
  party?: string;
  asOf: string;
  knownAt?: string;
}

/** Each party's counted assessment on one commitment at `asOf`: published by then, final over interim. */
export function countedAssessments(c: ScoredCommitment, asOf: string): PartyAssessmentView[] {
  return latestAssessments(c.partyAssessments.filter((a) => a.report.publishedAt <= asOf));
}

function context(q: ScorecardQuery): { tag: string | null; asOf: string; knownAt: string | null } {
  return { tag: q.tag ?? null, asOf: q.asOf, knownAt: q.knownAt ?? null };
}

export function scorecardOf(
  rows: readonly ScoredCommitment[],
  q: ScorecardQuery & { party?: string },
): ScorecardResult {
  const inputs = rows.map((c) => ({ id: c.id, assessments: countedAssessments(c, q.asOf) }));
  const card = scorecard(inputs, q.party !== undefined ? { party: q.party } : {});
  const titles = new Map(rows.map((c) => [c.id, c.title]));
  const all = inputs.flatMap((c) =>
    c.assessments.filter((a) => q.party === undefined || a.party === q.party).map((a) => a.score),
  );
  return {
    ...context(q),
    party: q.party ?? null,
    overall: complianceOf(all),
    parties: card.parties,
    commitments: card.commitments.map((c) => ({
      id: c.id,
      title: titles.get(c.id) ?? '',
      average: c.average,
      scored: c.scored,
      counts: c.counts,
    })),
  };
}

export function partyScorecardOf(
  rows: readonly ScoredCommitment[],
  party: string,
  q: ScorecardQuery,
): PartyScorecardResult {
  const commitments: PartyScorecardResult['commitments'] = [];
  for (const c of rows) {
    const a = countedAssessments(c, q.asOf).find((x) => x.party === party);
    if (a !== undefined) {
      commitments.push({
        id: c.id,
        title: c.title,
        score: a.score,
        phase: a.phase,
        report: a.report,
      });
    }
  }
  return {
    party,
    ...context(q),
    ...complianceOf(commitments.map((c) => c.score)),
    commitments,
  };
}
