/**
 * `commitments import FILE`: NDJSON or a JSON array of
 *   - commitment bodies (the body of POST /commitments),
 *   - command lines `{"commitment": ID, "command": "sources"|"progress"|…, "body": {…}}` (the body
 *     of POST /commitments/{id}/<command>), or
 *   - an NDJSON event export (`commitments export --format ndjson`): ids, metadata and hashes are kept.
 *
 * Everything is validated first, against the schemas, the hash chain and a dry run of the domain
 * rules; a bad line stops the import before anything is written (unless skipInvalid).
 *
 * Idempotent: a body without an id gets one derived from the line's content; each body or command
 * line is identified by the hash of its content (its events get ids derived from it), so importing
 * the same file again finds them stored and adds nothing. Exported events are skipped when the
 * target already holds the same event (same id and hash) at that revision.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  CommitmentCommandBodies,
  RecordCommitmentBody,
  type CommitmentCommandName,
} from '../domain/commands.js';
import {
  decide,
  evolveDecision,
  initialDecisionState,
  type DecisionState,
} from '../domain/decide.js';
import { DomainError, InvalidInputError } from '../domain/errors.js';
import { EventSchemas, isEventType, toDomainEvent, upcast } from '../domain/events.js';
import { CommitmentId } from '../domain/values.js';
import { fieldErrors } from '../http/problem.js';
import { generateId, idempotentEventId, type OpenTracker } from '../app/tracker.js';
import type { CommandBody } from '../app/types.js';
import { canonicalJson, continuesChain } from '../store/hash-chain.js';
import { commitmentStream, type EventStore, type StoredEvent } from '../store/port.js';
import type { Progress } from './output.js';

/** Scope of the idempotency keys of imported lines (event ids are derived from scope and key). */
export const IMPORT_SCOPE = 'import';

/** A store that can take events with their original id, metadata and hash. */
export interface EventImporter {
  importEvents(events: readonly StoredEvent[]): StoredEvent[] | Promise<StoredEvent[]>;
}

export function importerOf(store: EventStore): EventImporter | null {
  const s = store as EventStore & Partial<EventImporter>;
  return typeof s.importEvents === 'function' ? (s as EventStore & EventImporter) : null;
}

export interface LineError {
  /** `line 3` (NDJSON) or `item 3` (JSON array). */
  where: string;
  path: string;
  message: string;
}

export function formatLineError(e: LineError): string {
  return e.path ? `${e.where}: ${e.path}: ${e.message}` : `${e.where}: ${e.message}`;
}

type Planned =
  | { kind: 'events'; where: string; events: StoredEvent[] }
  | { kind: 'record'; where: string; key: string; body: RecordCommitmentBody & { id: string } }
  | {
      kind: 'command';
      where: string;
      key: string;
      id: string;
      command: CommitmentCommandName;
      body: unknown;
    };

export interface ImportPlan {
  format: 'events' | 'commands' | 'empty';
  entries: number;
  /** Already in the store (or repeated in the file): skipped. */
  present: number;
  invalid: LineError[];
  /** Lines (one entry per line) that will be written, in order. */
  writes: Planned[];
}

export interface ImportResult {
  format: ImportPlan['format'];
  entries: number;
  imported: number;
  events: number;
  present: number;
  invalid: number;
}

// ------------------------------------------------------------------ parsing

interface Entry {
  where: string;
  value: unknown;
}

function splitEntries(text: string): { entries: Entry[]; errors: LineError[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      return {
        entries: [],
        errors: [{ where: 'line 1', path: '', message: `invalid JSON: ${(err as Error).message}` }],
      };
    }
    if (!Array.isArray(value)) {
      return {
        entries: [],
        errors: [{ where: 'line 1', path: '', message: 'expected a JSON array' }],
      };
    }
    return {
      entries: value.map((v, i) => ({ where: `item ${i + 1}`, value: v as unknown })),
      errors: [],
    };
  }
  const entries: Entry[] = [];
  const errors: LineError[] = [];
  body.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    try {
      entries.push({ where, value: JSON.parse(line) as unknown });
    } catch (err) {
      errors.push({ where, path: '', message: `invalid JSON: ${(err as Error).message}` });
    }
  });
  return { entries, errors };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function classify(v: unknown): 'event' | 'command' | 'record' {
  if (isObject(v) && 'hash' in v && 'stream' in v && 'position' in v) return 'event';
  if (isObject(v) && 'command' in v) return 'command';
  return 'record';
}

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

const COMMAND_NAMES = Object.keys(CommitmentCommandBodies) as [
  CommitmentCommandName,
  ...CommitmentCommandName[],
];
const CommandLine = z.strictObject({
  commitment: CommitmentId,
  command: z.enum(COMMAND_NAMES),
  body: z.unknown(),
});

