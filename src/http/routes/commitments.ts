/**
 * Commitments as a resource: record one, read one (optionally as known at an instant), list
 * them. Commands on an existing commitment are in commands.ts.
 */
import { RecordCommitmentBody } from '../../domain/commands.js';
import { HttpProblem } from '../problem.js';
import { CommitmentViewSchema, GetCommitmentQuery, ListPageSchema, ListQuery } from '../schemas.js';
import { CommitmentPath } from './params.js';
import { defineRoute } from './route.js';

export const commitmentRoutes = [
  defineRoute({
    method: 'post',
    path: '/commitments',
    operationId: 'recordCommitment',
    summary: 'Record a commitment',
    description:
      'Records CommitmentRecorded. Returns 201 with the view, `Location: /commitments/{id}` and `ETag: "1"`. ' +
      '`id` is optional; without it the server makes one from the title.',
    access: 'write',
    tag: 'writes',
    body: RecordCommitmentBody,
    ok: {
      status: 201,
      description: 'Recorded',
      schema: CommitmentViewSchema,
      headers: ['ETag', 'Location'],
    },
    errors: [400, 409, 412, 413, 415, 422],
    handle: ({ body, req, res }, ctx) =>
      ctx.write(req, res, (c) => ctx.tracker.record(body, c), { created: true }),
  }),
  defineRoute({
    method: 'get',
    path: '/commitments/{id}',
    operationId: 'getCommitment',
    summary: 'The view of one commitment',
    description:
      'With `knownAt`, only events recorded by then count (404 if it was not recorded yet).',
    access: 'read',
    tag: 'queries',
    params: CommitmentPath,
    query: GetCommitmentQuery,
    ok: { status: 200, description: 'The view', schema: CommitmentViewSchema, headers: ['ETag'] },
    errors: [400, 404],
    async handle({ params: { id }, query: q, res }, ctx) {
      const view = await ctx.tracker.get(id, {
        asOf: q.asOf ?? ctx.today(),
        ...(q.knownAt ? { knownAt: q.knownAt } : {}),
      });
      if (!view) {
        throw new HttpProblem(
          'not-found',
          q.knownAt
            ? `Commitment ${id} was not recorded as of ${q.knownAt}.`
            : `No commitment ${id}.`,
        );
      }
      res.set('ETag', `"${view.revision}"`).json(view);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/commitments',
    operationId: 'listCommitments',
    summary: 'List commitments',
    description:
      'Filtered, in a stable order (by id), paged with `cursor`; `nextCursor` is null on the last page ' +
      'and `total` counts every match. `overdue=true` gives exactly the commitments `/overdue` lists ' +
      'at the same `asOf`; `timing` is the deadline’s alone.',
    access: 'read',
    tag: 'queries',
    query: ListQuery,
    ok: { status: 200, description: 'A page', schema: ListPageSchema },
    errors: [400],
    async handle({ query: q, res }, ctx) {
      const page = await ctx.tracker.list({ ...q, asOf: q.asOf ?? ctx.today() });
      res.json({ items: page.items, nextCursor: page.nextCursor, total: page.total });
    },
  }),
];
