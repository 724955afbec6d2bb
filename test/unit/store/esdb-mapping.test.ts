/**
 * The EventStoreDB mapping, tested with the real client's exported constants, types and error
 * classes, built the way the client builds them (see node_modules/@eventstore/db-client/dist/utils/CommandError.js).
 */
import {
  ANY,
  CancelledError,
  DeadlineExceededError,
  ErrorType,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  convertToCommandError,
} from '@eventstore/db-client';
import type { AllStreamRecordedEvent, JSONEventData, Position } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import {
  EventTooLargeError,
  StoreAccessDeniedError,
  StoreUnavailableError,
  StreamDeletedError,
  WrongExpectedRevisionError,
} from '../../../src/store/errors.js';
import {
  LOG_STREAMS_REGEX,
  clientConnectionString,
  commitmentStream,
  eventIdIndexStream,
  isInternalStream,
  fromEsdbPosition,
  fromEsdbRevision,
  fromRecordedEvent,
  isRetryable,
  isStreamNotFound,
  isSystemStream,
  isTrackerRecord,
  readAllFrom,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEsdbRevision,
  translateError,
} from '../../../src/store/esdb/mapping.js';
import { eventHash, verifyStreamChain } from '../../../src/store/hash-chain.js';
import type { StoredEvent } from '../../../src/store/port.js';

/** A gRPC ServiceError as grpc-js produces it (code + details + message); the client converts these. */
function serviceError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

describe('revisions', () => {
  it('ours start at 1, ESDB at 0', () => {
    expect(toEsdbRevision(1)).toBe(0n);
    expect(toEsdbRevision(42)).toBe(41n);
    expect(fromEsdbRevision(0n)).toBe(1);
    expect(fromEsdbRevision(41n)).toBe(42);
  });
  it('round-trips', () => {
    for (const r of [1, 2, 10, 1_000_000, Number.MAX_SAFE_INTEGER])
      expect(fromEsdbRevision(toEsdbRevision(r))).toBe(r);
  });
  it('rejects revisions that do not exist', () => {
    expect(() => toEsdbRevision(0)).toThrow(RangeError);
    expect(() => toEsdbRevision(1.5)).toThrow(RangeError);
    expect(() => fromEsdbRevision(-1n)).toThrow(RangeError);
    expect(() => fromEsdbRevision(BigInt(Number.MAX_SAFE_INTEGER))).toThrow(RangeError);
  });
});

describe('expected revision', () => {
  it('maps no_stream, any and numbers to the client constants and bigint revisions', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0)).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision(1)).toBe(0n);
    expect(toEsdbExpectedRevision(7)).toBe(6n);
    expect(typeof toEsdbExpectedRevision(7)).toBe('bigint');
  });
  it('rejects negative or fractional revisions', () => {
    expect(() => toEsdbExpectedRevision(-1)).toThrow(RangeError);
    expect(() => toEsdbExpectedRevision(2.5)).toThrow(RangeError);
  });
});

