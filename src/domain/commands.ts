/**
 * Commands: what a client asks for. Each body schema here is exactly the body of
 * its HTTP route (and of the CLI's `record`/`import`), so validation, types and
 * OpenAPI all come from one place.
 */
import { z } from 'zod';
import {
  Amount,
  Assessment,
  CommitmentId,
  DueInput,
  IsoDate,
  IsoDuration,
  Kind,
  MetricInput,
  Note,
  Outcome,
  Parties,
  Party,
  Phase,
  Report,
  Score,
  Reason,
  Source,
  Statement,
  Tags,
  Text,
} from './values.js';
import { CorrectableFields } from './events.js';

export const RecordCommitmentBody = z
  .strictObject({
    id: CommitmentId.optional(),
    title: Text(500),
    kind: Kind,
    parties: Parties,
    statement: Statement,
    source: Source,
    metric: MetricInput.optional(),
    due: DueInput.optional(),
    reviewEvery: IsoDuration.optional(),
    tags: Tags.optional(),
  })
  .meta({ id: 'RecordCommitment' });
export type RecordCommitmentBody = z.infer<typeof RecordCommitmentBody>;

export const AddSourceBody = z
  .strictObject({ source: Source, quote: Text(10_000).optional(), note: Note.optional() })
  .meta({ id: 'AddSource' });

export const ReportProgressBody = z
  .strictObject({
    asOf: IsoDate,
    value: Amount.optional(),
    note: Note.optional(),
    source: Source.optional(),
  })
  .meta({ id: 'ReportProgress' });

export const RecordReviewBody = z
  .strictObject({
    reviewedAt: IsoDate,
    assessment: Assessment,
    note: Note.optional(),
    source: Source.optional(),
  })
  .meta({ id: 'RecordReview' });

export const ReviseDeadlineBody = z
  .strictObject({ due: DueInput, reason: Reason, source: Source.optional() })
  .meta({ id: 'ReviseDeadline' });

export const ReviseTargetBody = z
  .strictObject({ target: Amount, reason: Reason, source: Source.optional() })
  .meta({ id: 'ReviseTarget' });

export const RecordOutcomeBody = z
  .strictObject({
    outcome: Outcome,
    decidedAt: IsoDate,
    note: Note.optional(),
    source: Source.optional(),
  })
  .meta({ id: 'RecordOutcome' });

export const WithdrawBody = z
  .strictObject({ at: IsoDate, reason: Reason, source: Source.optional() })
  .meta({ id: 'Withdraw' });

export const SupersedeBody = z
  .strictObject({ by: CommitmentId, at: IsoDate, reason: Reason.optional() })
  .meta({ id: 'Supersede' });

/** A Research Group's score of one party on this commitment, from one report (issue 15). */
export const AssessPartyBody = z
  .strictObject({
    party: Party,
    score: Score,
    phase: Phase,
    report: Report,
    note: Note.optional(),
    source: Source.optional(),
  })
  .meta({ id: 'AssessParty' });

export const CorrectRecordBody = z
  .strictObject({ fields: CorrectableFields, reason: Reason })
  .meta({ id: 'CorrectRecord' });

/** Commands on one existing commitment, by command type (a verb) → body schema. */
export const CommitmentCommandBodies = {
  AddSource: AddSourceBody,
  ReportProgress: ReportProgressBody,
  RecordReview: RecordReviewBody,
  ReviseDeadline: ReviseDeadlineBody,
  ReviseTarget: ReviseTargetBody,
  RecordOutcome: RecordOutcomeBody,
  Withdraw: WithdrawBody,
  Supersede: SupersedeBody,
  CorrectRecord: CorrectRecordBody,
  AssessParty: AssessPartyBody,
} as const;
export type CommitmentCommandName = keyof typeof CommitmentCommandBodies;

/**
 * URL segment of `POST /commitments/{id}/<segment>` → command type. The one map between the
 * two: the HTTP route table and the CLI import (whose lines name the segment in `"command"`)
 * both read it.
 */
export const COMMAND_OF_SEGMENT = {
  sources: 'AddSource',
  progress: 'ReportProgress',
  reviews: 'RecordReview',
  deadline: 'ReviseDeadline',
  target: 'ReviseTarget',
  outcome: 'RecordOutcome',
  withdrawal: 'Withdraw',
  supersession: 'Supersede',
  corrections: 'CorrectRecord',
  assessments: 'AssessParty',
} as const satisfies Record<string, CommitmentCommandName>;
export type CommandSegment = keyof typeof COMMAND_OF_SEGMENT;

/** A command, discriminated on `type`, with its validated body. */
export type Command =
  | { type: 'RecordCommitment'; body: RecordCommitmentBody }
  | {
      [K in CommitmentCommandName]: {
        type: K;
        body: z.output<(typeof CommitmentCommandBodies)[K]>;
      };
    }[CommitmentCommandName];
