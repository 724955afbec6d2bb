/**
 * The EventStoreDB adapter against a fake client that answers as a 24.10 server does
 * (test/contract/fake-esdb-client.ts), one test per fault a live node or a cluster would show.
 */
import { randomUUID } from 'node:crypto';
import { jsonEvent } from '@eventstore/db-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DuplicateEventError,
  EventTooLargeError,
  InvalidPositionError,
  StoreAccessDeniedError,
  StoreUnavailableError,
  StreamDeletedError,
  WrongExpectedRevisionError,
} from '../../../src/store/errors.js';
import type { EsdbOptions } from '../../../src/store/esdb/esdb-event-store.js';
import { EsdbEventStore } from '../../../src/store/esdb/esdb-event-store.js';
import { toProblem } from '../../../src/http/problem.js';
import { clientConnectionString } from '../../../src/store/esdb/mapping.js';
import { GENESIS_HASH, eventHash, verifyStreamChain } from '../../../src/store/hash-chain.js';
import type { NewEvent, StoredEvent } from '../../../src/store/port.js';
import { commitmentStream } from '../../../src/store/port.js';
import { FakeEsdbClient, type FakeEsdbOptions } from '../../contract/fake-esdb-client.js';

const stores: EsdbEventStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function setup(
  fakeOpts: FakeEsdbOptions = {},
  opts: EsdbOptions = {},
): { fake: FakeEsdbClient; store: EsdbEventStore } {
  const fake = new FakeEsdbClient(fakeOpts);
  const store = new EsdbEventStore(fake.asClient(), 'fake-esdb', {
    deadlineMs: 1000,
    retryDelayMs: 1,
    ...opts,
  });
  stores.push(store);
  return { fake, store };
}

const ev = (type: string, data: unknown, extra: Partial<NewEvent> = {}): NewEvent => ({
  type,
  data,
  metadata: { recordedBy: 'faults-test' },
  ...extra,
});

let n = 0;
const stream = (label: string): string => commitmentStream(`faults-${label}-${(n += 1)}`);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
}

async function waitUntil(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`gave up waiting for ${what}`);
}

/** A foreign application's event, a system-stream record and a binary event, as another client writes them. */
async function foreignRecords(fake: FakeEsdbClient): Promise<void> {
  const client = fake.asClient();
  await client.appendToStream(
    'orders-17',
    jsonEvent({ type: 'OrderPlaced', data: { total: 3 }, metadata: { $correlationId: 'x' } }),
  );
  await client.appendToStream(
    '$$orders-17',
    jsonEvent({ type: '$metadata', data: { $maxAge: 60 } }),
  );
  await client.appendToStream('telemetry', {
    id: randomUUID(),
    type: 'Blob',
    contentType: 'application/octet-stream',
    data: new Uint8Array([1, 2, 3]),
    metadata: undefined,
  });
}

