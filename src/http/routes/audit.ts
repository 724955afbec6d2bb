/** Audit routes: one commitment's history, replay as known at an instant, verification, the log. */
import { historyEntry, replayJsonChunks, writeChunks } from '../../export/index.js';
import { HttpProblem } from '../problem.js';
import {
  EmptyQuery,
  EventsQuery,
  EventsResponse,
  HistoryResponse,
  ReplayQuery,
  ReplayResponse,
  VerifyResponse,
} from '../schemas.js';
import { CommitmentPath } from './params.js';
import { defineRoute } from './route.js';

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/commitments/{id}/history',
    operationId: 'history',
    summary: 'Every event of one commitment, in order, with its hash',
    access: 'read',
    tag: 'audit',
    params: CommitmentPath,
    query: EmptyQuery,
    ok: { status: 200, description: 'History', schema: HistoryResponse },
    errors: [400, 404],
    async handle({ params: { id }, res }, ctx) {
      const events = await ctx.tracker.history(id);
      if (!events) throw new HttpProblem('not-found', `No commitment ${id}.`);
      res.json({ id, events: events.map(historyEntry) });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/replay',
    operationId: 'replay',
    summary: 'Every commitment as known at an instant, replayed from the log',
    access: 'read',
    tag: 'audit',
    query: ReplayQuery,
    ok: { status: 200, description: 'Replay', schema: ReplayResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      // Written as it goes (issue 18): memory stays flat with the log's size. A failure after
      // the first chunk can only cut the response short (the status is already sent).
      const head = {
        knownAt: q.knownAt ?? ctx.clock.now().toISOString(),
        asOf: q.asOf ?? ctx.today(),
      };
      const views = ctx.tracker.replayViews(head);
      const chunks = replayJsonChunks(head, views);
      const first = await chunks.next(); // a failure before any output is still a problem+json
      res.status(200).type('application/json');
      if (first.done !== true) res.write(first.value);
      try {
        await writeChunks(chunks, res);
      } catch (err) {
        res.destroy(err as Error);
        return;
      }
      res.end();
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/verify',
    operationId: 'verify',
    summary: 'Verify the hash chain and the read model against the log',
    description: 'Always 200; `ok: false` when a problem was found.',
    access: 'read',
    tag: 'audit',
    query: EmptyQuery,
    ok: { status: 200, description: 'Verify report', schema: VerifyResponse },
    errors: [400],
    async handle({ res }, ctx) {
      res.json(await ctx.tracker.verify());
    },
  }),
  defineRoute({
    method: 'get',
    path: '/events',
    operationId: 'events',
    summary: 'The global event log, in pages',
    description:
      '`next` is the position of the last event returned, or `after` when the page is empty.',
    access: 'read',
    tag: 'audit',
    query: EventsQuery,
    ok: { status: 200, description: 'A page of events', schema: EventsResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const events = await ctx.tracker.events({ after: q.after, limit: q.limit });
      const last = events[events.length - 1];
      res.json({ events, next: last ? last.position : q.after });
    },
  }),
];
