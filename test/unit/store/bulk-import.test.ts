/**
 * The bulk path of the embedded store (src/store/sqlite/bulk-load.ts): a large `importEvents` or
 * `appendMany` into an EMPTY store builds the store's unique indexes (and the read model's
 * secondary indexes) after the load. It must write exactly what the normal path writes, refuse
 * the same things with the same errors, write nothing when it refuses, and leave every index in
 * place afterwards. A store that is not empty keeps the normal path.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { importChunks, type ImportBatch } from '../../../bench/generate.js';
import { QueueClock } from '../../../bench/seed.js';
import { fixedClock, type Clock } from '../../../src/domain/clock.js';
import { verify } from '../../../src/read-model/audit.js';
import { SECONDARY_INDEX_NAMES, withIndexesAfterLoad } from '../../../src/read-model/schema.js';
import {
  ensureReadModelSchema,
  inlineProjection,
  rebuild,
} from '../../../src/read-model/sqlite-read-model.js';
import {
  ChainMismatchError,
  DuplicateEventError,
  InvalidEventError,
  WrongExpectedRevisionError,
} from '../../../src/store/errors.js';
import { eventHash, GENESIS_HASH } from '../../../src/store/hash-chain.js';
import type { EventMetadata, StoredEvent } from '../../../src/store/port.js';
import { BULK_MIN_EVENTS, bulkLoad } from '../../../src/store/sqlite/bulk-load.js';
import { BY_STREAM_PAGE_SQL } from '../../../src/store/sqlite/local-log.js';
import { prepareStatements } from '../../../src/store/sqlite/statements.js';
import {
  SqliteEventStore,
  type AppendBatch,
} from '../../../src/store/sqlite/sqlite-event-store.js';

const dirs: string[] = [];
const stores: SqliteEventStore[] = [];

/** The embedded store with the read model projected inline, as src/bootstrap.ts wires it. */
function open(clock: Clock = fixedClock('2026-07-01T00:00:00.000Z')): SqliteEventStore {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-bulk-'));
  dirs.push(d);
  const s = SqliteEventStore.open({
    file: path.join(d, 'commitments.db'),
    synchronous: 'OFF',
    clock,
  });
  stores.push(s);
  ensureReadModelSchema(s.db);
  s.registerInlineProjection(inlineProjection(s));
  return s;
}

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const indexesOf = (db: Database, table: string): string[] =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name")
      .all(table) as { name: string }[]
  ).map((r) => r.name);

const allIndexes = (db: Database): string[] =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

const schemaOf = (db: Database): unknown =>
  db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();

/** Took the bulk path: the unique indexes are the named ones it builds, not migration 1's. */
const tookBulkPath = (db: Database): boolean =>
  indexesOf(db, 'events').join() === 'events_id,events_stream_revision';

const RM_TABLES: Record<string, string> = {
  rm_commitments: 'id',
  rm_parties: 'commitment_id, party',
  rm_tags: 'commitment_id, tag',
  rm_agenda: 'commitment_id, item',
  rm_checkpoint: 'name',
};

