/** The agenda: deadlines and follow-ups past due (`/overdue`) or due within a period (`/upcoming`). */
import { addIsoDuration } from '../../domain/duration.js';
import { isRealDate } from '../../domain/values.js';
import { HttpProblem } from '../problem.js';
import { OverdueQuery, OverdueResponse, UpcomingQuery, UpcomingResponse } from '../schemas.js';
import { defineRoute } from './route.js';

/** `asOf + within`, or a 400 on `within` when that date is past the year 9999. */
function untilOf(asOf: string, within: string): string {
  let until = '';
  try {
    until = addIsoDuration(asOf, within);
  } catch {
    // reported below, as a date that is not real
  }
  if (!isRealDate(until)) {
    throw new HttpProblem('validation', 'The request query has 1 invalid field.', {
      errors: [{ path: 'within', message: 'reaches past the year 9999' }],
    });
  }
  return until;
}

export const agendaRoutes = [
  defineRoute({
    method: 'get',
    path: '/overdue',
    operationId: 'overdue',
    summary: 'Deadlines and follow-ups past due',
    access: 'read',
    tag: 'queries',
    query: OverdueQuery,
    ok: { status: 200, description: 'Overdue items', schema: OverdueResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const asOf = q.asOf ?? ctx.today();
      const items = await ctx.tracker.overdue({ asOf, ...(q.party ? { party: q.party } : {}) });
      res.json({ asOf, items });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/upcoming',
    operationId: 'upcoming',
    summary: 'Deadlines and follow-ups due within a period',
    access: 'read',
    tag: 'queries',
    query: UpcomingQuery,
    ok: { status: 200, description: 'Upcoming items', schema: UpcomingResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const asOf = q.asOf ?? ctx.today();
      const until = untilOf(asOf, q.within);
      const items = await ctx.tracker.upcoming({
        asOf,
        until,
        ...(q.party ? { party: q.party } : {}),
      });
      res.json({ asOf, until, items });
    },
  }),
];
