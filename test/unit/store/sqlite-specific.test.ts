import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fixedClock } from '../../../src/domain/clock.js';
import {
  DuplicateEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../../src/store/errors.js';
import { canonicalJson, eventHash, verifyStreamChain } from '../../../src/store/hash-chain.js';
import { fastCanonicalJson } from '../../../src/store/sqlite/canonical.js';
import type { NewEvent, StoredEvent } from '../../../src/store/port.js';
import { commitmentStream } from '../../../src/store/port.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';

const ev = (type: string, data: unknown = {}, id?: string): NewEvent => ({
  ...(id ? { id } : {}),
  type,
  data,
  metadata: { recordedBy: 'test' },
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

async function waitUntil(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let dir: string;
let file: string;
const open: SqliteEventStore[] = [];
function openStore(
  opts: Partial<Parameters<typeof SqliteEventStore.open>[0]> = {},
): SqliteEventStore {
  const s = SqliteEventStore.open({ file, ...opts });
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-'));
  file = dataFile(path.join(dir, 'nested', 'data'));
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SqliteEventStore: opening', () => {
  it('creates the directory, uses WAL + synchronous=FULL + busy_timeout=5000 by default', () => {
    const store = openStore();
    expect(fs.existsSync(file)).toBe(true);
    expect(path.basename(file)).toBe('commitments.db');
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('honours synchronous and busyTimeoutMs', () => {
    const store = openStore({ synchronous: 'NORMAL', busyTimeoutMs: 1234 });
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it('maps a file that cannot be opened to StoreUnavailableError', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    expect(() =>
      SqliteEventStore.open({ file: path.join(blocker, 'x', 'commitments.db') }),
    ).toThrow(StoreUnavailableError);
  });

  it('lets the database itself enforce unique (stream, revision) and unique event id', async () => {
    const store = openStore();
    const r = await store.append('s', [ev('A')], { expectedRevision: 'no_stream' });
    const e = r.events[0] as StoredEvent;
    const insert = store.db.prepare(
      'INSERT INTO events (stream, revision, id, type, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    expect(() => insert.run('s', 1, 'other-id', 'A', '{}', '{}', 'h')).toThrow(/UNIQUE/);
    expect(() => insert.run('t', 1, e.id, 'A', '{}', '{}', 'h')).toThrow(/UNIQUE/);
  });
});

describe('SqliteEventStore: group commit', () => {
  it('commits appends that arrive together in one transaction', async () => {
    const store = openStore();
    const before = store.stats.commits;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.append(commitmentStream(`g${i}`), [ev('A', { i })], {
          expectedRevision: 'no_stream',
        }),
      ),
    );
    expect(store.stats.commits - before).toBe(1);
    expect(store.stats.largestBatch).toBeGreaterThanOrEqual(20);
    expect(results.map((r) => r.revision)).toEqual(Array(20).fill(1));
    const positions = results.map((r) => r.position);
    expect(new Set(positions).size).toBe(20);

    // A sequential append is its own transaction.
    await store.append(commitmentStream('g0'), [ev('B')], { expectedRevision: 1 });
    expect(store.stats.commits - before).toBe(2);
  });

  it('caps a batch at maxBatch appends', async () => {
    const store = openStore({ maxBatch: 4 });
    const before = store.stats.commits;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.append(`cap-${i}`, [ev('A')], { expectedRevision: 'any' }),
      ),
    );
    expect(store.stats.commits - before).toBe(3);
    expect(store.stats.largestBatch).toBe(4);
  });

  it('a failing append in a batch rolls back only itself', async () => {
    const store = openStore();
    await store.append('existing', [ev('A')], { expectedRevision: 'no_stream' });
    const dupId = (await store.readStream('existing'))[0]?.id as string;
    const before = store.stats.commits;

    const [ok1, conflict, dup, ok2] = await Promise.allSettled([
      store.append('one', [ev('A'), ev('B')], { expectedRevision: 'no_stream' }),
      store.append('existing', [ev('X')], { expectedRevision: 'no_stream' }),
      store.append('two', [ev('Y'), ev('Z', {}, dupId)], { expectedRevision: 'no_stream' }),
      store.append('three', [ev('C')], { expectedRevision: 'no_stream' }),
    ]);
    expect(store.stats.commits - before).toBe(1);
    expect(ok1.status).toBe('fulfilled');
    expect(ok2.status).toBe('fulfilled');
    expect(conflict.status === 'rejected' && conflict.reason).toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    expect(dup.status === 'rejected' && dup.reason).toBeInstanceOf(DuplicateEventError);
    expect((await store.readStream('one')).map((e) => e.type)).toEqual(['A', 'B']);
    expect((await store.readStream('three')).map((e) => e.type)).toEqual(['C']);
    expect(await store.readStream('two')).toEqual([]);
    expect(await store.readStream('existing')).toHaveLength(1);
    // The head table was rolled back too: the stream "two" still does not exist.
    await store.append('two', [ev('Y')], { expectedRevision: 'no_stream' });
  });

  it('appends to the same stream in one batch see each other', async () => {
    const store = openStore();
    const [a, b, c] = await Promise.all([
      store.append('same', [ev('A')], { expectedRevision: 'no_stream' }),
      store.append('same', [ev('B')], { expectedRevision: 1 }),
      store.append('same', [ev('C')], { expectedRevision: 'any' }),
    ]);
    expect([a.revision, b.revision, c.revision]).toEqual([1, 2, 3]);
    expect(verifyStreamChain(await store.readStream('same'))).toBeNull();
  });

  it('an empty append checks the revision and writes nothing', async () => {
    const store = openStore();
    const r0 = await store.append('empty', [], { expectedRevision: 'no_stream' });
    expect(r0).toEqual({ revision: 0, position: 0, events: [] });
    const r1 = await store.append('empty', [ev('A')], { expectedRevision: 'no_stream' });
    const r2 = await store.append('empty', [], { expectedRevision: 1 });
    expect(r2).toEqual({ revision: 1, position: r1.position, events: [] });
    await expect(store.append('empty', [], { expectedRevision: 5 })).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
  });

  it('uses the injected clock for recordedAt', async () => {
    const store = openStore({ clock: fixedClock('2026-03-04T05:06:07.089Z') });
    const r = await store.append('clock', [ev('A')], { expectedRevision: 'no_stream' });
    expect(r.events[0]?.metadata.recordedAt).toBe('2026-03-04T05:06:07.089Z');
    expect((await store.readStream('clock'))[0]?.metadata.recordedAt).toBe(
      '2026-03-04T05:06:07.089Z',
    );
  });
});

describe('SqliteEventStore: inline projections', () => {
  it('updates the read model inside the append; a failing projection rolls back that append only', async () => {
    const store = openStore();
    store.db.exec('CREATE TABLE proj (stream TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    const upsert = store.db.prepare(
      'INSERT INTO proj (stream, n) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET n = n + excluded.n',
    );
    store.registerInlineProjection((_db, events) => {
      for (const e of events) {
        upsert.run(e.stream, 1);
        if (e.type === 'Boom') throw new Error('projection failed');
      }
    });

    const [ok, boom] = await Promise.allSettled([
      store.append('p-ok', [ev('A'), ev('B')], { expectedRevision: 'no_stream' }),
      store.append('p-boom', [ev('A'), ev('Boom')], { expectedRevision: 'no_stream' }),
    ]);
    expect(ok.status).toBe('fulfilled');
    expect(boom.status === 'rejected' && (boom.reason as Error).message).toBe('projection failed');
    const rows = store.db.prepare('SELECT stream, n FROM proj ORDER BY stream').all();
    expect(rows).toEqual([{ stream: 'p-ok', n: 2 }]);
    expect(await store.readStream('p-boom')).toEqual([]);
    // Read-your-writes: the projection is visible as soon as the append resolves.
    await store.append('p-ok', [ev('C')], { expectedRevision: 2 });
    expect(store.db.prepare('SELECT n FROM proj WHERE stream = ?').pluck().get('p-ok')).toBe(3);
  });
});

describe('SqliteEventStore: bulk import and iteration', () => {
  it('appendMany imports many streams in one transaction', () => {
    const store = openStore();
    const before = store.stats.commits;
    const results = store.appendMany(
      Array.from({ length: 50 }, (_, i) => ({
        stream: commitmentStream(`imp-${i}`),
        events: [ev('A', { i }), ev('B', { i })],
        expectedRevision: 'no_stream' as const,
      })),
    );
    expect(store.stats.commits - before).toBe(1);
    expect(results).toHaveLength(50);
    expect(results.every((r) => r.revision === 2)).toBe(true);
    expect(store.headPositionSync()).toBe(100);
  });

  it('appendMany sees its own earlier batches of the same stream and leaves the heads right', async () => {
    const store = openStore();
    const res = store.appendMany([
      { stream: 'multi', events: [ev('A'), ev('B')], expectedRevision: 'no_stream' },
      { stream: 'other', events: [ev('X')], expectedRevision: 'no_stream' },
      { stream: 'multi', events: [ev('C')], expectedRevision: 2 },
      { stream: 'multi', events: [], expectedRevision: 3 },
    ]);
    expect(res.map((r) => r.revision)).toEqual([2, 1, 3, 3]);
    expect(res[3]?.position).toBe(res[2]?.position);
    expect(verifyStreamChain(await store.readStream('multi'))).toBeNull();
    const next = await store.append('multi', [ev('D')], { expectedRevision: 3 });
    expect(next.revision).toBe(4);
    expect(verifyStreamChain(await store.readStream('multi'))).toBeNull();
    expect(() =>
      store.appendMany([
        { stream: 'fresh2', events: [ev('A')], expectedRevision: 'no_stream' },
        { stream: 'fresh2', events: [ev('B')], expectedRevision: 'no_stream' },
      ]),
    ).toThrow(WrongExpectedRevisionError);
    expect(await store.readStream('fresh2')).toEqual([]);
  });

  it('appendMany is all or nothing', async () => {
    const store = openStore();
    await store.append('taken', [ev('A')], { expectedRevision: 'no_stream' });
    expect(() =>
      store.appendMany([
        { stream: 'fresh', events: [ev('A')], expectedRevision: 'no_stream' },
        { stream: 'taken', events: [ev('B')], expectedRevision: 'no_stream' },
      ]),
    ).toThrow(WrongExpectedRevisionError);
    expect(await store.readStream('fresh')).toEqual([]);
    expect(await store.headPosition()).toBe(1);
  });

  it('iterateAll streams the whole log in order, in pages', async () => {
    const store = openStore();
    store.appendMany(
      Array.from({ length: 10 }, (_, i) => ({
        stream: i % 2 ? commitmentStream(`it-${i}`) : `other-${i}`,
        events: [ev('A', { i }), ev('B', { i }), ev('C', { i })],
        expectedRevision: 'any' as const,
      })),
    );
    const all = [...store.iterateAll({ batchSize: 4 })];
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(all).toEqual(await store.readAll({ after: 0, limit: 1000 }));
    const after = [];
    for await (const e of store.iterateAll({ after: 25, batchSize: 2 })) after.push(e.position);
    expect(after).toEqual([26, 27, 28, 29, 30]);
    const commitments = [...store.iterateAll({ batchSize: 3, streamPrefix: 'commitment-' })];
    expect(commitments).toHaveLength(15);
  });

  it('stores data as canonical JSON and hashes exactly as hash-chain.ts does', async () => {
    const store = openStore();
    const r = await store.append('canon', [ev('A', { b: 1, a: { d: [3, 'x'], c: null } })], {
      expectedRevision: 'no_stream',
    });
    const e = r.events[0] as StoredEvent;
    expect(e.hash).toBe(eventHash('', e));
    const raw = store.db.prepare('SELECT data FROM events WHERE id = ?').pluck().get(e.id);
    expect(raw).toBe('{"a":{"c":null,"d":[3,"x"]},"b":1}');
  });
});

describe('SqliteEventStore: two connections on one file (server + CLI)', () => {
  it('both append concurrently; nothing is lost or corrupted; conflicts are detected across connections', async () => {
    const a = openStore();
    const b = openStore();
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 40; i += 1) {
      writes.push(
        a.append(commitmentStream(`a-${i}`), [ev('A', { i })], { expectedRevision: 'no_stream' }),
      );
      writes.push(
        b.append(commitmentStream(`b-${i}`), [ev('B', { i })], { expectedRevision: 'no_stream' }),
      );
      writes.push((i % 2 ? a : b).append('shared', [ev('S', { i })], { expectedRevision: 'any' }));
    }
    await Promise.all(writes);

    for (const s of [a, b]) {
      const all = await s.readAll({ after: 0, limit: 1000 });
      expect(all).toHaveLength(120);
      expect(all.map((e) => e.position)).toEqual(
        [...all.map((e) => e.position)].sort((x, y) => x - y),
      );
      const shared = await s.readStream('shared');
      expect(shared.map((e) => e.revision)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(verifyStreamChain(shared)).toBeNull();
    }
    expect(a.db.pragma('integrity_check', { simple: true })).toBe('ok');

    // Same expected revision from both connections: exactly one wins.
    const results = await Promise.allSettled([
      a.append('shared', [ev('RaceA')], { expectedRevision: 40 }),
      b.append('shared', [ev('RaceB')], { expectedRevision: 40 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect((lost.reason as WrongExpectedRevisionError).actual).toBe(41);
  });

  it('a subscription sees appends made by the other connection', async () => {
    const a = openStore({ pollIntervalMs: 20 });
    const b = openStore();
    const seen: string[] = [];
    const sub = a.subscribe({ after: 0 }, { onEvent: (e) => void seen.push(e.type) });
    try {
      await b.append('from-b', [ev('FromB')], { expectedRevision: 'no_stream' });
      await waitUntil(() => seen.length >= 1, 'the event written by the other connection');
      expect(seen).toEqual(['FromB']);
    } finally {
      await sub.stop();
    }
  });

  it('maps a lock held too long by another connection to StoreUnavailableError', async () => {
    const store = openStore({ busyTimeoutMs: 50 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const err = await rejection(store.append('locked', [ev('A')], { expectedRevision: 'any' }));
      expect(err).toBeInstanceOf(StoreUnavailableError);
      other.exec('ROLLBACK');
      await store.append('locked', [ev('A')], { expectedRevision: 'no_stream' });
    } finally {
      other.close();
    }
  });
});

describe('SqliteEventStore: close and reopen', () => {
  it('close flushes pending appends; reopening keeps everything; append after close is refused', async () => {
    const store = SqliteEventStore.open({ file });
    const pending = store.append('kept', [ev('A'), ev('B')], { expectedRevision: 'no_stream' });
    await store.close();
    const res = await pending;
    expect(res.revision).toBe(2);
    await expect(store.append('kept', [ev('C')], { expectedRevision: 2 })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.readStream('kept')).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close(); // idempotent

    const again = openStore();
    const events = await again.readStream('kept');
    expect(events.map((e) => e.type)).toEqual(['A', 'B']);
    expect(events).toEqual(res.events);
    const more = await again.append('kept', [ev('C')], { expectedRevision: 2 });
    expect(more.events[0]?.hash).toBe(
      eventHash(events[1]?.hash ?? '', more.events[0] as StoredEvent),
    );
    expect(verifyStreamChain(await again.readStream('kept'))).toBeNull();
  });

  it('close stops subscriptions', async () => {
    const store = SqliteEventStore.open({ file });
    const seen: string[] = [];
    let caughtUp = false;
    store.subscribe(
      { after: 0 },
      { onEvent: (e) => void seen.push(e.type), onCaughtUp: () => (caughtUp = true) },
    );
    await waitUntil(() => caughtUp, 'caught up');
    await store.close();
    const other = openStore();
    await other.append('late', [ev('Late')], { expectedRevision: 'no_stream' });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([]);
  });
});

describe('fastCanonicalJson', () => {
  it('writes exactly the text of hash-chain.ts canonicalJson', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.constant(undefined),
        fc.array(tie('node')),
        fc.dictionary(fc.string(), tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), (obj) => {
        expect(fastCanonicalJson(obj)).toBe(canonicalJson(obj));
      }),
      { numRuns: 500 },
    );
    expect(fastCanonicalJson({ b: [1, undefined], a: 'é😀', c: undefined, d: -0, e: 1e21 })).toBe(
      canonicalJson({ b: [1, undefined], a: 'é😀', c: undefined, d: -0, e: 1e21 }),
    );
    expect(() => fastCanonicalJson(undefined)).toThrow(TypeError);
  });
});
