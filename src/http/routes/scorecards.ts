/**
 * Scorecards (issue 15): `GET /scorecards` prints the tables of a Research Group report (each
 * party's and each commitment's average score), `GET /parties/{party}/scorecard` one party's
 * scores. Scores are recorded with `POST /commitments/{id}/assessments` (commands.ts).
 */
import { z } from 'zod';
import { PartyScorecardSchema, ScorecardSchema } from '../../app/scorecards.js';
import { Instant, IsoDate, Party } from '../../domain/values.js';
import { defineRoute } from './route.js';

const Common = {
  tag: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .meta({ description: 'Only commitments with this tag.' }),
  asOf: IsoDate.optional().meta({
    description: 'Only reports published on or before this date count; default today (UTC).',
  }),
  knownAt: Instant.optional().meta({
    description: 'Only events recorded at or before this instant count (a replay of the log).',
  }),
};

export const ScorecardQuery = z.strictObject({
  ...Common,
  party: Party.optional().meta({
    description: 'Count only this party (a code, or a country name such as Kazakhstan).',
  }),
});
export const PartyScorecardQuery = z.strictObject(Common);

export const PartyPath = z.object({
  party: Party.meta({
    description:
      'A party: ISO alpha-2 or alpha-3 code, a country name in English or Russian, or an organisation name.',
  }),
});

export const scorecardRoutes = [
  defineRoute({
    method: 'get',
    path: '/scorecards',
    operationId: 'scorecards',
    summary: 'Compliance averages per party and per commitment',
    description:
      "Each party's latest score per commitment (final over interim, from reports published by `asOf`), " +
      'averaged per party and per commitment, as a G7/G20 Research Group report prints them.',
    access: 'read',
    tag: 'queries',
    query: ScorecardQuery,
    ok: { status: 200, description: 'The scorecard', schema: ScorecardSchema },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      res.json(
        await ctx.tracker.scorecard({
          asOf: q.asOf ?? ctx.today(),
          ...(q.tag !== undefined ? { tag: q.tag } : {}),
          ...(q.party !== undefined ? { party: q.party } : {}),
          ...(q.knownAt !== undefined ? { knownAt: q.knownAt } : {}),
        }),
      );
    },
  }),
  defineRoute({
    method: 'get',
    path: '/parties/{party}/scorecard',
    operationId: 'partyScorecard',
    summary: "One party's score on each commitment that scored it",
    description:
      'The party is resolved as on writes (`Kazakhstan`, `KAZ` and `kz` are `KZ`). A party never scored ' +
      'answers 200 with `scored: 0` and no commitments.',
    access: 'read',
    tag: 'queries',
    params: PartyPath,
    query: PartyScorecardQuery,
    ok: { status: 200, description: "The party's scorecard", schema: PartyScorecardSchema },
    errors: [400, 404],
    async handle({ params: { party }, query: q, res }, ctx) {
      res.json(
        await ctx.tracker.partyScorecard(party, {
          asOf: q.asOf ?? ctx.today(),
          ...(q.tag !== undefined ? { tag: q.tag } : {}),
          ...(q.knownAt !== undefined ? { knownAt: q.knownAt } : {}),
        }),
      );
    },
  }),
];
