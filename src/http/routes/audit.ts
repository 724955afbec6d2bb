/** Audit routes: one commitment's history, replay as known at an instant, verification, the log. */
import { historyEntry } from '../../export/index.js';
import { HttpProblem } from '../problem.js';
import {
  EmptyQuery,
  EventsQuery,
  EventsResponse,
  HistoryQuery,
  HistoryResponse,
  ReplayQuery,
  ReplayResponse,
  VerifyResponse,
  LastVerifyResponse,
} from '../schemas.js';
import { writable } from './exports.js';
import { CommitmentPath } from './params.js';
import { defineRoute } from './route.js';

/** The client closed the connection before the answer was complete. */
class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client went away');
  }
}

export const auditRoutes = [
  defineRoute({
    method: 'get',
    path: '/commitments/{id}/history',
    operationId: 'history',
    summary: 'Every event of one commitment, in order, with its hash',
    access: 'read',
    tag: 'audit',
    description:
      'In pages of `limit` events (default 200, at most 500); `nextCursor` is null on the last page.',
    params: CommitmentPath,
    query: HistoryQuery,
    ok: { status: 200, description: 'History', schema: HistoryResponse },
    errors: [400, 404],
    async handle({ params: { id }, query: q, res }, ctx) {
      const after = q.cursor === undefined ? 0 : Number(q.cursor);
      const events = await ctx.tracker.history(id, { fromRevision: after + 1 });
      if (!events) throw new HttpProblem('not-found', `No commitment ${id}.`);
      const page = events.slice(0, q.limit);
      const last = page[page.length - 1];
      res.json({
        id,
        events: page.map(historyEntry),
        nextCursor: events.length > q.limit && last ? String(last.revision) : null,
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/replay',
    operationId: 'replay',
    summary: 'Every commitment as known at an instant, replayed from the log',
    description:
      'Needs the auditor role. Runs off the event loop, one at a time per store: while one runs, ' +
      'another is 429 with Retry-After. The JSON is streamed as the log is folded (chunked, no ' +
      'Content-Length); a failure after the first byte cuts the connection, so an incomplete ' +
      'body never looks complete.',
    access: 'audit',
    tag: 'audit',
    query: ReplayQuery,
    ok: { status: 200, description: 'Replay', schema: ReplayResponse },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      // Streamed (issue 18): the chunks of the replay's JSON are written as they are folded,
      // the same bytes `res.json` sent in one piece. A client that goes away stops the replay.
      const gone = new AbortController();
      const onClose = (): void => {
        if (!res.writableFinished) gone.abort(new ClientGoneError());
      };
      res.on('close', onClose);
      let started = false;
      const write = async (chunk: string): Promise<void> => {
        if (!started) {
          res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
          started = true;
        }
        if (res.write(chunk) || res.destroyed) return;
        await writable(res);
      };
      try {
        await ctx.audits.replayJson(
          {
            knownAt: q.knownAt ?? ctx.clock.now().toISOString(),
            asOf: q.asOf ?? ctx.today(),
          },
          write,
          gone.signal,
        );
      } catch (err) {
        if (gone.signal.aborted) {
          ctx.logger.info(
            { req: { id: res.getHeader('X-Request-Id') } },
            'replay stopped: the client went away',
          );
          if (!res.destroyed) res.destroy();
          return;
        }
        // Before the first byte the answer can still be a problem+json.
        if (!started) throw err;
        // After it, a 200 is on the wire: cut the response so the client sees it broken.
        ctx.logger.error(
          { err, req: { id: res.getHeader('X-Request-Id') } },
          'replay failed after the first byte; response cut',
        );
        res.destroy();
        return;
      } finally {
        res.off('close', onClose);
      }
      res.end();
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/verify',
    operationId: 'verify',
    summary: 'Verify the hash chain and the read model against the log',
    description:
      'Always 200; `ok: false` when a problem was found. Needs the auditor role. Runs off the ' +
      'event loop, one at a time per store: while one runs, another is 429 with Retry-After ' +
      '(`/audit/verify/last` has the last report meanwhile).',
    access: 'audit',
    tag: 'audit',
    query: EmptyQuery,
    ok: { status: 200, description: 'Verify report', schema: VerifyResponse },
    errors: [400],
    async handle({ req, res }, ctx) {
      // A verify of a large log (a million events: a minute or more) has nothing to send until
      // it ends, and the server closes a socket idle for HTTP_REQUEST_TIMEOUT_MS: lift that for
      // this answer (auditors only, one verify at a time), and put it back afterwards.
      const socket = req.socket;
      const idleTimeout = socket.timeout ?? 0;
      socket.setTimeout(0);
      try {
        res.json(await ctx.audits.verify());
      } finally {
        if (!socket.destroyed) socket.setTimeout(idleTimeout);
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit/verify/last',
    operationId: 'lastVerify',
    summary: 'The last verify report, with the log position it covers',
    description:
      'Needs the auditor role. 404 before the first verify since the server started. Does not ' +
      'verify again: the report says what was true up to `position`.',
    access: 'audit',
    tag: 'audit',
    query: EmptyQuery,
    ok: { status: 200, description: 'The last verify report', schema: LastVerifyResponse },
    errors: [400, 404],
    handle({ res }, ctx) {
      const last = ctx.audits.lastVerify();
      if (!last) throw new HttpProblem('not-found', 'No verify has run since the server started.');
      res.json(last);
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
