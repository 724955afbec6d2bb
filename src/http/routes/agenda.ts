/** The agenda: deadlines and follow-ups past due (`/overdue`) or due within a period (`/upcoming`). */
import type { z } from 'zod';
import type { AgendaFilter } from '../../app/types.js';
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

/** The filters and paging of a validated /overdue or /upcoming query, without absent keys. */
function agendaFilter(q: z.output<typeof OverdueQuery>): Omit<AgendaFilter, 'asOf'> {
  return {
    limit: q.limit,
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
    ...(q.party !== undefined ? { party: q.party } : {}),
    ...(q.item !== undefined ? { item: q.item } : {}),
    ...(q.kind !== undefined ? { kind: q.kind } : {}),
    ...(q.tag !== undefined ? { tag: q.tag } : {}),
  };
}

export const agendaRoutes = [
  defineRoute({
    method: 'get',
    path: '/overdue',
    operationId: 'overdue',
    summary: 'Deadlines and follow-ups past due',
    access: 'read',
    tag: 'queries',
    description:
      'Agenda items (deadlines and follow-ups) of open commitments dated before `asOf`, most overdue ' +
      'first (date ascending, then commitment id, then item), a page of `limit` at a time; ' +
      '`nextCursor` fetches the next page (null on the last) and `total` counts every match. ' +
      'There is no unpaged answer.',
    query: OverdueQuery,
    ok: { status: 200, description: 'A page of overdue items', schema: OverdueResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const asOf = q.asOf ?? ctx.today();
      const page = await ctx.tracker.overdue({ ...agendaFilter(q), asOf });
      res.json({ asOf, items: page.items, nextCursor: page.nextCursor, total: page.total });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/upcoming',
    operationId: 'upcoming',
    summary: 'Deadlines and follow-ups due within a period',
    access: 'read',
    tag: 'queries',
    description:
      'Agenda items of open commitments with `asOf ≤ date ≤ asOf + within`, soonest first (date, ' +
      'then commitment id, then item), a page of `limit` at a time; `nextCursor` fetches the next ' +
      'page (null on the last) and `total` counts every match. There is no unpaged answer.',
    query: UpcomingQuery,
    ok: { status: 200, description: 'A page of upcoming items', schema: UpcomingResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const asOf = q.asOf ?? ctx.today();
      const until = untilOf(asOf, q.within);
      const page = await ctx.tracker.upcoming({ ...agendaFilter(q), asOf, until });
      res.json({ asOf, until, items: page.items, nextCursor: page.nextCursor, total: page.total });
    },
  }),
];
