/**
 * Idempotency records stay small and expire (issue 20): a body over the cap is not kept (the
 * replay re-reads the commitment), and records older than the window are neither replayed nor
 * kept by the sweep, which deletes them in batches.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import {
  IdempotencyStore,
  MAX_STORED_BODY_BYTES,
  SWEEP_BATCH,
  type StoredResponse,
} from '../../src/http/idempotency.js';
import { sqliteResponseRecords } from '../../src/read-model/response-records.js';

function setup() {
  const db = new Database(':memory:');
  const records = sqliteResponseRecords(db);
  const clock = fixedClock('2026-01-10T12:00:00.000Z');
  const store = new IdempotencyStore(records, clock);
  return { db, records, clock, store };
}

const big = { id: 'c1', quote: 'x'.repeat(4 * MAX_STORED_BODY_BYTES) };
const response = (body: unknown): StoredResponse => ({
  status: 201,
  body,
  headers: { ETag: '"3"', Location: '/commitments/c1' },
  resource: 'c1',
});

describe('idempotency records', () => {
  it('keep status, ETag, Location and the resource, but not a body over the cap', async () => {
    const { records, store } = setup();
    await store.run('alice', 'k1', 'h1', async () => response(big));
    expect(records.storedBytes()).toBeLessThan(1_000);
    let ran = false;
    const replay = await store.run('alice', 'k1', 'h1', async () => {
      ran = true;
      return response(big);
    });
    expect(ran).toBe(false);
    expect(replay).toEqual({
      status: 201,
      body: undefined,
      headers: { ETag: '"3"', Location: '/commitments/c1', 'Idempotent-Replayed': 'true' },
      resource: 'c1',
    });
  });

  it('keep a small body whole', async () => {
    const { store } = setup();
    await store.run('alice', 'k1', 'h1', async () => response({ id: 'c1', small: true }));
    const replay = await store.run('alice', 'k1', 'h1', async () => response({}));
    expect(replay.body).toEqual({ id: 'c1', small: true });
  });

  it('expire after 24 h: not replayed, replaced by a new run, and swept in batches', async () => {
    const { db, clock, store } = setup();
    const n = SWEEP_BATCH * 2 + 7;
    for (let i = 0; i < n; i++) await store.run('alice', `k${i}`, 'h', async () => response({ i }));
    const count = (): number =>
      (db.prepare('SELECT COUNT(*) AS n FROM http_idempotency').get() as { n: number }).n;
    expect(count()).toBe(n);
    clock.advance(23 * 3_600_000);
    expect(await store.sweep()).toBe(0);
    clock.advance(2 * 3_600_000);
    // An expired record is not replayed: the request runs again, and its answer is stored.
    let ran = false;
    const again = await store.run('alice', 'k0', 'other-hash', async () => {
      ran = true;
      return response({ again: true });
    });
    expect(ran).toBe(true);
    expect(again.body).toEqual({ again: true });
    expect(await store.sweep()).toBe(n - 1);
    expect(count()).toBe(1);
    const replay = await store.run('alice', 'k0', 'other-hash', async () => response({}));
    expect(replay.body).toEqual({ again: true });
  });
});