function readModelRows(db: Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [t, order] of Object.entries(RM_TABLES)) {
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY ${order}`).all();
  }
  return out;
}

function dump(db: Database): {
  events: unknown[];
  streams: unknown[];
  rm: Record<string, unknown[]>;
} {
  return {
    events: db.prepare('SELECT * FROM events ORDER BY position').all(),
    streams: db.prepare('SELECT * FROM streams ORDER BY stream').all(),
    rm: readModelRows(db),
  };
}

function counts(db: Database): number[] {
  return ['events', 'streams', 'rm_commitments', 'rm_agenda'].map(
    (t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
  );
}

/** The generated log (real commitment events) as appendMany batches with fixed ids. */
function generatedBatches(events: number): { batches: AppendBatch[]; instants: string[] } {
  const chunk: ImportBatch[] = [...importChunks({ seed: 18, events, chunkEvents: events })].flat();
  let n = 0;
  const batches = chunk.map((b) => ({
    stream: b.stream,
    expectedRevision: b.expectedRevision === 0 ? ('no_stream' as const) : b.expectedRevision,
    events: b.events.map((e) => {
      n += 1;
      return { id: `ev-${n}`, type: e.type, data: e.data, metadata: { recordedBy: 'bulk-test' } };
    }),
  }));
  return { batches, instants: chunk.map((b) => b.recordedAt) };
}

/** Appended in calls of at most `per` events (below BULK_MIN_EVENTS: the normal path). */
function appendInCalls(
  store: SqliteEventStore,
  clock: QueueClock,
  batches: AppendBatch[],
  instants: string[],
  per: number,
): void {
  let from = 0;
  while (from < batches.length) {
    let to = from;
    let n = 0;
    while (to < batches.length && n + (batches[to] as AppendBatch).events.length <= per) {
      n += (batches[to] as AppendBatch).events.length;
      to += 1;
    }
    if (to === from) to += 1;
    clock.set(instants.slice(from, to));
    store.appendMany(batches.slice(from, to));
    from = to;
  }
}

function chunksOf<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

let source: StoredEvent[] = [];
let gen: { batches: AppendBatch[]; instants: string[] };

beforeAll(() => {
  gen = generatedBatches(3000);
  const clock = new QueueClock();
  const s = open(clock);
  appendInCalls(s, clock, gen.batches, gen.instants, 200);
  source = s.readAllSync({ after: 0, limit: 1_000_000 });
});

describe('bulk import into an empty store', () => {
  it('writes the rows, hashes and read model of the normal path, and of a rebuild', async () => {
    expect(source.length).toBe(3000);
    expect(source.length).toBeGreaterThanOrEqual(BULK_MIN_EVENTS);

    const bulk = open();
    bulk.importEvents(source);
    expect(tookBulkPath(bulk.db)).toBe(true);

    const normal = open();
    for (const c of chunksOf(source, 200)) normal.importEvents(c);
    expect(tookBulkPath(normal.db)).toBe(false);

    const d = dump(bulk.db);
    expect(d.events).toHaveLength(3000);
    expect((d.rm.rm_commitments ?? []).length).toBeGreaterThan(100);
    expect(d).toEqual(dump(normal.db));

    // The read model is the one a rebuild makes from the imported log.
    await rebuild(bulk.db, bulk);
    expect(readModelRows(bulk.db)).toEqual(d.rm);
    expect((await verify(bulk, bulk.db)).ok).toBe(true);
  });

  it('leaves every index in place: the store enforces unique ids and revisions afterwards', async () => {
    const bulk = open();
    bulk.importEvents(source);
    expect(allIndexes(bulk.db)).toEqual(expect.arrayContaining([...SECONDARY_INDEX_NAMES]));
    expect(indexesOf(bulk.db, 'rm_agenda')).toContain('rm_agenda_commitment');
    const uniques = bulk.db.prepare('PRAGMA index_list(events)').all() as {
      name: string;
      unique: number;
    }[];
    expect(uniques.map((u) => [u.name, u.unique]).sort()).toEqual([
      ['events_id', 1],
      ['events_stream_revision', 1],
    ]);

    // The stream-ordered reader of rebuild and replay still seeks on (stream, revision).
    const plan = (
      bulk.db
        .prepare(`EXPLAIN QUERY PLAN ${BY_STREAM_PAGE_SQL}`)
        .all('commitment-a', 3, 'commitment.', 10) as { detail: string }[]
    )
      .map((p) => p.detail)
      .join('\n');
    expect(plan).toMatch(
      /USING (COVERING )?INDEX events_stream_revision \(\(stream,revision\)>\(\?,\?\)/,
    );

    // A stored id on a new stream (its chain is right) is refused by the rebuilt index.
    const first = source[0] as StoredEvent;
    const metadata = first.metadata;
    const again = {
      stream: 'other-1',
      revision: 1,
      id: first.id,
      type: 'T',
      data: { n: 1 },
      metadata,
    };
    const dupe: StoredEvent = { ...again, position: 0, hash: eventHash(GENESIS_HASH, again) };
    expect(() => bulk.importEvents([dupe])).toThrow(DuplicateEventError);
    // And an append continues a stream as usual.
    const progress = {
      type: 'ProgressReported',
      data: { asOf: '2026-06-30', note: 'More.' },
      metadata: { recordedBy: 'x' },
    };
    const stream = first.stream;
    const head = bulk.readStreamSync(stream).length;
    await bulk.append(stream, [progress], {
      expectedRevision: head,
    });
    await expect(
      bulk.append(stream, [progress], {
        expectedRevision: head,
      }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('appendMany: the same rows as calls below the threshold', () => {
    const c1 = new QueueClock();
    const bulk = open(c1);
    c1.set(gen.instants);
    bulk.appendMany(gen.batches);
    expect(tookBulkPath(bulk.db)).toBe(true);

    const c2 = new QueueClock();
    const normal = open(c2);
    appendInCalls(normal, c2, gen.batches, gen.instants, 200);
    expect(tookBulkPath(normal.db)).toBe(false);
    expect(dump(bulk.db)).toEqual(dump(normal.db));
  });

  it('into a store that is not empty takes the normal path, and still ends with the same rows', () => {
    const bulk = open();
    bulk.importEvents(source);

    const later = open();
    later.importEvents(source.slice(0, 100));
    later.importEvents(source.slice(100));
    expect(tookBulkPath(later.db)).toBe(false);
    expect(indexesOf(later.db, 'events')).toEqual([
      'sqlite_autoindex_events_1',
      'sqlite_autoindex_events_2',
    ]);
    expect(dump(later.db)).toEqual(dump(bulk.db));
  });
});

// ------------------------------------------------------------------ refusals

const META: EventMetadata = {
  recordedAt: '2026-01-01T00:00:00.000Z',
  recordedBy: 'bulk-test',
  schemaVersion: 2,
};

/**
 * A synthetic log of 30 streams × 10 events (not commitment streams: no fold), hash-chained.
 * `tweak` may change an event's id or revision before it is hashed (its chain stays right).
 */
function syntheticLog(
  tweak: (e: { stream: string; revision: number; id: string }, k: number) => void = () => {},
): StoredEvent[] {
  const out: StoredEvent[] = [];
  const prev = new Map<string, string>();
  let k = 0;
  for (let r = 1; r <= 10; r += 1) {
    for (let s = 0; s < 30; s += 1) {
      const e = {
        stream: `other-${s}`,
        revision: r,
        id: `id-${s}-${r}`,
        type: 'T',
        data: { s, r },
        metadata: META,
      };
      tweak(e, k);
      const hash = eventHash(prev.get(e.stream) ?? GENESIS_HASH, e);
      prev.set(e.stream, hash);
      out.push({ ...e, position: 0, hash });
      k += 1;
    }
  }
  return out;
}

/** The error of importing `events` into an empty store, and into one holding one other event. */
function refusals(events: StoredEvent[]): {
  empty: unknown;
  used: unknown;
  emptyStore: SqliteEventStore;
} {
  expect(events.length).toBeGreaterThanOrEqual(BULK_MIN_EVENTS);
  const empty = open();
  const schema = schemaOf(empty.db);
  let e1: unknown;
  try {
    empty.importEvents(events);
  } catch (err) {
    e1 = err;
  }
  // Nothing written, and the schema (the dropped indexes) is back as it was.
  expect(counts(empty.db)).toEqual([0, 0, 0, 0]);
  expect(schemaOf(empty.db)).toEqual(schema);

  const used = open();
  const seed = { stream: 'seed', revision: 1, id: 'seed-1', type: 'T', data: {}, metadata: META };
  used.importEvents([{ ...seed, position: 0, hash: eventHash(GENESIS_HASH, seed) }]);
  let e2: unknown;
  try {
    used.importEvents(events);
  } catch (err) {
    e2 = err;
  }
  expect(counts(used.db)).toEqual([1, 1, 0, 0]);
  return { empty: e1, used: e2, emptyStore: empty };
}

describe('the bulk path refuses what the normal path refuses, and writes nothing', () => {
  it('a clean synthetic log is accepted on both paths (the refusals below are the tweaks)', () => {
    const s = open();
    s.importEvents(syntheticLog());
    expect(tookBulkPath(s.db)).toBe(true);
    expect(counts(s.db)[0]).toBe(300);
  });

  it('a duplicate id inside the batch', () => {
    const { empty, used, emptyStore } = refusals(
      syntheticLog((e, k) => {
        if (k === 290) e.id = 'id-0-1';
      }),
    );
    expect(empty).toBeInstanceOf(DuplicateEventError);
    expect((empty as DuplicateEventError).eventId).toBe('id-0-1');
    expect(used).toBeInstanceOf(DuplicateEventError);
    expect((used as Error).message).toBe((empty as Error).message);
    // The store is usable afterwards, and still empty, so the next import takes the bulk path.
    emptyStore.importEvents(syntheticLog());
    expect(tookBulkPath(emptyStore.db)).toBe(true);
  });

  it('a duplicate revision inside the batch', () => {
    const { empty, used } = refusals(
      syntheticLog((e) => {
        if (e.stream === 'other-7' && e.revision === 9) e.revision = 8;
      }),
    );
    expect(empty).toBeInstanceOf(WrongExpectedRevisionError);
    expect(used).toBeInstanceOf(WrongExpectedRevisionError);
    expect((used as Error).message).toBe((empty as Error).message);
  });

  it('a broken chain', () => {
    const log = syntheticLog();
    const i = 280;
    log[i] = { ...(log[i] as StoredEvent), data: { tampered: true } };
    const { empty, used } = refusals(log);
    expect(empty).toBeInstanceOf(ChainMismatchError);
    expect((used as Error).message).toBe((empty as Error).message);
  });

  it('appendMany: a duplicate id and an invalid event', () => {
    const many = (bad: 'id' | 'event'): AppendBatch[] =>
      Array.from({ length: 300 }, (_, i) => ({
        stream: i === 299 && bad === 'event' ? 'commitment-broken' : `other-${i}`,
        expectedRevision: 'no_stream' as const,
        events: [
          {
            id: i === 299 && bad === 'id' ? 'x-3' : `x-${i}`,
            type: i === 299 && bad === 'event' ? 'CommitmentRecorded' : 'T',
            data: i === 299 && bad === 'event' ? { title: 42 } : { i },
            metadata: { recordedBy: 'bulk-test' },
          },
        ],
      }));
    for (const bad of ['id', 'event'] as const) {
      const s = open();
      const schema = schemaOf(s.db);
      let err: unknown;
      try {
        s.appendMany(many(bad));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(bad === 'id' ? DuplicateEventError : InvalidEventError);
      expect(counts(s.db)).toEqual([0, 0, 0, 0]);
      expect(schemaOf(s.db)).toEqual(schema);
    }
  });

  it('the index build at the end is the final check: a duplicate it finds fails the whole load', () => {
    const s = open();
    const schema = schemaOf(s.db);
    const ctx = {
      db: s.db,
      stmt: prepareStatements(s.db),
      clock: fixedClock('2026-01-01T00:00:00Z'),
      projections: [],
    };
    const insertRaw = (id: string, stream: string, revision: number): void => {
      ctx.stmt.insert.run(stream, revision, id, 'T', '{}', '{}', 'h');
    };
    // Rows written behind the in-memory checks' back (as a bug in them would): the index build refuses.
    const load = (dupe: 'id' | 'revision') =>
      s.db.transaction(() =>
        bulkLoad(ctx, BULK_MIN_EVENTS, (c) => {
          expect(c.db.inTransaction).toBe(true);
          expect(indexesOf(c.db, 'events')).toEqual([]);
          for (let i = 0; i < BULK_MIN_EVENTS; i += 1) insertRaw(`r-${i}`, `s-${i}`, 1);
          if (dupe === 'id') insertRaw('r-7', 's-x', 1);
          else insertRaw('r-x', 's-7', 1);
          return null;
        }),
      );
    expect(() => load('id').immediate()).toThrow(DuplicateEventError);
    expect(counts(s.db)).toEqual([0, 0, 0, 0]);
    expect(schemaOf(s.db)).toEqual(schema);
    expect(() => load('revision').immediate()).toThrow(
      /UNIQUE constraint failed: events\.stream, events\.revision/,
    );
    expect(counts(s.db)).toEqual([0, 0, 0, 0]);
    expect(schemaOf(s.db)).toEqual(schema);
  });
});

describe('the read model side (withIndexesAfterLoad)', () => {
  const present = (db: Database): string[] =>
    SECONDARY_INDEX_NAMES.filter((n) => allIndexes(db).includes(n));

  it('builds the secondary indexes after the rows into an empty read model, inside the transaction', () => {
    const s = open();
    expect(present(s.db)).toEqual([...SECONDARY_INDEX_NAMES]);
    let during: string[] = [];
    s.db.transaction(() => withIndexesAfterLoad(s.db, 100, () => (during = present(s.db))))();
    expect(during).toEqual([]);
    expect(present(s.db)).toEqual([...SECONDARY_INDEX_NAMES]);
    // A failed write brings them back with the rollback.
    expect(() =>
      s.db.transaction(() =>
        withIndexesAfterLoad(s.db, 100, () => {
          throw new Error('boom');
        }),
      )(),
    ).toThrow('boom');
    expect(present(s.db)).toEqual([...SECONDARY_INDEX_NAMES]);
  });

  it('keeps them for a small write or a read model that has rows', () => {
    const s = open();
    let during: string[] = [];
    s.db.transaction(() => withIndexesAfterLoad(s.db, 3, () => (during = present(s.db))))();
    expect(during).toEqual([...SECONDARY_INDEX_NAMES]);
    s.importEvents(source.slice(0, 50));
    expect(counts(s.db)[2]).toBeGreaterThan(0);
    s.db.transaction(() => withIndexesAfterLoad(s.db, 100, () => (during = present(s.db))))();
    expect(during).toEqual([...SECONDARY_INDEX_NAMES]);
  });
});
