/**
 * Parser of exported event lines (`commitments export --format ndjson`). An event is kept as
 * exported (id, metadata, hash); it must be a known type of valid data, positions must grow
 * through the file, ids must be unique, and it must continue its stream's hash chain after
 * what the store and the earlier lines hold. An event the store already holds (same id and
 * hash at that revision) is present, not written again.
 */
import { z } from 'zod';
import { CURRENT_SCHEMA_VERSION, EventSchemas, isEventType, upcast } from '../../domain/events.js';
import { canonicalJson } from '../../shared/canonical-json.js';
import { fieldErrors } from '../../shared/field-errors.js';
import { continuesChain } from '../../store/hash-chain.js';
import type { EventStore, StoredEvent } from '../../store/port.js';
import type { LineParser, LineSink } from './types.js';

const EventLine = z.strictObject({
  position: z.number().int().nonnegative(),
  stream: z.string().min(1).max(200),
  revision: z.number().int().min(1),
  id: z.string().min(1).max(200),
  type: z.string().min(1),
  data: z.unknown(),
  metadata: z.looseObject({
    recordedAt: z.string().min(1),
    recordedBy: z.string().min(1),
    schemaVersion: z.number().int().min(1),
    requestId: z.string().optional(),
    idempotencyKey: z.string().optional(),
  }),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits'),
});

/** The schema, the event type and the (upcast) data; false when the sink was told why not. */
function validEvent(value: unknown, sink: LineSink): value is StoredEvent {
  const parsed = EventLine.safeParse(value);
  if (!parsed.success) {
    for (const f of fieldErrors(parsed.error.issues, value)) sink.bad(f.path, f.message);
    return false;
  }
  const e = value as StoredEvent; // the raw object: data and metadata exactly as exported
  if (!isEventType(e.type)) {
    sink.bad('type', `unknown event type ${e.type}`);
    return false;
  }
  let upcasted: unknown;
  try {
    upcasted = upcast(e.type, e.metadata.schemaVersion, e.data);
  } catch (err) {
    sink.bad('metadata.schemaVersion', (err as Error).message);
    return false;
  }
  const data = EventSchemas[e.type].safeParse(upcasted);
  if (!data.success) {
    for (const f of fieldErrors(data.error.issues, upcasted, ['data'])) sink.bad(f.path, f.message);
    return false;
  }
  // The door for imported events: one of the current version is folded as stored, with no
  // parse, so it must already be in its parsed form (docs/reliability.md, "What each path checks").
  if (
    e.metadata.schemaVersion === CURRENT_SCHEMA_VERSION &&
    canonicalJson(data.data) !== canonicalJson(e.data)
  ) {
    sink.bad('data', 'is not in its canonical form (the schema would change it)');
    return false;
  }
  return true;
}

interface StreamState {
  /** What the store holds of the stream. */
  target: StoredEvent[];
  rev: number;
  hash: string;
}

export function eventLineParser(store: EventStore): LineParser {
  const streams = new Map<string, StreamState>();
  const seenIds = new Set<string>();
  let lastPosition = -1;

  const streamOf = async (stream: string): Promise<StreamState> => {
    let st = streams.get(stream);
    if (!st) {
      const target = await store.readStream(stream);
      st = { target, rev: target.length, hash: target[target.length - 1]?.hash ?? '' };
      streams.set(stream, st);
    }
    return st;
  };

  return async ({ where, value }, sink) => {
    if (!validEvent(value, sink)) return;
    const e = value;
    if (e.position <= lastPosition) {
      sink.bad('position', `positions must increase through the file (after ${lastPosition})`);
      return;
    }
    if (seenIds.has(e.id)) {
      sink.bad('id', `event id ${e.id} appears twice in this file`);
      return;
    }
    const st = await streamOf(e.stream);
    if (e.revision <= st.target.length) {
      const t = st.target[e.revision - 1] as StoredEvent;
      if (t.id !== e.id || t.hash !== e.hash) {
        sink.bad(
          'revision',
          `the store already holds another event at ${e.stream} revision ${e.revision}`,
        );
        return;
      }
      sink.present();
    } else {
      const step = continuesChain({ revision: st.rev, hash: st.hash }, e);
      if (!step.ok && step.problem === 'revision') {
        sink.bad(
          'revision',
          `expected revision ${step.expectedRevision} of ${e.stream}, found ${e.revision}`,
        );
        return;
      }
      if (!step.ok) {
        sink.bad(
          'hash',
          'does not match the event and its predecessor in the stream (altered or out of order)',
        );
        return;
      }
      st.rev = e.revision;
      st.hash = e.hash;
      sink.write({ kind: 'events', where, events: [e] });
    }
    seenIds.add(e.id);
    lastPosition = e.position;
  };
}
