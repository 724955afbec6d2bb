/**
 * The event-store contract: every adapter (SQLite, EventStoreDB) must pass this suite.
 * It never assumes an empty store: streams get unique names and positions are taken
 * relative to `headPosition()`, so it also runs against a shared EventStoreDB server.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CURRENT_SCHEMA_VERSION } from '../../src/domain/events.js';
import {
  DuplicateEventError,
  InvalidEventError,
  InvalidPositionError,
  WrongExpectedRevisionError,
} from '../../src/store/errors.js';
import { canonicalJson, eventHash, verifyStreamChain } from '../../src/store/hash-chain.js';
import type { EventStore, NewEvent, StoredEvent } from '../../src/store/port.js';
import { commitmentStream } from '../../src/store/port.js';

export interface ContractStore {
  store: EventStore;
  cleanup(): Promise<void>;
}

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Unique per suite run, so a shared server can run the suite many times. */
const run = randomUUID().slice(0, 8);
let counter = 0;
const uniqueId = (label: string): string => `ct-${run}-${label}-${(counter += 1)}`;
const uniqueStream = (label: string): string => commitmentStream(uniqueId(label));

function ev(type: string, data: unknown, extra: Partial<NewEvent> = {}): NewEvent {
  return { type, data, metadata: { recordedBy: 'contract-test' }, ...extra };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

async function waitUntil(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function describeEventStoreContract(
  name: string,
  factory: () => Promise<{ store: EventStore; cleanup(): Promise<void> }>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let ctx: ContractStore;
    let store: EventStore;

    beforeAll(async () => {
      ctx = await factory();
      store = ctx.store;
    });
    afterAll(async () => {
      await ctx?.cleanup();
    });

    describe('the door: commitment events are validated before they are stored', () => {
      it('refuses an invalid commitment event appended through the port; nothing is written', async () => {
        const stream = uniqueStream('door');
        const err = await rejection(
          store.append(
            stream,
            [
              ev('CommitmentRecorded', { title: 'no id, no statement' }),
              ev('ProgressReported', { asOf: '2025-01-01' }),
            ],
            { expectedRevision: 'no_stream' },
          ),
        );
        expect(err).toBeInstanceOf(InvalidEventError);
        expect((err as InvalidEventError).problems.map((p) => p.path)).toContain('data.id');
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('stores a valid event as given, and refuses data its schema would change (the folds trust stored data as it is)', async () => {
        const stream = uniqueStream('door-ok');
        const ok = await store.append(
          stream,
          [ev('ProgressReported', { asOf: '2025-01-01', note: 'x', value: 1 })],
          { expectedRevision: 'no_stream' },
        );
        expect(ok.revision).toBe(1);
        const assessed = (party: string): NewEvent =>
          ev('PartyAssessed', {
            party,
            score: 1,
            phase: 'final',
            report: { name: 'r', publishedAt: '2025-01-01', periodEnd: '2024-12-31' },
          });
        await store.append(stream, [assessed('KZ')], { expectedRevision: 1 });
        // 'kz' is valid input but the schema would store 'KZ': refused, so a fold never sees it.
        const bad = await rejection(
          store.append(stream, [assessed('kz')], { expectedRevision: 2 }),
        );
        expect(bad).toBeInstanceOf(InvalidEventError);
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual([
          'ProgressReported',
          'PartyAssessed',
        ]);
      });
    });

    describe('append and read', () => {
      it('appends to one stream and reads it back in order, revisions from 1', async () => {
        const stream = uniqueStream('basic');
        const res = await store.append(
          stream,
          [ev('Recorded', { title: 'one', n: 1 }), ev('Reported', { note: 'two', n: 2 })],
          { expectedRevision: 'no_stream' },
        );
        expect(res.revision).toBe(2);
        expect(res.events.map((e) => e.revision)).toEqual([1, 2]);
        expect(res.position).toBe(res.events[1]?.position);

        const res2 = await store.append(stream, [ev('Reviewed', { n: 3 })], {
          expectedRevision: 2,
        });
        expect(res2.revision).toBe(3);
        expect(res2.events[0]?.revision).toBe(3);

        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual([1, 2, 3]);
        expect(read.map((e) => e.type)).toEqual(['Recorded', 'Reported', 'Reviewed']);
        expect(read.map((e) => e.data)).toEqual([
          { title: 'one', n: 1 },
          { note: 'two', n: 2 },
          { n: 3 },
        ]);
        for (const e of read) expect(e.stream).toBe(stream);
        // What append returned is what is read back.
        expect(read).toEqual([...res.events, ...res2.events]);
      });

      it('reads a stream from a revision', async () => {
        const stream = uniqueStream('from');
        await store.append(stream, [ev('A', { i: 1 }), ev('B', { i: 2 }), ev('C', { i: 3 })], {
          expectedRevision: 'no_stream',
        });
        const tail = await store.readStream(stream, { fromRevision: 2 });
        expect(tail.map((e) => e.revision)).toEqual([2, 3]);
      });

      it('returns [] for an unknown stream', async () => {
        expect(await store.readStream(uniqueStream('nothing-here'))).toEqual([]);
      });

      it('gives each event a unique id, keeps a given id, and finds events by id', async () => {
        const stream = uniqueStream('ids');
        const given = randomUUID();
        const res = await store.append(
          stream,
          [ev('A', { a: 1 }, { id: given }), ev('B', { b: 2 })],
          {
            expectedRevision: 'no_stream',
          },
        );
        expect(res.events[0]?.id).toBe(given);
        const generated = res.events[1]?.id ?? '';
        expect(generated).toMatch(/^[0-9a-f-]{36}$/i);
        expect(generated).not.toBe(given);

        const found = await store.findEvent(given);
        const read = await store.readStream(stream);
        expect(found).toEqual(read[0]);
        expect(await store.findEvent(generated)).toEqual(read[1]);
        expect(await store.findEvent(randomUUID())).toBeNull();
      });

      it('stores metadata: recordedAt as an ISO ms UTC instant, recordedBy, requestId, idempotencyKey, requestHash, schemaVersion', async () => {
        const stream = uniqueStream('meta');
        await store.append(
          stream,
          [
            {
              type: 'A',
              data: { x: 1 },
              metadata: {
                recordedBy: 'alice',
                requestId: 'req-1',
                idempotencyKey: 'key-1',
                requestHash: 'f'.repeat(64),
              },
            },
            { type: 'B', data: { x: 2 }, metadata: { recordedBy: 'bob' } },
          ],
          { expectedRevision: 'no_stream' },
        );
        const [a, b] = await store.readStream(stream);
        expect(a?.metadata.recordedAt).toMatch(ISO_MS_UTC);
        expect(new Date(a?.metadata.recordedAt ?? '').toISOString()).toBe(a?.metadata.recordedAt);
        expect(a?.metadata).toMatchObject({
          recordedBy: 'alice',
          requestId: 'req-1',
          idempotencyKey: 'key-1',
          requestHash: 'f'.repeat(64),
          schemaVersion: CURRENT_SCHEMA_VERSION,
        });
        expect(b?.metadata.recordedBy).toBe('bob');
        expect(b?.metadata.requestId).toBeUndefined();
        expect(b?.metadata.idempotencyKey).toBeUndefined();
        expect(b?.metadata.requestHash).toBeUndefined();
        expect(b?.metadata.recordedAt).toMatch(ISO_MS_UTC);
      });
    });

    describe('expected revision', () => {
      it('no_stream: succeeds on a new stream, conflicts on an existing one with the actual revision', async () => {
        const stream = uniqueStream('nostream');
        await store.append(stream, [ev('A', {}), ev('B', {})], { expectedRevision: 'no_stream' });
        const err = await rejection(
          store.append(stream, [ev('C', {})], { expectedRevision: 'no_stream' }),
        );
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect((err as WrongExpectedRevisionError).actual).toBe(2);
        expect((err as WrongExpectedRevisionError).stream).toBe(stream);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('any: appends whatever the revision, creating the stream when missing', async () => {
        const stream = uniqueStream('any');
        const r1 = await store.append(stream, [ev('A', {})], { expectedRevision: 'any' });
        expect(r1.revision).toBe(1);
        const r2 = await store.append(stream, [ev('B', {})], { expectedRevision: 'any' });
        expect(r2.revision).toBe(2);
      });

      it('a number must equal the current revision; a conflict carries the actual revision', async () => {
        const stream = uniqueStream('number');
        await store.append(stream, [ev('A', {})], { expectedRevision: 'no_stream' });
        await store.append(stream, [ev('B', {})], { expectedRevision: 1 });

        const behind = await rejection(
          store.append(stream, [ev('C', {})], { expectedRevision: 1 }),
        );
        expect(behind).toBeInstanceOf(WrongExpectedRevisionError);
        expect((behind as WrongExpectedRevisionError).actual).toBe(2);
        expect((behind as WrongExpectedRevisionError).expected).toBe(1);

        const ahead = await rejection(store.append(stream, [ev('C', {})], { expectedRevision: 5 }));
        expect(ahead).toBeInstanceOf(WrongExpectedRevisionError);
        expect((ahead as WrongExpectedRevisionError).actual).toBe(2);

        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('a number on a missing stream conflicts with actual 0', async () => {
        const stream = uniqueStream('missing');
        const err = await rejection(store.append(stream, [ev('A', {})], { expectedRevision: 3 }));
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect((err as WrongExpectedRevisionError).actual).toBe(0);
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('the number 0 means "the stream does not exist", like no_stream', async () => {
        const stream = uniqueStream('zero');
        const r = await store.append(stream, [ev('A', {})], { expectedRevision: 0 });
        expect(r.revision).toBe(1);
        const err = await rejection(store.append(stream, [ev('B', {})], { expectedRevision: 0 }));
        expect(err).toBeInstanceOf(WrongExpectedRevisionError);
        expect((err as WrongExpectedRevisionError).actual).toBe(1);
      });

      it('racing appends with the same expected revision: exactly one wins', async () => {
        const stream = uniqueStream('race');
        await store.append(stream, [ev('A', {})], { expectedRevision: 'no_stream' });
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.append(stream, [ev('Racer', { i })], { expectedRevision: 1 }),
          ),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const l of lost) {
          expect(l.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect((l.reason as WrongExpectedRevisionError).actual).toBe(2);
        }
        const read = await store.readStream(stream);
        expect(read.map((e) => e.type)).toEqual(['A', 'Racer']);
      });

      it('racing creations with no_stream: exactly one wins', async () => {
        const stream = uniqueStream('race-create');
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.append(stream, [ev('Created', { i })], { expectedRevision: 'no_stream' }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('duplicate event ids', () => {
      it('rejects an id already stored in another stream, and writes nothing of that append', async () => {
        const first = uniqueStream('dup-a');
        const second = uniqueStream('dup-b');
        const id = randomUUID();
        const fresh = randomUUID();
        await store.append(first, [ev('A', { v: 1 }, { id })], { expectedRevision: 'no_stream' });
        const head = await store.headPosition();

        const err = await rejection(
          store.append(second, [ev('B', { v: 2 }, { id: fresh }), ev('C', { v: 3 }, { id })], {
            expectedRevision: 'no_stream',
          }),
        );
        expect(err).toBeInstanceOf(DuplicateEventError);
        expect((err as DuplicateEventError).eventId).toBe(id);
        expect(await store.readStream(second)).toEqual([]);
        expect(await store.findEvent(fresh)).toBeNull();
        expect((await store.findEvent(id))?.stream).toBe(first);
        expect(await store.readAll({ after: head, limit: 100, streamPrefix: second })).toEqual([]);
      });

      it('rejects an id already stored in the same stream', async () => {
        const stream = uniqueStream('dup-same');
        const id = randomUUID();
        await store.append(stream, [ev('A', {}, { id })], { expectedRevision: 'no_stream' });
        const err = await rejection(
          store.append(stream, [ev('A', {}, { id })], { expectedRevision: 1 }),
        );
        expect(err).toBeInstanceOf(DuplicateEventError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('global log', () => {
      it('keeps global order, strictly increasing positions, and pages with after/limit/streamPrefix', async () => {
        const prefix = commitmentStream(uniqueId('order') + '-');
        const streams = ['x', 'y', 'z'].map((s) => `${prefix}${s}`);
        const start = await store.headPosition();
        const appended: StoredEvent[] = [];
        for (let round = 0; round < 4; round += 1) {
          for (const s of streams) {
            const r = await store.append(s, [ev('Tick', { s, round })], {
              expectedRevision: round === 0 ? 'no_stream' : round,
            });
            appended.push(...r.events);
          }
        }
        for (let i = 1; i < appended.length; i += 1) {
          expect(appended[i]?.position).toBeGreaterThan(appended[i - 1]?.position ?? Infinity);
        }
        expect(appended[0]?.position).toBeGreaterThan(start);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(
          appended.at(-1)?.position ?? Infinity,
        );

        // Page through the prefix, 5 at a time.
        const paged: StoredEvent[] = [];
        let after = start;
        for (;;) {
          const page = await store.readAll({ after, limit: 5, streamPrefix: prefix });
          expect(page.length).toBeLessThanOrEqual(5);
          if (page.length === 0) break;
          paged.push(...page);
          after = page[page.length - 1]?.position ?? after;
        }
        expect(paged.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expect(paged).toEqual(appended);

        // Unfiltered: our events appear in the same order (others may interleave on a shared store).
        const ours = new Set(appended.map((e) => e.id));
        const all: StoredEvent[] = [];
        after = start;
        for (;;) {
          const page = await store.readAll({ after, limit: 7 });
          if (page.length === 0) break;
          for (let i = 1; i < page.length; i += 1) {
            expect(page[i]?.position).toBeGreaterThan(page[i - 1]?.position ?? Infinity);
          }
          all.push(...page);
          after = page[page.length - 1]?.position ?? after;
          if (all.filter((e) => ours.has(e.id)).length >= appended.length) break;
        }
        expect(all.filter((e) => ours.has(e.id)).map((e) => e.id)).toEqual(
          appended.map((e) => e.id),
        );

        // `after` is exclusive.
        const mid = appended[5] as StoredEvent;
        const rest = await store.readAll({ after: mid.position, limit: 100, streamPrefix: prefix });
        expect(rest.map((e) => e.id)).toEqual(appended.slice(6).map((e) => e.id));

        // `after` is 0 or a position the store returned: anything else is refused, on every store.
        const last = appended.at(-1) as StoredEvent;
        expect(
          await store.readAll({ after: last.position, limit: 1, streamPrefix: prefix }),
        ).toEqual([]);
        const notAPosition = await rejection(
          store.readAll({ after: last.position + 1, limit: 10, streamPrefix: prefix }),
        );
        expect(notAPosition).toBeInstanceOf(InvalidPositionError);
        expect((notAPosition as InvalidPositionError).position).toBe(last.position + 1);

        // A prefix of one stream does not match another stream.
        const onlyX = await store.readAll({ after: start, limit: 100, streamPrefix: streams[0] });
        expect(onlyX).toHaveLength(4);
        expect(onlyX.every((e) => e.stream === streams[0])).toBe(true);
      });
    });

    describe('subscriptions', () => {
      it('catches up from a position, then follows live appends', async () => {
        const prefix = commitmentStream(uniqueId('sub') + '-');
        const a = `${prefix}a`;
        const b = `${prefix}b`;
        const first = await store.append(a, [ev('A1', { i: 1 }), ev('A2', { i: 2 })], {
          expectedRevision: 'no_stream',
        });
        await store.append(b, [ev('B1', { i: 3 })], { expectedRevision: 'no_stream' });

        const seen: StoredEvent[] = [];
        let caughtUp = 0;
        const errors: Error[] = [];
        // Start after the first event: A1 must not be delivered.
        const sub = store.subscribe(
          { after: first.events[0]?.position ?? 0, streamPrefix: prefix },
          {
            onEvent: async (e) => {
              await Promise.resolve();
              seen.push(e);
            },
            onCaughtUp: () => {
              caughtUp += 1;
            },
            onError: (e) => errors.push(e),
          },
        );
        try {
          await waitUntil(() => seen.length >= 2 && caughtUp >= 1, 'catch-up');
          expect(seen.map((e) => e.type)).toEqual(['A2', 'B1']);

          const live1 = await store.append(a, [ev('A3', { i: 4 })], { expectedRevision: 2 });
          const live2 = await store.append(b, [ev('B2', { i: 5 }), ev('B3', { i: 6 })], {
            expectedRevision: 1,
          });
          await waitUntil(() => seen.length >= 5, 'live events');
          expect(seen.map((e) => e.type)).toEqual(['A2', 'B1', 'A3', 'B2', 'B3']);
          expect(seen.slice(2)).toEqual([...live1.events, ...live2.events]);
          for (let i = 1; i < seen.length; i += 1) {
            expect(seen[i]?.position).toBeGreaterThan(seen[i - 1]?.position ?? Infinity);
          }
          expect(errors).toEqual([]);
        } finally {
          await sub.stop();
        }
      });

      it('delivers one event at a time, awaiting the handler', async () => {
        const stream = uniqueStream('serial');
        const start = await store.headPosition();
        await store.append(stream, [ev('A', {}), ev('B', {}), ev('C', {})], {
          expectedRevision: 'no_stream',
        });
        let inFlight = 0;
        let maxInFlight = 0;
        const seen: string[] = [];
        const sub = store.subscribe(
          { after: start, streamPrefix: stream },
          {
            onEvent: async (e) => {
              inFlight += 1;
              maxInFlight = Math.max(maxInFlight, inFlight);
              await new Promise((r) => setTimeout(r, 5));
              seen.push(e.type);
              inFlight -= 1;
            },
          },
        );
        try {
          await waitUntil(() => seen.length >= 3, 'three events');
          expect(seen).toEqual(['A', 'B', 'C']);
          expect(maxInFlight).toBe(1);
        } finally {
          await sub.stop();
        }
      });

      it('stops: no event is delivered after stop() resolves', async () => {
        const prefix = commitmentStream(uniqueId('stop') + '-');
        const start = await store.headPosition();
        const stopped: StoredEvent[] = [];
        const witness: StoredEvent[] = [];
        const sub = store.subscribe(
          { after: start, streamPrefix: prefix },
          { onEvent: (e) => void stopped.push(e) },
        );
        const other = store.subscribe(
          { after: start, streamPrefix: prefix },
          { onEvent: (e) => void witness.push(e) },
        );
        try {
          await store.append(`${prefix}s`, [ev('Before', {})], { expectedRevision: 'no_stream' });
          await waitUntil(() => stopped.length >= 1 && witness.length >= 1, 'first event');
          await sub.stop();
          await store.append(`${prefix}s`, [ev('After1', {}), ev('After2', {})], {
            expectedRevision: 1,
          });
          await waitUntil(() => witness.length >= 3, 'witness sees the later events');
          // Give the stopped subscription more than one poll interval to misbehave.
          await new Promise((r) => setTimeout(r, 400));
          expect(stopped.map((e) => e.type)).toEqual(['Before']);
          expect(witness.map((e) => e.type)).toEqual(['Before', 'After1', 'After2']);
        } finally {
          await sub.stop();
          await other.stop();
        }
      });

      it('reports a handler error through onError and stops', async () => {
        const stream = uniqueStream('sub-error');
        const start = await store.headPosition();
        await store.append(stream, [ev('A', {}), ev('Boom', {}), ev('C', {})], {
          expectedRevision: 'no_stream',
        });
        const seen: string[] = [];
        const errors: Error[] = [];
        const sub = store.subscribe(
          { after: start, streamPrefix: stream },
          {
            onEvent: (e) => {
              if (e.type === 'Boom') throw new Error('handler failed');
              seen.push(e.type);
            },
            onError: (e) => errors.push(e),
          },
        );
        try {
          await waitUntil(() => errors.length >= 1, 'the error');
          expect(errors[0]?.message).toBe('handler failed');
          expect(seen).toEqual(['A']);
        } finally {
          await sub.stop();
        }
        expect(seen).toEqual(['A']);
      });
    });

    describe('hash chain', () => {
      it('chains each stream: first hash = sha256("" + canonical JSON), the next includes the previous', async () => {
        const stream = uniqueStream('chain');
        await store.append(
          stream,
          [ev('A', { z: 1, a: [1, { y: 'x', b: null }] }), ev('B', { q: 'r' })],
          {
            expectedRevision: 'no_stream',
          },
        );
        await store.append(stream, [ev('C', { n: -1.5 })], { expectedRevision: 2 });
        const events = await store.readStream(stream);
        expect(verifyStreamChain(events)).toBeNull();

        const [e1, e2] = events as [StoredEvent, StoredEvent];
        const body = canonicalJson({
          stream: e1.stream,
          revision: e1.revision,
          id: e1.id,
          type: e1.type,
          data: e1.data,
          metadata: e1.metadata,
        });
        expect(e1.hash).toBe(
          createHash('sha256')
            .update('' + body)
            .digest('hex'),
        );
        expect(e2.hash).toBe(eventHash(e1.hash, e2));
        expect(e2.hash).not.toBe(eventHash('', e2));

        // Tampering with what was read is detected.
        const tampered = events.map((e, i) => (i === 1 ? { ...e, data: { q: 's' } } : e));
        expect(verifyStreamChain(tampered)).toMatchObject({ stream, revision: 2 });
      });
    });

    describe('payloads', () => {
      it('round-trips a large payload (1 MB)', async () => {
        const stream = uniqueStream('large');
        const big = 'x'.repeat(1024 * 1024);
        const items = Array.from({ length: 2000 }, (_, i) => ({
          i,
          label: `item ${i}`,
          ok: i % 2 === 0,
        }));
        const data = { big, items, nested: { deep: { deeper: { value: 'bottom' } } } };
        await store.append(stream, [ev('Large', data)], { expectedRevision: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect((read?.data as typeof data).big.length).toBe(1024 * 1024);
        expect(read?.data).toEqual(data);
        expect(verifyStreamChain(await store.readStream(stream))).toBeNull();
      });

      it('round-trips unicode exactly, in data, metadata and stream names', async () => {
        const stream = commitmentStream(`${uniqueId('uni')}-Ünïcødé-日本-مرحبا-🎉`);
        const before = await store.headPosition();
        const data = {
          emoji: '👩‍👩‍👧‍👦 🇺🇳 🏳️‍🌈 😀',
          rtl: 'مرحبا بالعالم — שלום עולם',
          combining: 'e\u0301 a\u0308 n\u0303 (decomposed) vs é ä ñ (composed)',
          cjk: '約束を守る 承诺 약속',
          zeroWidth: 'a\u200bb\u200dc\ufeffd',
          escapes: 'quote " backslash \\ newline \n tab \t',
          astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎',
          'kéy-ünicode-🔑': 'value',
        };
        const res = await store.append(
          stream,
          [
            {
              type: 'Unicode',
              data,
              metadata: { recordedBy: 'José Ñúñez 👤', requestId: 'req-ü' },
            },
          ],
          { expectedRevision: 'no_stream' },
        );
        const read = await store.readStream(stream);
        expect(read).toHaveLength(1);
        const e = read[0] as StoredEvent;
        expect(e.stream).toBe(stream);
        expect(e.data).toEqual(data);
        // No normalisation: decomposed stays decomposed.
        expect((e.data as typeof data).combining).toBe(data.combining);
        expect((e.data as typeof data).combining.normalize('NFC')).not.toBe(data.combining);
        expect(e.metadata.recordedBy).toBe('José Ñúñez 👤');
        expect(e.metadata.requestId).toBe('req-ü');
        expect(verifyStreamChain(read)).toBeNull();
        expect(await store.findEvent(res.events[0]?.id ?? '')).toEqual(e);
        const byPrefix = await store.readAll({
          after: before,
          limit: 10,
          streamPrefix: stream,
        });
        expect(byPrefix.map((x) => x.id)).toEqual([e.id]);
      });
    });
  });
}
