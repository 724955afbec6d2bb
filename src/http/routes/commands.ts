/**
 * Commands on an existing commitment: `POST /commitments/{id}/<segment>`. Each route names its
 * segment; `COMMAND_OF_SEGMENT` (shared with the CLI import) maps it to the domain's command type,
 * whose body schema is the request body.
 */
import type { z } from 'zod';
import {
  COMMAND_OF_SEGMENT,
  CommitmentCommandBodies,
  type CommandSegment,
} from '../../domain/commands.js';
import type { CommandBody } from '../../app/types.js';
import { CommitmentViewSchema } from '../schemas.js';
import { CommitmentPath } from './params.js';
import { defineRoute, type AnyRoute } from './route.js';

function commandRoute<S extends CommandSegment>(
  path: `/commitments/{id}/${S}`,
  segment: S,
  operationId: string,
  summary: string,
): AnyRoute {
  const command = COMMAND_OF_SEGMENT[segment];
  const body = CommitmentCommandBodies[command] as unknown as z.ZodType<
    CommandBody<(typeof COMMAND_OF_SEGMENT)[S]>
  >;
  return defineRoute({
    method: 'post',
    path,
    operationId,
    summary,
    description:
      'Returns 201 with the updated view and its new ETag. Accepts `If-Match: "<revision>"`.',
    access: 'write',
    tag: 'writes',
    params: CommitmentPath,
    body,
    ok: { status: 201, description: 'Recorded', schema: CommitmentViewSchema, headers: ['ETag'] },
    errors: [400, 404, 409, 412, 413, 415, 422],
    handle: ({ params: { id }, body: b, req, res }, ctx) =>
      ctx.write(req, res, (c) => ctx.tracker.execute(id, command, b, c), { created: false }),
  });
}

export const commandRoutes: AnyRoute[] = [
  commandRoute(
    '/commitments/{id}/sources',
    'sources',
    'addSource',
    'Add a source (records SourceAdded).',
  ),
  commandRoute(
    '/commitments/{id}/progress',
    'progress',
    'reportProgress',
    'Report progress (ProgressReported). `value` needs a metric.',
  ),
  commandRoute(
    '/commitments/{id}/reviews',
    'reviews',
    'recordReview',
    'Record a review (ReviewRecorded).',
  ),
  commandRoute(
    '/commitments/{id}/deadline',
    'deadline',
    'reviseDeadline',
    'Revise the deadline (DeadlineRevised). Relative phrases resolve against today.',
  ),
  commandRoute(
    '/commitments/{id}/target',
    'target',
    'reviseTarget',
    'Revise the metric target (TargetRevised). Needs a metric.',
  ),
  commandRoute(
    '/commitments/{id}/outcome',
    'outcome',
    'recordOutcome',
    'Record the outcome (OutcomeRecorded); it may be recorded again.',
  ),
  commandRoute(
    '/commitments/{id}/withdrawal',
    'withdrawal',
    'withdraw',
    'Withdraw the commitment (CommitmentWithdrawn); final.',
  ),
  commandRoute(
    '/commitments/{id}/supersession',
    'supersession',
    'supersede',
    'Mark as superseded by another existing commitment (CommitmentSuperseded); final.',
  ),
  commandRoute(
    '/commitments/{id}/corrections',
    'corrections',
    'correctRecord',
    'Correct the record (RecordCorrected).',
  ),
  commandRoute(
    '/commitments/{id}/assessments',
    'assessments',
    'assessParty',
    "Score one of the commitment's parties from a report (PartyAssessed): -1, 0 or 1, interim or final.",
  ),
];