const keyOf = (v: unknown): string => createHash('sha256').update(canonicalJson(v)).digest('hex');

// ------------------------------------------------------------------ planning

/** Parse and validate the whole input against the store; nothing is written. */
export async function planImport(
  text: string,
  store: EventStore,
  opts: { today: string },
): Promise<ImportPlan> {
  const { entries, errors } = splitEntries(text);
  const invalid: LineError[] = [...errors];
  const writes: Planned[] = [];
  let present = 0;

  const kinds = entries.map((e) => classify(e.value));
  const eventLines = kinds.filter((k) => k === 'event').length;
  const format: ImportPlan['format'] =
    entries.length === 0 ? 'empty' : eventLines * 2 > entries.length ? 'events' : 'commands';

  const bad = (where: string, path: string, message: string): void => {
    invalid.push({ where, path, message });
  };

  // -------- event export
  const streams = new Map<string, { target: StoredEvent[]; rev: number; hash: string }>();
  const seenIds = new Set<string>();
  let lastPosition = -1;
  // -------- bodies and commands
  const states = new Map<string, DecisionState>();
  const plannedKeys = new Set<string>();
  const recordKeyOf = new Map<string, string>();
  const stateOf = async (id: string): Promise<DecisionState> => {
    let s = states.get(id);
    if (s === undefined) {
      s = initialDecisionState;
      for (const e of await store.readStream(commitmentStream(id))) {
        s = evolveDecision(s, toDomainEvent(e.type, e.metadata.schemaVersion, e.data));
      }
      states.set(id, s);
    }
    return s;
  };
  const domainError = (where: string, err: unknown, base: string): boolean => {
    if (err instanceof InvalidInputError) {
      bad(where, base ? `${base}.${err.path}` : err.path, err.message);
      return true;
    }
    if (err instanceof DomainError) {
      bad(where, '', err.message);
      return true;
    }
    return false;
  };

  for (const [i, entry] of entries.entries()) {
    const { where, value } = entry;
    const kind = kinds[i] as ReturnType<typeof classify>;
    if ((format === 'events') !== (kind === 'event')) {
      bad(
        where,
        '',
        format === 'events'
          ? 'expected an exported event (position, stream, revision, id, type, data, metadata, hash)'
          : 'an exported event cannot be mixed with commitment bodies and commands in one file',
      );
      continue;
    }

    if (kind === 'event') {
      const parsed = EventLine.safeParse(value);
      if (!parsed.success) {
        for (const f of fieldErrors(parsed.error.issues, value)) bad(where, f.path, f.message);
        continue;
      }
      const e = value as StoredEvent; // the raw object: data and metadata exactly as exported
      if (!isEventType(e.type)) {
        bad(where, 'type', `unknown event type ${e.type}`);
        continue;
      }
      let upcasted: unknown;
      try {
        upcasted = upcast(e.type, e.metadata.schemaVersion, e.data);
      } catch (err) {
        bad(where, 'metadata.schemaVersion', (err as Error).message);
        continue;
      }
      const data = EventSchemas[e.type].safeParse(upcasted);
      if (!data.success) {
        for (const f of fieldErrors(data.error.issues, upcasted, ['data']))
          bad(where, f.path, f.message);
        continue;
      }
      if (e.position <= lastPosition) {
        bad(where, 'position', `positions must increase through the file (after ${lastPosition})`);
        continue;
      }
      if (seenIds.has(e.id)) {
        bad(where, 'id', `event id ${e.id} appears twice in this file`);
        continue;
      }
      let st = streams.get(e.stream);
      if (!st) {
        const target = await store.readStream(e.stream);
        st = { target, rev: target.length, hash: target[target.length - 1]?.hash ?? '' };
        streams.set(e.stream, st);
      }
      if (e.revision <= st.target.length) {
        const t = st.target[e.revision - 1] as StoredEvent;
        if (t.id === e.id && t.hash === e.hash) {
          present += 1;
          seenIds.add(e.id);
          lastPosition = e.position;
        } else {
          bad(
            where,
            'revision',
            `the store already holds another event at ${e.stream} revision ${e.revision}`,
          );
        }
        continue;
      }
      const step = continuesChain({ revision: st.rev, hash: st.hash }, e);
      if (!step.ok && step.problem === 'revision') {
        bad(
          where,
          'revision',
          `expected revision ${step.expectedRevision} of ${e.stream}, found ${e.revision}`,
        );
        continue;
      }
      if (!step.ok) {
        bad(
          where,
          'hash',
          'does not match the event and its predecessor in the stream (altered or out of order)',
        );
        continue;
      }
      st.rev = e.revision;
      st.hash = e.hash;
      seenIds.add(e.id);
      lastPosition = e.position;
      writes.push({ kind: 'events', where, events: [e] });
      continue;
    }

    if (kind === 'command') {
      const parsed = CommandLine.safeParse(value);
      if (!parsed.success) {
        for (const f of fieldErrors(parsed.error.issues, value)) bad(where, f.path, f.message);
        continue;
      }
      const { commitment: id, command } = parsed.data;
      const bodyRaw = (value as { body: unknown }).body;
      const body = CommitmentCommandBodies[command].safeParse(bodyRaw);
      if (!body.success) {
        for (const f of fieldErrors(body.error.issues, bodyRaw, ['body']))
          bad(where, f.path, f.message);
        continue;
      }
      const key = keyOf(value);
      if (
        plannedKeys.has(key) ||
        (await store.findEvent(idempotentEventId(IMPORT_SCOPE, key, 0)))
      ) {
        present += 1;
        continue;
      }
      try {
        const state = await stateOf(id);
        let supersedingExists: boolean | undefined;
        if (command === 'supersession') {
          const by = (body.data as CommandBody<'supersession'>).by;
          supersedingExists = by !== id && (await stateOf(by)).exists;
        }
        const events = decide(
          state,
          { type: command, body: body.data } as Parameters<typeof decide>[1],
          {
            today: opts.today,
            ...(supersedingExists !== undefined ? { supersedingExists } : {}),
          },
        );
        states.set(id, events.reduce(evolveDecision, state));
      } catch (err) {
        if (domainError(where, err, 'body')) continue;
        throw err;
      }
      plannedKeys.add(key);
      writes.push({ kind: 'command', where, key, id, command, body: body.data });
      continue;
    }

    // a commitment body
    const parsed = RecordCommitmentBody.safeParse(value);
    if (!parsed.success) {
      for (const f of fieldErrors(parsed.error.issues, value)) bad(where, f.path, f.message);
      continue;
    }
    const key = keyOf(value);
    const id =
      parsed.data.id ??
      generateId(parsed.data.title, { idempotencyKey: key, idempotencyScope: IMPORT_SCOPE });
    const body = { ...parsed.data, id };
    const planned = recordKeyOf.get(id);
    if (planned !== undefined) {
      if (planned === key) present += 1;
      else
        bad(where, 'id', `commitment ${id} is recorded twice in this file, with different content`);
      continue;
    }
    let decided;
    try {
      decided = decide(
        initialDecisionState,
        { type: 'RecordCommitment', body },
        { today: opts.today },
      );
    } catch (err) {
      if (domainError(where, err, '')) continue;
      throw err;
    }
    const existing = await store.readStream(commitmentStream(id));
    const first = existing[0];
    if (first) {
      if (
        first.id === idempotentEventId(IMPORT_SCOPE, key, 0) ||
        canonicalJson(first.data) === canonicalJson(decided[0]?.data)
      ) {
        present += 1;
        recordKeyOf.set(id, key);
      } else {
        bad(where, 'id', `commitment ${id} already exists with other content`);
      }
      continue;
    }
    states.set(id, decided.reduce(evolveDecision, initialDecisionState));
    recordKeyOf.set(id, key);
    writes.push({ kind: 'record', where, key, body });
  }

  invalid.sort((a, b) => lineNo(a.where) - lineNo(b.where));
  return { format, entries: entries.length + errors.length, present, invalid, writes };
}

