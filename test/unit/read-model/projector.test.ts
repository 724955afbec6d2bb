/**
 * The Projector follows a store's subscription into a separate read-model database (the set-up
 * used with EventStoreDB). The embedded SqliteEventStore stands in as the followed store here:
 * its subscription is real (catch-up, then live); no ESDB server runs on this machine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';

import { Projector, type ProjectorLogger } from '../../../src/read-model/projector.js';
import { readCheckpoint, rebuild } from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import type {
  EventStore,
  SubscribeOptions,
  Subscription,
  SubscriptionHandlers,
} from '../../../src/store/port.js';
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite-event-store.js';
import {
  dumpReadModel,
  openReadModelDb,
  outcome,
  progress,
  recorded,
  tempDir,
  type Ev,
} from './helpers.js';

function recordingLogger(): ProjectorLogger & { errors: string[]; infos: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  return {
    errors,
    infos,
    info: (m) => infos.push(m),
    warn: (m) => infos.push(m),
    error: (m) => errors.push(m),
  };
}

/** Delegates to a real store, but the first `failures` subscriptions fail asynchronously. */
function flaky(store: EventStore, failures: number): EventStore & { attempts: number } {
  const wrapper = Object.create(store) as EventStore & { attempts: number };
  wrapper.attempts = 0;
  wrapper.subscribe = (o: SubscribeOptions, h: SubscriptionHandlers): Subscription => {
    wrapper.attempts += 1;
    if (wrapper.attempts <= failures) {
      const t = setTimeout(() => h.onError?.(new Error('store unavailable (test)')), 1);
      return { stop: async () => clearTimeout(t) };
    }
    return store.subscribe(o, h);
  };
  return wrapper;
}

describe('Projector (external-store read model)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  let db: Database.Database;
  let projector: Projector | null = null;

  async function put(id: string, ev: Ev): Promise<number> {
    const r = await store.append(
      `commitment-${id}`,
      [{ type: ev.type, data: ev.data, metadata: { recordedBy: 'test' } }],
      { expectedRevision: 'any' },
    );
    return r.position;
  }

  beforeEach(() => {
    tmp = tempDir('rm-projector-');
    store = SqliteEventStore.open({
      file: `${tmp.dir}/events.db`,
      synchronous: 'OFF',
      pollIntervalMs: 20,
    });
    db = openReadModelDb(`${tmp.dir}/read-model.db`);
  });

  afterEach(async () => {
    await projector?.stop();
    projector = null;
    await store.close();
    db.close();
    tmp.cleanup();
  });

  it('catches up, follows live appends, and waitFor gives read-your-writes', async () => {
    await put('uz-kz-trade-10b', recorded('uz-kz-trade-10b'));
    await put('ru-cn-gas-2025', recorded('ru-cn-gas-2025', { parties: ['RU', 'CN'] }));
    const log = recordingLogger();
    projector = new Projector(store, db, log);
    expect(projector.status()).toEqual({ connected: false, behind: true, lastError: null });
    projector.start();
    expect(await projector.waitFor(2, 5000)).toBe(true);

    const p = await put('uz-kz-trade-10b', progress('2026-03-01'));
    expect(await projector.waitFor(p, 5000)).toBe(true);
    expect(q.getState(db, 'uz-kz-trade-10b')?.status).toBe('in_progress');
    expect(projector.position).toBe(p);

    // A stream outside the prefix: the checkpoint stays on the last APPLIED event.
    await store.append('$meta', [{ type: 'Other', data: {}, metadata: { recordedBy: 't' } }], {
      expectedRevision: 'any',
    });
    const p2 = await put('ru-cn-gas-2025', outcome('missed', '2026-01-01'));
    expect(await projector.waitFor(p2, 5000)).toBe(true);
    expect(readCheckpoint(db)).toBe(p2);
    await new Promise((r) => setTimeout(r, 60));
    expect(projector.status()).toEqual({ connected: true, behind: false, lastError: null });
    expect(readCheckpoint(db)).toBe(p2);

    // Bounded wait: a position that never comes.
    expect(await projector.waitFor(p2 + 100, 30)).toBe(false);
    expect(log.errors).toEqual([]);

    // Equal to a rebuild from the log.
    const fresh = openReadModelDb();
    await rebuild(fresh, store);
    expect(dumpReadModel(db)).toEqual(dumpReadModel(fresh));
    fresh.close();
  });

  it('resumes from its checkpoint after a restart without applying anything twice', async () => {
    await put('uz-kz-trade-10b', recorded('uz-kz-trade-10b'));
    projector = new Projector(store, db);
    projector.start();
    expect(await projector.waitFor(1, 5000)).toBe(true);
    await projector.stop();

    const p = await put('uz-kz-trade-10b', progress('2026-03-01'));
    await put('kz-tj-water', recorded('kz-tj-water', { parties: ['KZ', 'TJ'] }));
    projector = new Projector(store, db);
    expect(projector.position).toBe(1);
    projector.start();
    expect(await projector.waitFor(p + 1, 5000)).toBe(true);
    expect(q.getState(db, 'uz-kz-trade-10b')?.revision).toBe(2);

    const fresh = openReadModelDb();
    await rebuild(fresh, store);
    expect(dumpReadModel(db)).toEqual(dumpReadModel(fresh));
    fresh.close();
  });

  it('logs each subscription error and resubscribes with backoff', async () => {
    await put('uz-kz-trade-10b', recorded('uz-kz-trade-10b'));
    const log = recordingLogger();
    const f = flaky(store, 3);
    projector = new Projector(f, db, log, { minBackoffMs: 5, maxBackoffMs: 20 });
    projector.start();
    expect(await projector.waitFor(1, 5000)).toBe(true);
    expect(f.attempts).toBe(4);
    expect(log.errors).toHaveLength(3);
    expect(log.errors[0]).toMatch(/store unavailable \(test\); resubscribing in 5 ms/);
    expect(log.errors[1]).toMatch(/resubscribing in 10 ms/);
    expect(log.errors[2]).toMatch(/resubscribing in 20 ms/);
    expect(projector.status().connected).toBe(true);
    expect(projector.status().lastError).toBe('store unavailable (test)');
  });

  it('never skips an event it could not apply: it retries until it can', async () => {
    await put('uz-kz-trade-10b', recorded('uz-kz-trade-10b'));
    db.exec(`CREATE TRIGGER poison BEFORE INSERT ON rm_commitments WHEN NEW.id = 'kz-tj-water'
             BEGIN SELECT RAISE(ABORT, 'read model refuses this row'); END`);
    const bad = await put('kz-tj-water', recorded('kz-tj-water', { parties: ['KZ', 'TJ'] }));
    const after = await put('uz-kz-trade-10b', progress('2026-03-01'));
    const log = recordingLogger();
    projector = new Projector(store, db, log, { minBackoffMs: 5, maxBackoffMs: 10 });
    projector.start();
    expect(await projector.waitFor(1, 5000)).toBe(true);
    expect(await projector.waitFor(after, 200)).toBe(false);
    expect(projector.position).toBeLessThan(bad);
    expect(readCheckpoint(db)).toBeLessThan(bad);
    expect(log.errors.length).toBeGreaterThan(0);
    expect(log.errors[0]).toMatch(/read model refuses this row/);

    db.exec('DROP TRIGGER poison');
    expect(await projector.waitFor(after, 5000)).toBe(true);
    expect(q.getState(db, 'kz-tj-water')?.parties).toEqual(['KZ', 'TJ']);
    expect(q.getState(db, 'uz-kz-trade-10b')?.revision).toBe(2);
  });
});