describe('error translation', () => {
  it('WrongExpectedVersionError (batch-append form) → WrongExpectedRevisionError with the actual revision mapped', () => {
    const err = new WrongExpectedVersionError(undefined, {
      streamName: 'commitment-x',
      expected: 2n,
      current: 4n,
    });
    expect(err.type).toBe(ErrorType.WRONG_EXPECTED_VERSION);
    const out = translateError(err, { stream: 'commitment-x', expected: 3 });
    expect(out).toBeInstanceOf(WrongExpectedRevisionError);
    const w = out as WrongExpectedRevisionError;
    expect(w.stream).toBe('commitment-x');
    expect(w.expected).toBe(3);
    expect(w.actual).toBe(5);
  });

  it('WrongExpectedVersionError on a missing stream → actual 0', () => {
    const err = new WrongExpectedVersionError(undefined, {
      streamName: 'commitment-y',
      expected: 0n,
      current: NO_STREAM,
    });
    const w = translateError(err) as WrongExpectedRevisionError;
    expect(w).toBeInstanceOf(WrongExpectedRevisionError);
    expect(w.actual).toBe(0);
    expect(w.expected).toBe(1); // taken from the client error when the caller gave none
    expect(w.stream).toBe('commitment-y');
  });

  it('WrongExpectedVersionError expecting no_stream / stream_exists maps the expectation', () => {
    const a = new WrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: NO_STREAM,
      current: 0n,
    });
    expect((translateError(a) as WrongExpectedRevisionError).expected).toBe('no_stream');
    expect((translateError(a) as WrongExpectedRevisionError).actual).toBe(1);
    const b = new WrongExpectedVersionError(undefined, {
      streamName: 's',
      expected: STREAM_EXISTS,
      current: NO_STREAM,
    });
    expect((translateError(b) as WrongExpectedRevisionError).expected).toBe('any');
  });

  it('StreamNotFoundError is recognised (an empty stream), and is not a WrongExpectedRevision', () => {
    const err = new StreamNotFoundError(undefined, 'commitment-z');
    expect(err.type).toBe(ErrorType.STREAM_NOT_FOUND);
    expect(isStreamNotFound(err)).toBe(true);
    expect(isStreamNotFound(new Error('commitment-z not found'))).toBe(false);
  });

  it('UnavailableError and DeadlineExceededError (as the client converts gRPC errors) → StoreUnavailableError', () => {
    const unavailable = convertToCommandError(serviceError(14, 'No connection established'));
    const deadline = convertToCommandError(serviceError(4, 'Deadline exceeded'));
    const cancelled = convertToCommandError(serviceError(1, 'Call cancelled'));
    expect(unavailable).toBeInstanceOf(UnavailableError);
    expect(deadline).toBeInstanceOf(DeadlineExceededError);
    expect(cancelled).toBeInstanceOf(CancelledError);
    for (const [err, word] of [
      [unavailable, /unavailable/],
      [deadline, /deadline exceeded/],
      [cancelled, /cancelled/],
    ] as const) {
      const out = translateError(err);
      expect(out).toBeInstanceOf(StoreUnavailableError);
      const s = out as StoreUnavailableError;
      expect(s.message).toMatch(/^EventStoreDB is unavailable: /);
      expect(s.message).toMatch(word);
      expect(s.message).not.toMatch(/\n/);
      expect(s.cause).toBe(err);
    }
  });

  it('raw gRPC UNAVAILABLE / DEADLINE_EXCEEDED errors and connection refused → StoreUnavailableError, on one line', () => {
    const multi = serviceError(
      14,
      'No connection established.\nLast error: connect ECONNREFUSED 127.0.0.1:1',
    );
    const out = translateError(multi) as StoreUnavailableError;
    expect(out).toBeInstanceOf(StoreUnavailableError);
    expect(out.message).not.toMatch(/\n/);
    expect(translateError(serviceError(4, 'Deadline exceeded'))).toBeInstanceOf(
      StoreUnavailableError,
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2113'), {
      code: 'ECONNREFUSED',
    });
    expect((translateError(refused) as Error).message).toMatch(/connection refused/);
  });

  it('anything else is rethrown unchanged', () => {
    const boom = new TypeError('boom');
    expect(translateError(boom)).toBe(boom);
    const notFound = new StreamNotFoundError(undefined, 's');
    expect(translateError(notFound)).toBe(notFound);
    const unknown = convertToCommandError(serviceError(13, 'internal'));
    expect(translateError(unknown)).toBe(unknown);
  });
});

describe('positions', () => {
  it('our position is the commit position', () => {
    const p: Position = { commit: 123_456n, prepare: 123_456n };
    expect(fromEsdbPosition(p)).toBe(123_456);
    expect(fromEsdbPosition(99n)).toBe(99);
    expect(toEsdbPosition(123_456)).toEqual(p);
  });
  it('round-trips at the edge of safe integers', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(fromEsdbPosition(toEsdbPosition(max))).toBe(max);
  });
  it('rejects commit positions that a number cannot hold exactly', () => {
    expect(() =>
      fromEsdbPosition({ commit: BigInt(Number.MAX_SAFE_INTEGER) + 1n, prepare: 0n }),
    ).toThrow(RangeError);
    // The "no position" sentinel older servers send on stream reads: 2^64 - 1.
    expect(() => fromEsdbPosition(18_446_744_073_709_551_615n)).toThrow(RangeError);
    expect(() => fromEsdbPosition(-1n)).toThrow(RangeError);
    expect(() => toEsdbPosition(-1)).toThrow(RangeError);
    expect(() => toEsdbPosition(1.5)).toThrow(RangeError);
  });
  it('reading $all after 0 starts at START, otherwise at {commit, prepare} = after', () => {
    expect(readAllFrom(0)).toBe(START);
    expect(readAllFrom(500)).toEqual({ commit: 500n, prepare: 500n });
  });
});