const lineNo = (where: string): number => Number(where.replace(/^\D+/, '')) || 0;

// ------------------------------------------------------------------ writing

/** Write a validated plan. Event exports go through the store's importEvents in chunks. */
export async function applyImport(
  plan: ImportPlan,
  tracker: OpenTracker,
  opts: { recordedBy: string; progress: Progress },
): Promise<{ imported: number; events: number }> {
  let imported = 0;
  let events = 0;
  if (plan.format === 'events') {
    const importer = importerOf(tracker.store);
    if (!importer) throw new Error(`the ${tracker.store.kind} store cannot import exported events`);
    const all = plan.writes.flatMap((w) => (w.kind === 'events' ? w.events : []));
    const CHUNK = 1000;
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK);
      await importer.importEvents(chunk);
      imported += chunk.length;
      events += chunk.length;
      opts.progress.update(imported);
    }
    return { imported, events };
  }
  for (const w of plan.writes) {
    const ctx = {
      recordedBy: opts.recordedBy,
      idempotencyKey: w.kind === 'events' ? '' : w.key,
      idempotencyScope: IMPORT_SCOPE,
    };
    if (w.kind === 'record') {
      const r = await tracker.record(w.body, ctx);
      events += r.events.length;
    } else if (w.kind === 'command') {
      const r = await tracker.execute(
        w.id,
        w.command,
        w.body as CommandBody<typeof w.command>,
        ctx,
      );
      events += r.events.length;
    }
    imported += 1;
    opts.progress.update(imported);
  }
  return { imported, events };
}
