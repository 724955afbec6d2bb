/**
 * Real-transport tests of the EventStoreDB adapter against endpoints where no ESDB runs:
 * a closed loopback port (connection refused) and a silent peer (accepts TCP, never answers).
 * The real @eventstore/db-client and gRPC stack are used; nothing here imitates ESDB.
 * Every call must reject with StoreUnavailableError, never hang (the vitest timeout is the bound)
 * and never crash the process.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../../../src/store/errors.js';
import { EsdbEventStore } from '../../../src/store/esdb/esdb-event-store.js';
import { commitmentStream } from '../../../src/store/port.js';
import type { EventStore, NewEvent } from '../../../src/store/port.js';

const DEADLINE_MS = 1500;
const BOUND_MS = 10_000;

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((resolve, reject) => srv.close((err) => (err ? reject(err) : resolve())));
  return port;
}

const event: NewEvent = {
  type: 'SourceAdded',
  data: { source: { url: 'https://example.org' } },
  metadata: { recordedBy: 'test' },
};

async function expectUnavailable(p: Promise<unknown>): Promise<StoreUnavailableError> {
  const err: unknown = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreUnavailableError);
  const e = err as StoreUnavailableError;
  expect(e.message).not.toMatch(/\n/);
  expect(e.message).toMatch(/EventStoreDB/);
  expect(e.retryAfterSeconds).toBeGreaterThan(0);
  return e;
}

const crashSpy = vi.fn();
beforeEach(() => {
  crashSpy.mockClear();
  process.on('uncaughtException', crashSpy);
  process.on('unhandledRejection', crashSpy);
});
afterEach(async () => {
  // Give late stream errors a chance to surface before checking that none escaped.
  await new Promise((resolve) => setTimeout(resolve, 200));
  process.off('uncaughtException', crashSpy);
  process.off('unhandledRejection', crashSpy);
  expect(crashSpy).not.toHaveBeenCalled();
});

describe('EsdbEventStore against a closed loopback port', () => {
  let store: EventStore;
  let url: string;
  beforeAll(async () => {
    url = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    store = await EsdbEventStore.connect(url, { deadlineMs: DEADLINE_MS });
  });
  afterAll(async () => {
    await store.close();
  });

  it('append rejects with StoreUnavailableError', { timeout: BOUND_MS }, async () => {
    const e = await expectUnavailable(
      store.append(commitmentStream('a'), [event], { expectedRevision: 'no_stream' }),
    );
    expect(e.message).toMatch(/unavailable|refused/i);
  });

  it(
    'append with expectedRevision any rejects too (no retry loop on an outage)',
    { timeout: BOUND_MS },
    async () => {
      await expectUnavailable(
        store.append(commitmentStream('a'), [event], { expectedRevision: 'any' }),
      );
    },
  );

  it(
    'readStream rejects with StoreUnavailableError (not an empty stream)',
    { timeout: BOUND_MS },
    async () => {
      await expectUnavailable(store.readStream(commitmentStream('a')));
    },
  );

  it('readAll rejects with StoreUnavailableError', { timeout: BOUND_MS }, async () => {
    await expectUnavailable(store.readAll({ after: 0, limit: 10, streamPrefix: 'commitment-' }));
    await expectUnavailable(store.readAll({ after: 12345, limit: 10 }));
  });

  it('headPosition rejects with StoreUnavailableError', { timeout: BOUND_MS }, async () => {
    await expectUnavailable(store.headPosition());
  });

  it('findEvent rejects with StoreUnavailableError', { timeout: BOUND_MS }, async () => {
    await expectUnavailable(store.findEvent('7a1c2f8e-1f7e-4c57-9a4f-0c0c3b4b1a11'));
  });

  it(
    'subscribe reports StoreUnavailableError, logs, keeps retrying, and stops cleanly',
    { timeout: BOUND_MS },
    async () => {
      const log = vi.fn();
      const sub = await EsdbEventStore.connect(url, {
        deadlineMs: DEADLINE_MS,
        log,
        minBackoffMs: 10,
        maxBackoffMs: 40,
      });
      const errors: Error[] = [];
      const onEvent = vi.fn();
      let resolveTwo: () => void = () => undefined;
      const twoErrors = new Promise<void>((resolve) => (resolveTwo = resolve));
      const s = sub.subscribe(
        { after: 0, streamPrefix: 'commitment-' },
        {
          onEvent,
          onError: (err) => {
            errors.push(err);
            if (errors.length === 2) resolveTwo();
          },
        },
      );
      await twoErrors; // a second error proves it resubscribed after the first
      await s.stop();
      await sub.close();
      expect(onEvent).not.toHaveBeenCalled();
      for (const err of errors) expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(log).toHaveBeenCalledWith(
        expect.stringMatching(/resubscribing in \d+ ms/),
        expect.any(StoreUnavailableError),
      );
    },
  );

  it('calls after close reject with StoreUnavailableError', { timeout: BOUND_MS }, async () => {
    const s = await EsdbEventStore.connect(url, { deadlineMs: DEADLINE_MS });
    await s.close();
    await expectUnavailable(s.readStream(commitmentStream('a')));
    await expectUnavailable(s.append(commitmentStream('a'), [event], { expectedRevision: 'any' }));
  });
});

describe('EsdbEventStore against a peer that accepts TCP and never answers', () => {
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  let store: EventStore;
  beforeAll(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    store = await EsdbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, {
      deadlineMs: DEADLINE_MS,
    });
  });
  afterAll(async () => {
    await store.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('readStream fails fast instead of waiting forever', { timeout: BOUND_MS }, async () => {
    await expectUnavailable(store.readStream(commitmentStream('b')));
  });

  it('append fails fast instead of waiting forever', { timeout: BOUND_MS }, async () => {
    await expectUnavailable(
      store.append(commitmentStream('b'), [event], { expectedRevision: 'no_stream' }),
    );
  });

  it('headPosition fails fast instead of waiting forever', { timeout: BOUND_MS }, async () => {
    await expectUnavailable(store.headPosition());
  });
});