describe('would break on any node', () => {
  it('requestHash survives the round trip: custom metadata is returned byte for byte', async () => {
    const { fake, store } = setup();
    const s = stream('hash');
    const res = await store.append(
      s,
      [
        {
          type: 'A',
          data: { x: 1 },
          metadata: { recordedBy: 'a', idempotencyKey: 'k', requestHash: 'a'.repeat(64) },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const read = await store.readStream(s);
    expect(read[0]?.metadata.requestHash).toBe('a'.repeat(64));
    expect(read).toEqual(res.events);
    expect(verifyStreamChain(read)).toBeNull();
    const raw = JSON.parse(fake.storedMetadata(read[0]?.id ?? '')?.toString('utf8') ?? '{}');
    expect(raw.requestHash).toBe('a'.repeat(64));
  });

  it('readAll after a number that is no event position → InvalidPositionError, not an unknown error', async () => {
    const { store } = setup();
    const r = await store.append(stream('pos'), [ev('A', {}), ev('B', {})], {
      expectedRevision: 'no_stream',
    });
    const first = r.events[0] as StoredEvent;
    expect((await store.readAll({ after: first.position, limit: 10 })).map((e) => e.type)).toEqual([
      'B',
    ]);
    const err = await rejection(store.readAll({ after: first.position + 1, limit: 10 }));
    expect(err).toBeInstanceOf(InvalidPositionError);
  });

  it('a subscription from a number that is no event position reports it once and stops, no resubscribe loop', async () => {
    const { store } = setup({}, { minBackoffMs: 1, maxBackoffMs: 2 });
    const r = await store.append(stream('subpos'), [ev('A', {})], {
      expectedRevision: 'no_stream',
    });
    const errors: Error[] = [];
    const sub = store.subscribe(
      { after: r.position + 1 },
      { onEvent: () => undefined, onError: (e) => errors.push(e) },
    );
    await waitUntil(() => errors.length >= 1, 'the error');
    await new Promise((res) => setTimeout(res, 50));
    await sub.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InvalidPositionError);
  });

  it('appends are split under the server limit (1 MiB by default); none exceeds it', async () => {
    const { fake, store } = setup();
    const s = stream('split');
    const big = 'y'.repeat(400 * 1024);
    const res = await store.append(s, [ev('A', { big }), ev('B', { big }), ev('C', { big })], {
      expectedRevision: 'no_stream',
    });
    expect(res.events.map((e) => e.revision)).toEqual([1, 2, 3]);
    const writes = fake.appendCalls.filter((c) => c.stream === s);
    expect(writes.length).toBeGreaterThan(1);
    for (const w of writes) expect(w.bytes).toBeLessThanOrEqual(fake.maxAppendSize);
    expect(verifyStreamChain(await store.readStream(s))).toBeNull();
  });

  it('one event over the limit is refused as EventTooLargeError (413), and nothing is written', async () => {
    const { store } = setup();
    const s = stream('too-large');
    const err = await rejection(
      store.append(s, [ev('A', { big: 'z'.repeat(1024 * 1024 + 10) })], {
        expectedRevision: 'no_stream',
      }),
    );
    expect(err).toBeInstanceOf(EventTooLargeError);
    expect(await store.readStream(s)).toEqual([]);
  });

  it('an import of many large events is split under the limit', async () => {
    const source = setup({ maxAppendSize: 64 * 1024 * 1024 }, { maxAppendBytes: 64 * 1024 * 1024 });
    const s = stream('import');
    const big = 'w'.repeat(200 * 1024);
    const { events } = await source.store.append(
      s,
      Array.from({ length: 12 }, (_, i) => ev('Big', { i, big })),
      { expectedRevision: 'no_stream' },
    );
    const target = setup();
    const imported = await target.store.importEvents(events);
    expect(imported.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(verifyStreamChain(await target.store.readStream(s))).toBeNull();
    for (const w of target.fake.appendCalls) {
      expect(w.bytes).toBeLessThanOrEqual(target.fake.maxAppendSize);
    }
  });
});

describe('would break under cluster faults', () => {
  it('decisions read the leader: a lagging follower causes neither a 409 nor a DuplicateEventError', async () => {
    const { fake, store } = setup();
    const s = stream('follower');
    await store.append(s, [ev('A', {})], { expectedRevision: 'no_stream' });
    fake.followerLag();
    const second = await store.append(s, [ev('B', {})], { expectedRevision: 1 });
    expect(second.revision).toBe(2);
    const third = await store.append(s, [ev('C', {})], { expectedRevision: 2 });
    expect(third.revision).toBe(3);
    expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    expect(await store.findEvent(third.events[0]?.id ?? '')).toEqual(third.events[0]);
  });

  it('NotLeaderError on a write is retried (the client reconnects to the leader)', async () => {
    const { fake, store } = setup();
    const s = stream('not-leader');
    fake.notLeaderOnWrites(1);
    const r = await store.append(s, [ev('A', {})], { expectedRevision: 'no_stream' });
    expect(r.revision).toBe(1);
    expect(await store.readStream(s)).toHaveLength(1);
  });

  it('NotLeaderError that persists ends as StoreUnavailableError (503 with Retry-After)', async () => {
    const { fake, store } = setup({}, { retries: 2 });
    fake.notLeaderOnWrites(100);
    const err = await rejection(
      store.append(stream('no-leader'), [ev('A', {})], { expectedRevision: 'no_stream' }),
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as StoreUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
  });

  it('an append stored but answered with a deadline error is resent, and stored once', async () => {
    const { fake, store } = setup();
    const s = stream('deadline');
    fake.deadlineAfterStoring(1, s);
    const r = await store.append(s, [ev('A', { v: 1 }), ev('B', { v: 2 })], {
      expectedRevision: 'no_stream',
    });
    expect(r.revision).toBe(2);
    const read = await store.readStream(s);
    expect(read.map((e) => e.type)).toEqual(['A', 'B']);
    expect(read).toEqual(r.events);
    expect(fake.appendCalls.filter((c) => c.stream === s)).toHaveLength(2);
  });

  it('a timed-out append, once resent and stored, is continued by the next writer at the right revision', async () => {
    const { fake, store } = setup();
    const s = stream('deadline-race');
    await store.append(s, [ev('A', {})], { expectedRevision: 'no_stream' });
    // Stored, then answered with a deadline: the resend is the idempotent repeat.
    fake.deadlineAfterStoring(1, s);
    const mine = store.append(s, [ev('Mine', {})], { expectedRevision: 1 });
    const result = await mine;
    expect(result.revision).toBe(2);
    await store.append(s, [ev('Theirs', {})], { expectedRevision: 2 });
    expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'Mine', 'Theirs']);
  });
});

describe('would break at scale or on a shared server', () => {
  it('findEvent uses the id index, generated ids included: no scan of $all', async () => {
    const { fake, store } = setup();
    await foreignRecords(fake);
    const r = await store.append(stream('find'), [ev('A', {})], { expectedRevision: 'no_stream' });
    const before = fake.allRecordsRead;
    expect(await store.findEvent(r.events[0]?.id ?? '')).toEqual(r.events[0]);
    expect(await store.findEvent(randomUUID())).toBeNull();
    expect(fake.allRecordsRead).toBe(before);
  });

  it('an import reserves its ids several at a time, not one round trip after another', async () => {
    const source = setup();
    const s = stream('reserve');
    const { events } = await source.store.append(
      s,
      Array.from({ length: 20 }, (_, i) => ev('E', { i })),
      { expectedRevision: 'no_stream' },
    );
    const target = setup();
    await target.store.importEvents(events);
    expect(target.fake.maxConcurrentAppends).toBeGreaterThan(1);
    for (const e of events) expect((await target.store.findEvent(e.id))?.stream).toBe(s);
  });

  it('subscribing does not scan the log when no event matches its prefix', async () => {
    const { fake, store } = setup();
    for (let i = 0; i < 30; i += 1) await foreignRecords(fake);
    const caught: number[] = [];
    const sub = store.subscribe(
      { after: 0, streamPrefix: stream('none-yet') },
      { onEvent: () => undefined, onCaughtUp: (p) => caught.push(p) },
    );
    await waitUntil(() => caught.length >= 1, 'caught up');
    await sub.stop();
    expect(fake.allRecordsRead).toBe(0);
  });

  it('other applications’ events, system records and tombstones are skipped by reads and subscriptions', async () => {
    const { fake, store } = setup();
    const gone = stream('gone');
    await store.append(gone, [ev('Doomed', {})], { expectedRevision: 'no_stream' });
    fake.tombstone(gone);
    await foreignRecords(fake);
    const s = stream('kept');
    const r = await store.append(s, [ev('Kept', {})], { expectedRevision: 'no_stream' });
    await foreignRecords(fake);

    const all = await store.readAll({ after: 0, limit: 100 });
    expect(all.map((e) => e.type)).toEqual(['Doomed', 'Kept']);
    const ours = await store.readAll({ after: 0, limit: 100, streamPrefix: 'commitment-' });
    expect(ours.map((e) => e.type)).toEqual(['Doomed', 'Kept']);
    expect(await store.headPosition()).toBe(r.position);

    const seen: string[] = [];
    const errors: Error[] = [];
    const sub = store.subscribe(
      { after: 0 },
      { onEvent: (e) => void seen.push(e.type), onError: (e) => errors.push(e) },
    );
    await waitUntil(() => seen.length >= 2, 'our events');
    await store.append(s, [ev('Live', {})], { expectedRevision: 1 });
    await foreignRecords(fake);
    await waitUntil(() => seen.length >= 3, 'the live event');
    await new Promise((res) => setTimeout(res, 20));
    await sub.stop();
    expect(seen).toEqual(['Doomed', 'Kept', 'Live']);
    expect(errors).toEqual([]);
  });

  it('a hard-deleted stream reads as empty and refuses appends with StreamDeletedError (a 409)', async () => {
    const { fake, store } = setup();
    const s = stream('deleted');
    await store.append(s, [ev('A', {})], { expectedRevision: 'no_stream' });
    fake.tombstone(s);
    expect(await store.readStream(s)).toEqual([]);
    const err = await rejection(store.append(s, [ev('B', {})], { expectedRevision: 'any' }));
    expect(err).toBeInstanceOf(StreamDeletedError);
    expect(err).toBeInstanceOf(WrongExpectedRevisionError);
  });

  it('AccessDenied (24.10 refuses anonymous reads of $all) is StoreAccessDeniedError, a 503', async () => {
    const { fake, store } = setup();
    fake.denyAllReads();
    const err = await rejection(store.readAll({ after: 0, limit: 10 }));
    expect(err).toBeInstanceOf(StoreAccessDeniedError);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toMatch(/credentials/);
  });

  it('onCaughtUp fires only once the events sent before the caught-up message are handled', async () => {
    const { store } = setup();
    const s = stream('caught');
    await store.append(s, [ev('A', {}), ev('B', {}), ev('C', {})], {
      expectedRevision: 'no_stream',
    });
    const seen: string[] = [];
    const atCaughtUp: number[] = [];
    const sub = store.subscribe(
      { after: 0, streamPrefix: s },
      {
        onEvent: async (e) => {
          await new Promise((res) => setTimeout(res, 5));
          seen.push(e.type);
        },
        onCaughtUp: () => void atCaughtUp.push(seen.length),
      },
    );
    await waitUntil(() => atCaughtUp.length >= 1, 'caught up');
    await sub.stop();
    expect(atCaughtUp).toEqual([3]);
  });
});

describe('smaller', () => {
  it('a read that never completes fails with StoreUnavailableError, even when events trickle in', async () => {
    const { fake, store } = setup({}, { deadlineMs: 200, retries: 0 });
    const s = stream('trickle');
    await store.append(s, [ev('A', {})], { expectedRevision: 'no_stream' });
    fake.stallReads('trickle');
    const err = await rejection(store.readAll({ after: 0, limit: 10 }));
    expect(err).toBeInstanceOf(StoreUnavailableError);
    fake.stallReads(null);
  });

  it('a timed-out read is retried once at most (each try costs a whole deadline); a refusal more often', async () => {
    const { fake, store } = setup({}, { deadlineMs: 100, retries: 5 });
    fake.stallReads('silent');
    expect(await rejection(store.readAll({ after: 0, limit: 10 }))).toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(fake.readAllCalls).toBe(2);
    fake.stallReads(null);

    fake.notLeaderOnWrites(5);
    const r = await store.append(stream('refusals'), [ev('A', {})], {
      expectedRevision: 'no_stream',
    });
    expect(r.revision).toBe(1);
  });

  it('kurrentdb://, kurrentdb+discover:// and kdb:// are connection strings the client accepts', async () => {
    expect(clientConnectionString('kurrentdb://h:2113?tls=false')).toBe('esdb://h:2113?tls=false');
    expect(clientConnectionString('kdb://h:2113')).toBe('esdb://h:2113');
    expect(clientConnectionString('kurrentdb+discover://h:2113')).toBe('esdb+discover://h:2113');
    expect(clientConnectionString('esdb://u:p@h:2113')).toBe('esdb://u:p@h:2113');
    for (const url of [
      'kurrentdb://localhost:2113?tls=false',
      'kdb://localhost:2113?tls=false',
      'kurrentdb+discover://localhost:2113?tls=false',
    ]) {
      const store = await EsdbEventStore.connect(url);
      await store.close();
    }
  });

  it('ids come back in lower case: an upper-case id is still found, and an imported one keeps its hash', async () => {
    const { store } = setup();
    const upper = randomUUID().toUpperCase();
    const s = stream('upper');
    const r = await store.append(s, [ev('A', {}, { id: upper })], {
      expectedRevision: 'no_stream',
    });
    expect(r.events[0]?.id.toLowerCase()).toBe(upper.toLowerCase());
    expect((await store.findEvent(upper))?.stream).toBe(s);

    // An event made elsewhere with an upper-case id: its hash covers that spelling.
    const t = stream('upper-import');
    const id = randomUUID().toUpperCase();
    const part = {
      stream: t,
      revision: 1,
      id,
      type: 'A',
      data: { a: 1 },
      metadata: { recordedAt: '2026-01-01T00:00:00.000Z', recordedBy: 'x', schemaVersion: 1 },
    };
    const imported: StoredEvent = { ...part, position: 1, hash: eventHash(GENESIS_HASH, part) };
    const out = await store.importEvents([imported]);
    expect(out[0]?.id).toBe(id);
    const read = await store.readStream(t);
    expect(verifyStreamChain(read)).toBeNull();
    expect(read[0]?.hash).toBe(imported.hash);
  });

  it('a caller-given id reused in another stream is still a DuplicateEventError', async () => {
    const { store } = setup();
    const id = randomUUID();
    await store.append(stream('dup1'), [ev('A', {}, { id })], { expectedRevision: 'no_stream' });
    const err = await rejection(
      store.append(stream('dup2'), [ev('A', {}, { id: id.toUpperCase() })], {
        expectedRevision: 'no_stream',
      }),
    );
    expect(err).toBeInstanceOf(DuplicateEventError);
  });
});

describe('what clients see of these errors', () => {
  it('400 naming after, 413, 409, and 503 with Retry-After', () => {
    const invalid = toProblem(new InvalidPositionError(7), { ifMatchSent: false });
    expect(invalid.problem.status).toBe(400);
    expect(invalid.problem.errors?.map((e) => e.path)).toEqual(['after']);
    expect(
      toProblem(new EventTooLargeError(2e6, 1048576), { ifMatchSent: false }).problem.status,
    ).toBe(413);
    expect(
      toProblem(new StreamDeletedError('commitment-x', 'any', 0), { ifMatchSent: false }).problem
        .status,
    ).toBe(409);
    const denied = toProblem(new StoreAccessDeniedError('denied', 30), { ifMatchSent: false });
    expect(denied.problem.status).toBe(503);
    expect(denied.headers['Retry-After']).toBe('30');
  });
});