describe('streams', () => {
  it('commitment streams are named commitment-<id>; $-streams are system streams', () => {
    expect(commitmentStream('abc')).toBe('commitment-abc');
    expect(isSystemStream('$stats-127.0.0.1:2113')).toBe(true);
    expect(isSystemStream('$$commitment-abc')).toBe(true);
    expect(isSystemStream('commitment-abc')).toBe(false);
  });
  it('the event-id index streams are internal, and the server-side filter regex leaves them out', () => {
    const idx = eventIdIndexStream('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(isInternalStream(idx)).toBe(true);
    expect(isInternalStream('$ce-commitment')).toBe(true);
    expect(isInternalStream('commitment-abc')).toBe(false);
    const re = new RegExp(LOG_STREAMS_REGEX); // same syntax subset in .NET and JS
    expect(re.test('commitment-abc')).toBe(true);
    expect(re.test(idx)).toBe(false);
    expect(re.test('$stats-127.0.0.1:2113')).toBe(false);
  });
});

describe('events and metadata', () => {
  const stream = commitmentStream('d3b07384-d9a0-4c3b-9a1e-5f1d2c3b4a55');
  const data = { source: { url: 'https://example.org/ünïcødé' }, quote: '北京 — «citation»', n: 1 };
  const metadata = {
    recordedAt: '2026-02-01T10:00:00.000Z',
    recordedBy: 'alice',
    requestId: 'req-1',
    idempotencyKey: 'key-1',
    schemaVersion: 1,
  };
  const part = {
    stream,
    revision: 3,
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    type: 'SourceAdded',
    data,
    metadata,
  };
  const ours: Omit<StoredEvent, 'position'> = { ...part, hash: eventHash('prev', part) };

  /** What the client hands back for our event after a round trip through ESDB ($all read). */
  function recorded(
    ev: JSONEventData,
    position: Position,
    revision: bigint,
  ): AllStreamRecordedEvent {
    // The client parses data and metadata from the JSON it wrote: do the same through JSON.
    return {
      streamId: stream,
      id: ev.id,
      isJson: true,
      revision,
      type: ev.type,
      created: new Date('2026-02-01T10:00:00.001Z'),
      data: JSON.parse(JSON.stringify(ev.data)) as Record<string, unknown>,
      metadata: JSON.parse(JSON.stringify(ev.metadata)) as Record<string, unknown>,
      position,
    } as AllStreamRecordedEvent;
  }

  it('writes JSON events with our id, type and metadata plus hash', () => {
    const ev = toEsdbEventData(ours) as JSONEventData;
    expect(ev.contentType).toBe('application/json');
    expect(ev.id).toBe(ours.id);
    expect(ev.type).toBe('SourceAdded');
    expect(ev.data).toEqual(data);
    expect(ev.metadata).toEqual({ ...metadata, hash: ours.hash });
  });

  it('leaves out absent optional metadata rather than writing undefined', () => {
    const m = {
      recordedAt: metadata.recordedAt,
      recordedBy: 'bob',
      requestId: undefined,
      schemaVersion: 1,
    };
    const ev = toEsdbEventData({ ...ours, metadata: m }) as JSONEventData;
    expect(Object.keys(ev.metadata as object).sort()).toEqual([
      'hash',
      'recordedAt',
      'recordedBy',
      'schemaVersion',
    ]);
  });

  it('round-trips metadata, revision and position; the hash still verifies', () => {
    const ev = toEsdbEventData(ours) as JSONEventData;
    const back = fromRecordedEvent(recorded(ev, { commit: 4242n, prepare: 4242n }, 2n));
    expect(back).toEqual({ ...ours, position: 4242 });
    expect(eventHash('prev', back)).toBe(back.hash);
  });

  it('a converted StoredEvent has no bigint left: JSON.stringify works and round-trips', () => {
    const ev = toEsdbEventData(ours) as JSONEventData;
    const back = fromRecordedEvent(
      recorded(ev, { commit: 9_007_199_254_740_000n, prepare: 9_007_199_254_740_000n }, 2n),
    );
    const json = JSON.stringify(back);
    expect(JSON.parse(json)).toEqual(back);
    const hasBigint = (v: unknown): boolean =>
      typeof v === 'bigint' ||
      (v !== null && typeof v === 'object' && Object.values(v).some(hasBigint));
    expect(hasBigint(back)).toBe(false);
  });

  it('a chain written through the mapping verifies after the round trip', () => {
    let prev = '';
    const events: StoredEvent[] = [];
    for (let r = 1; r <= 3; r += 1) {
      const p = { ...part, revision: r, id: `0f8fad5b-d9cb-469f-a165-70867728950${r}` };
      const hash = eventHash(prev, p);
      prev = hash;
      const ev = toEsdbEventData({ ...p, hash }) as JSONEventData;
      events.push(
        fromRecordedEvent(
          recorded(ev, { commit: BigInt(100 * r), prepare: BigInt(100 * r) }, BigInt(r - 1)),
        ),
      );
    }
    expect(verifyStreamChain(events)).toBeNull();
  });

  it('refuses events that are not ours, and positions the server did not send', () => {
    const ev = toEsdbEventData(ours) as JSONEventData;
    const rec = recorded(ev, { commit: 1n, prepare: 1n }, 0n);
    expect(() =>
      fromRecordedEvent({ ...rec, metadata: { recordedBy: 'x' } } as AllStreamRecordedEvent),
    ).toThrow(/not written by this tracker/);
    expect(() =>
      fromRecordedEvent({
        ...rec,
        isJson: false,
        data: new Uint8Array(),
      } as AllStreamRecordedEvent),
    ).toThrow(/application\/json/);
    const { position: _drop, ...noPosition } = rec;
    expect(() => fromRecordedEvent(noPosition as AllStreamRecordedEvent)).toThrow(
      /without a log position/,
    );
  });
});

/** A ServiceError carrying the server's `exception` metadata, as the client receives it. */
function serverException(code: number, map: Record<string, string>): Error {
  return Object.assign(new Error(`${code} ${map.exception}`), {
    code,
    details: map.exception,
    metadata: { getMap: () => map },
  });
}

describe('translateError: what a 24.10 server answers besides conflicts and outages', () => {
  it('not-leader → StoreUnavailableError naming the leader, and retryable', () => {
    const err = convertToCommandError(
      serverException(5, {
        exception: 'not-leader',
        'leader-endpoint-host': 'node2',
        'leader-endpoint-port': '2113',
      }) as never,
    );
    expect(isRetryable(err)).toBe(true);
    const t = translateError(err);
    expect(t).toBeInstanceOf(StoreUnavailableError);
    expect((t as Error).message).toMatch(/node2:2113/);
  });

  it('access-denied → StoreAccessDeniedError (503), not retried', () => {
    const err = convertToCommandError(serverException(7, { exception: 'access-denied' }) as never);
    expect(isRetryable(err)).toBe(false);
    const t = translateError(err);
    expect(t).toBeInstanceOf(StoreAccessDeniedError);
    expect(t).toBeInstanceOf(StoreUnavailableError);
  });

  it('stream-deleted → StreamDeletedError, a conflict on that stream', () => {
    const err = convertToCommandError(
      serverException(9, { exception: 'stream-deleted', 'stream-name': 'commitment-x' }) as never,
    );
    const t = translateError(err);
    expect(t).toBeInstanceOf(StreamDeletedError);
    expect(t).toBeInstanceOf(WrongExpectedRevisionError);
    expect((t as StreamDeletedError).stream).toBe('commitment-x');
  });

  it('maximum-append-size-exceeded → EventTooLargeError with the server limit', () => {
    const err = convertToCommandError(
      serverException(3, {
        exception: 'maximum-append-size-exceeded',
        'maximum-append-size': '1048576',
      }) as never,
    );
    const t = translateError(err);
    expect(t).toBeInstanceOf(EventTooLargeError);
    expect((t as EventTooLargeError).limit).toBe(1048576);
  });
});

describe('which records are the tracker’s', () => {
  const ours = { hash: 'h', schemaVersion: 1, recordedAt: 'x', recordedBy: 'y' };
  it('skips system streams and events, the id index, and foreign events; keeps commitment streams', () => {
    expect(
      isTrackerRecord({ streamId: 'commitment-a', type: 'X', isJson: true, metadata: ours }),
    ).toBe(true);
    expect(
      isTrackerRecord({ streamId: 'commitment-a', type: '$streamDeleted', isJson: false }),
    ).toBe(false);
    expect(isTrackerRecord({ streamId: '$stats-1', type: 'X', isJson: true, metadata: ours })).toBe(
      false,
    );
    expect(isTrackerRecord({ streamId: eventIdIndexStream('i'), type: 'X', isJson: true })).toBe(
      false,
    );
    expect(isTrackerRecord({ streamId: 'orders-1', type: 'X', isJson: true, metadata: {} })).toBe(
      false,
    );
    expect(isTrackerRecord({ streamId: 'orders-1', type: 'X', isJson: false })).toBe(false);
    expect(isTrackerRecord({ streamId: 'other-1', type: 'X', isJson: true, metadata: ours })).toBe(
      true,
    );
    // Ours and damaged: kept, so that reading it fails loudly.
    expect(isTrackerRecord({ streamId: 'commitment-a', type: 'X', isJson: false })).toBe(true);
  });

  it('client connection strings: KurrentDB schemes become the ones client 6 parses', () => {
    expect(clientConnectionString('kurrentdb+discover://u:p@h:2113?tls=true')).toBe(
      'esdb+discover://u:p@h:2113?tls=true',
    );
    expect(clientConnectionString('esdb+discover://h:2113')).toBe('esdb+discover://h:2113');
  });
});
