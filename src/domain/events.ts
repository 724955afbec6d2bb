/**
 * The event vocabulary. Events are facts: never edited, never deleted.
 * Each schema describes the `data` of one event type at the current schemaVersion.
 * Older stored shapes are brought up to date by `upcast` (see docs/events.md).
 */
import { z } from 'zod';
import { canonicalJson } from '../shared/canonical-json.js';
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

/**
 * The schemaVersion written with every new event.
 * - 1: events stored before the store validated at its door (issue 18). Their data fits the
 *   schemas only after a parse (a party not yet normalised, a tag given twice), so they are
 *   never trusted as stored: they are upcast and parsed on every fold.
 * - 2: the same shapes, validated at the door in their parsed (canonical) form before they were
 *   stored; a fold trusts them without a parse (`storedDomainEvent`).
 */
export const CURRENT_SCHEMA_VERSION = 2;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventSchemas, type);
}

/**
 * Upcasters turn an older stored shape into the current one, on read.
 * Key: `${type}@${fromVersion}`; each step raises the version by one.
 * 1 → 2 keeps the data as it is: the shapes did not change, only the guarantee that stored data
 * is in its parsed form; the schema parse that follows every upcast (`toDomainEvent`) gives it.
 */
const upcasters: Record<string, (data: unknown) => unknown> = Object.fromEntries(
  Object.keys(EventSchemas).map((type) => [`${type}@1`, (data: unknown) => data]),
);

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

/**
 * A STORED event as a domain event: the fast path of every fold (rebuild, replay, projector,
 * the command handler's load). Every event on a commitment stream was validated at the door
 * before it was stored (by `decide`, by the import, or by the store adapter: `validateForStore`),
 * so data of the current schemaVersion is trusted as is: no zod parse. An older version goes
 * through its upcasters and the schema. What is still checked (cheap sanity checks, so a row
 * changed behind the store's back fails loudly instead of projecting garbage): the type is
 * known and the data is a plain object. Tampering proper is `verify`'s job (the hash chain).
 */
export function storedDomainEvent(type: string, schemaVersion: number, data: unknown): DomainEvent {
  if (schemaVersion !== CURRENT_SCHEMA_VERSION) return toDomainEvent(type, schemaVersion, data);
  if (!isEventType(type)) throw new Error(`unknown event type ${type}`);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error(`stored ${type} data is not an object`);
  }
  return { type, data } as DomainEvent;
}

/**
 * Event data that `decide` produced: built from a parsed command, so already of its schema.
 * The store adapters skip the schema for these objects (`validateForStore`); anything else
 * appended through the port is parsed. A WeakSet: the marks go with the objects.
 */
const decided = new WeakSet<object>();

/** Mark the data of decided events as validated (called by `decide`). Returns the events. */
export function markDecided<T extends readonly DomainEvent[]>(events: T): T {
  for (const e of events) decided.add(e.data);
  return events;
}

/** A field of an event that does not fit its schema. */
export interface EventFieldProblem {
  path: string;
  message: string;
}

/**
 * The door of the store: may `data` be stored as an event of `type` at the current
 * schemaVersion? Null when it may (data that `decide` produced, or data its schema accepts
 * unchanged); otherwise the problems, by field. Data the schema would change (a party not yet
 * normalised, a duplicate tag) is refused too: the fold trusts stored data as it is.
 */
export function validateForStore(type: string, data: unknown): EventFieldProblem[] | null {
  if (!isEventType(type)) return [{ path: 'type', message: `unknown event type ${type}` }];
  if (typeof data === 'object' && data !== null && decided.has(data)) return null;
  const r = EventSchemas[type].safeParse(data);
  if (!r.success) {
    return r.error.issues.map((i) => ({
      path: ['data', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
  }
  if (canonicalJson(r.data) !== canonicalJson(data)) {
    return [{ path: 'data', message: 'is not in its canonical form (the schema would change it)' }];
  }
  return null;
}
