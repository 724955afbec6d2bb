/**
 * The event vocabulary. Events are facts: never edited, never deleted.
 * Each schema describes the `data` of one event type at the current schemaVersion.
 * Older stored shapes are brought up to date by `upcast` (see docs/events.md).
 */
import { z } from 'zod';
import {
  Amount,
  Assessment,
  CommitmentId,
  Due,
  IsoDate,
  IsoDuration,
  Kind,
  MetricRecord,
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

export const CommitmentRecorded = z.strictObject({
  id: CommitmentId,
  title: Text(500),
  kind: Kind,
  parties: Parties,
  statement: Statement,
  source: Source,
  metric: MetricRecord.nullable(),
  due: Due.nullable(),
  reviewEvery: IsoDuration,
  tags: Tags,
});

export const SourceAdded = z.strictObject({
  source: Source,
  quote: Text(10_000).optional(),
  note: Note.optional(),
});

export const ProgressReported = z.strictObject({
  asOf: IsoDate,
  value: Amount.optional(),
  note: Note.optional(),
  source: Source.optional(),
});

export const ReviewRecorded = z.strictObject({
  reviewedAt: IsoDate,
  assessment: Assessment,
  note: Note.optional(),
  source: Source.optional(),
});

export const DeadlineRevised = z.strictObject({
  due: Due,
  reason: Reason,
  source: Source.optional(),
});

export const TargetRevised = z.strictObject({
  target: Amount,
  reason: Reason,
  source: Source.optional(),
});

export const OutcomeRecorded = z.strictObject({
  outcome: Outcome,
  decidedAt: IsoDate,
  note: Note.optional(),
  source: Source.optional(),
});

export const CommitmentWithdrawn = z.strictObject({
  at: IsoDate,
  reason: Reason,
  source: Source.optional(),
});

export const CommitmentSuperseded = z.strictObject({
  by: CommitmentId,
  at: IsoDate,
  reason: Reason.optional(),
});

export const CorrectableFields = z
  .strictObject({
    title: Text(500).optional(),
    kind: Kind.optional(),
    parties: Parties.optional(),
    tags: Tags.optional(),
    statement: Statement.optional(),
  })
  .refine((f) => Object.values(f).some((v) => v !== undefined), {
    message: 'must correct at least one of title, kind, parties, tags, statement',
  });

export const RecordCorrected = z.strictObject({
  fields: CorrectableFields,
  reason: Reason,
});

/** One party's compliance score on the commitment, from one report (interim or final). */
export const PartyAssessed = z.strictObject({
  party: Party,
  score: Score,
  phase: Phase,
  report: Report,
  note: Note.optional(),
  source: Source.optional(),
});

/** Schema of each event type's data, by type name. */
export const EventSchemas = {
  CommitmentRecorded,
  SourceAdded,
  ProgressReported,
  ReviewRecorded,
  DeadlineRevised,
  TargetRevised,
  OutcomeRecorded,
  CommitmentWithdrawn,
  CommitmentSuperseded,
  RecordCorrected,
  PartyAssessed,
} as const;

export type EventType = keyof typeof EventSchemas;
export const EVENT_TYPES = Object.keys(EventSchemas) as EventType[];

/** A domain event: a type and its data, discriminated on `type`. */
export type DomainEvent = {
  [K in EventType]: { type: K; data: z.output<(typeof EventSchemas)[K]> };
}[EventType];

export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>;
export type EventData<K extends EventType> = EventOf<K>['data'];

/** The schemaVersion written with every new event. */
export const CURRENT_SCHEMA_VERSION = 1;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventSchemas, type);
}

/**
 * Upcasters turn an older stored shape into the current one, on read.
 * Key: `${type}@${fromVersion}`; each step raises the version by one.
 * There are none yet: schemaVersion 1 is the first.
 */
const upcasters: Record<string, (data: unknown) => unknown> = {};

/** Bring stored event data up to CURRENT_SCHEMA_VERSION. Pure. */
export function upcast(type: string, schemaVersion: number, data: unknown): unknown {
  let v = schemaVersion;
  let d = data;
  while (v < CURRENT_SCHEMA_VERSION) {
    const step = upcasters[`${type}@${v}`];
    if (!step) throw new Error(`no upcaster for ${type} from schemaVersion ${v}`);
    d = step(d);
    v += 1;
  }
  return d;
}

/** Parse stored data into a typed domain event (after upcasting). Throws on a shape that does not fit. */
export function toDomainEvent(type: string, schemaVersion: number, data: unknown): DomainEvent {
  if (!isEventType(type)) throw new Error(`unknown event type ${type}`);
  const parsed = EventSchemas[type].parse(upcast(type, schemaVersion, data));
  return { type, data: parsed } as DomainEvent;
}
