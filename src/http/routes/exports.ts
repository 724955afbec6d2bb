/** The calendar feed and the CSV export: the same renderings as `commitments export`. */
import { allViews, renderCsv, renderIcs } from '../../export/index.js';
import { CalendarQuery, CsvQuery } from '../schemas.js';
import { defineRoute } from './route.js';

export const exportRoutes = [
  defineRoute({
    method: 'get',
    path: '/calendar.ics',
    operationId: 'calendar',
    summary: 'iCalendar feed: one all-day event per deadline and per follow-up',
    access: 'read',
    tag: 'queries',
    query: CalendarQuery,
    ok: { status: 200, description: 'RFC 5545 calendar', mediaType: 'text/calendar' },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const views = await allViews(ctx.tracker, {
        asOf: ctx.today(),
        ...(q.party ? { party: q.party } : {}),
      });
      res
        .type('text/calendar; charset=utf-8')
        .set('Content-Disposition', 'inline; filename="commitments.ics"')
        .send(renderIcs(views, { name: q.party ? `Commitments (${q.party})` : 'Commitments' }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/commitments.csv',
    operationId: 'commitmentsCsv',
    summary: 'Every commitment view as CSV, one row each',
    access: 'read',
    tag: 'queries',
    query: CsvQuery,
    ok: { status: 200, description: 'CSV with a header row', mediaType: 'text/csv' },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const views = await allViews(ctx.tracker, {
        asOf: q.asOf ?? ctx.today(),
        ...(q.party ? { party: q.party } : {}),
      });
      res
        .type('text/csv; charset=utf-8; header=present')
        .set('Content-Disposition', 'attachment; filename="commitments.csv"')
        .send(renderCsv(views));
    },
  }),
];
