/**
 * The calendar feed and the CSV export: the same renderings as `commitments export`, streamed.
 * The read model is read a page at a time and each page is written with backpressure; the
 * export yields to the event loop between pages (src/export/stream.ts), so `/health` and other
 * requests are answered while a large calendar is being served.
 */
import type { Response } from 'express';
import { z } from 'zod';
import { IsoDate, Party } from '../../domain/values.js';
import { calendarName, csvChunks, icsChunks } from '../../export/index.js';
import { AssessmentFilter } from '../schemas.js';
import { defineRoute } from './route.js';

export const CalendarQuery = z.strictObject({ party: Party.optional() });

export const CsvQuery = z.strictObject({
  asOf: IsoDate.optional(),
  party: Party.optional(),
  assessment: AssessmentFilter.optional(),
  bom: z
    .enum(['true', 'false'])
    .default('true')
    .transform((s) => s === 'true')
    .meta({ description: 'Begin with a UTF-8 byte-order mark (default true).' }),
});

/**
 * Resolves when the response can take more (`drain`) or is gone (`close`): the wait after a
 * `res.write` that returned false. Every streamed route (these exports, `/audit/replay`) uses it.
 */
export function writable(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Write `chunks` to `res` with backpressure and end it. A client that goes away stops the
 * export (the generator is closed, no further page is read). An error before the first chunk
 * is thrown before anything is sent, so it is answered as problem+json.
 */
export async function streamTo(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  for await (const chunk of chunks) {
    if (res.destroyed || res.writableEnded) return; // client gone: `return` closes the generator
    if (!res.write(chunk)) await writable(res);
  }
  if (!res.destroyed) res.end();
}

export const exportRoutes = [
  defineRoute({
    method: 'get',
    path: '/calendar.ics',
    operationId: 'calendar',
    summary: 'iCalendar feed: one all-day event per deadline and per follow-up',
    description:
      'Streamed (chunked), read from the read model a page at a time. SEQUENCE is the revision − 1. ' +
      'One calendar at a time per server: while one streams, another is 429 with Retry-After.',
    access: 'read',
    tag: 'queries',
    query: CalendarQuery,
    ok: { status: 200, description: 'RFC 5545 calendar', mediaType: 'text/calendar' },
    errors: [400, 429],
    async handle({ query: q, res }, ctx) {
      await ctx.exports.run('calendar', async () => {
        res
          .type('text/calendar; charset=utf-8')
          .set('Content-Disposition', 'inline; filename="commitments.ics"');
        await streamTo(
          res,
          icsChunks(ctx.tracker, {
            asOf: ctx.today(),
            name: calendarName(q.party),
            ...(q.party ? { party: q.party } : {}),
          }),
        );
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/commitments.csv',
    operationId: 'commitmentsCsv',
    summary: 'Every commitment view as CSV, one row each',
    description:
      "Streamed (chunked). Begins with a UTF-8 byte-order mark unless `bom=false`; text cells beginning with `=`, `+`, `-`, `@`, a tab or CR are prefixed with `'`. One CSV at a time per server: while one streams, another is 429 with Retry-After.",
    access: 'read',
    tag: 'queries',
    query: CsvQuery,
    ok: { status: 200, description: 'CSV with a header row', mediaType: 'text/csv' },
    errors: [400, 429],
    async handle({ query: q, res }, ctx) {
      await ctx.exports.run('csv', async () => {
        res
          .type('text/csv; charset=utf-8; header=present')
          .set('Content-Disposition', 'attachment; filename="commitments.csv"');
        await streamTo(
          res,
          csvChunks(ctx.tracker, {
            asOf: q.asOf ?? ctx.today(),
            bom: q.bom,
            ...(q.party ? { party: q.party } : {}),
            ...(q.assessment ? { assessment: q.assessment } : {}),
          }),
        );
      });
    },
  }),
];
