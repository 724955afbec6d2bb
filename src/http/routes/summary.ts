/** `GET /summary`: counts for a dashboard's first screen and a weekly e-mail (issue 14). */
import { SummaryQuery, SummaryResponse } from '../schemas.js';
import { defineRoute } from './route.js';

export const summaryRoutes = [
  defineRoute({
    method: 'get',
    path: '/summary',
    operationId: 'summary',
    summary: 'Counts by status, kind and party; overdue and upcoming',
    description:
      'At `asOf` (default today): how many commitments match, by status and by kind; how many ' +
      'agenda items are overdue and how many commitments have one; how many items fall within ' +
      '`P30D`; and per party the same counts. `party` and `tag` narrow the commitments counted ' +
      '(with `party`, `byParty` holds that party alone). From the read model, or with `knownAt` ' +
      'from a replay of the events recorded by then (slower: the whole log is read).',
    access: 'read',
    tag: 'queries',
    query: SummaryQuery,
    ok: { status: 200, description: 'The summary', schema: SummaryResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      res.json(
        await ctx.tracker.summary({
          asOf: q.asOf ?? ctx.today(),
          ...(q.knownAt !== undefined ? { knownAt: q.knownAt } : {}),
          ...(q.party !== undefined ? { party: q.party } : {}),
          ...(q.tag !== undefined ? { tag: q.tag } : {}),
        }),
      );
    },
  }),
];
