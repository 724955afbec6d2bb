/**
 * The read model inside the embedded store's file: projected in the append's transaction
 * (read-your-writes), self-healing when it fell behind, restored by catchUp on start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { catchUp } from '../../../src/read-model/projector.js';
import {
  ensureReadModelSchema,
  inlineProjection,
  readCheckpoint,
  rebuild,
} from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import { verify } from '../../../src/read-model/audit.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';
import {
  dumpReadModel,
  openReadModelDb,
  outcome,
  progress,
  recorded,
  review,
  tempDir,
  type Ev,
} from './helpers.js';

describe('embedded read model', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;

  function open(): SqliteEventStore {
    const s = SqliteEventStore.open({ file: dataFile(tmp.dir), synchronous: 'OFF' });
    ensureReadModelSchema(s.db);
    return s;
  }

  async function put(
    id: string,
    ev: Ev,
    expectedRevision: 'any' | number = 'any',
  ): Promise<number> {
    const r = await store.append(
      `commitment-${id}`,
      [{ type: ev.type, data: ev.data, metadata: { recordedBy: 'test' } }],
      { expectedRevision },
    );
    return r.position;
  }

  async function expected(): Promise<ReturnType<typeof dumpReadModel>> {
    const fresh = openReadModelDb();
    await rebuild(fresh, store);
    const d = dumpReadModel(fresh);
    fresh.close();
    return d;
  }

  beforeEach(async () => {
    tmp = tempDir('rm-embedded-');
    store = open();
    await catchUp(store.db, store);
    store.registerInlineProjection(inlineProjection(store));
    await put('uz-kz-trade-10b', recorded('uz-kz-trade-10b', { metric: true }));
    await put('ru-cn-gas-2025', recorded('ru-cn-gas-2025', { parties: ['RU', 'CN'] }));
    await put('uz-kz-trade-10b', progress('2026-03-01', 5e9));
  });

  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('projects in the append transaction: the write is readable when append returns', async () => {
    const p = await put('ru-cn-gas-2025', review('2025-12-05', 'stalled'));
    expect(readCheckpoint(store.db)).toBe(p);
    expect(q.getState(store.db, 'ru-cn-gas-2025')?.status).toBe('stalled');
    expect(dumpReadModel(store.db)).toEqual(await expected());
  });

  it('appendMany projects every batch once, at the end of its transaction, as a rebuild would', async () => {
    const ev = (e: Ev) => ({ type: e.type, data: e.data, metadata: { recordedBy: 'test' } });
    store.appendMany([
      {
        stream: 'commitment-kz-tj-water',
        events: [ev(recorded('kz-tj-water'))],
        expectedRevision: 'no_stream',
      },
      {
        stream: 'commitment-uz-kz-trade-10b',
        events: [ev(progress('2026-06-30', 6e9))],
        expectedRevision: 2,
      },
      {
        stream: 'commitment-kz-tj-water',
        events: [ev(review('2026-02-01', 'stalled'))],
        expectedRevision: 1,
      },
      {
        stream: 'commitment-uz-kz-trade-10b',
        events: [ev(outcome('fulfilled', '2026-12-01'))],
        expectedRevision: 3,
      },
    ]);
    expect(readCheckpoint(store.db)).toBe(await store.headPosition());
    expect(q.getState(store.db, 'kz-tj-water')?.status).toBe('stalled');
    expect(q.getState(store.db, 'uz-kz-trade-10b')?.status).toBe('fulfilled');
    expect(dumpReadModel(store.db)).toEqual(await expected());
    expect((await verify(store, store.db)).ok).toBe(true);
  });

  it('a failed append leaves neither the event nor its projection', async () => {
    const before = dumpReadModel(store.db);
    await expect(put('uz-kz-trade-10b', outcome('missed', '2026-01-01'), 1)).rejects.toThrow();
    expect(dumpReadModel(store.db)).toEqual(before);
  });

  it('fills a gap before projecting an append (read model behind the log)', async () => {
    store.db.exec(
      'DELETE FROM rm_commitments; DELETE FROM rm_parties; DELETE FROM rm_tags; DELETE FROM rm_agenda; DELETE FROM rm_agenda_party; DELETE FROM rm_agenda_days; UPDATE rm_checkpoint SET position = 0',
    );
    await put('kz-tj-water', recorded('kz-tj-water', { parties: ['KZ', 'TJ'] }));
    expect(dumpReadModel(store.db)).toEqual(await expected());
    expect((await verify(store, store.db)).ok).toBe(true);
  });

  it('catchUp on start restores a deleted or outdated read model to identical rows', async () => {
    const want = dumpReadModel(store.db);
    await store.close();

    // The read model tables are gone (deleted by hand).
    store = open();
    store.db.exec('DROP TABLE rm_commitments; DROP TABLE rm_agenda; DROP TABLE rm_meta');
    ensureReadModelSchema(store.db);
    expect(readCheckpoint(store.db)).toBe(0);
    expect(q.list(store.db, { asOf: '2026-01-01', limit: 10 }).items).toEqual([]);
    await catchUp(store.db, store);
    expect(dumpReadModel(store.db)).toEqual(want);
    await store.close();

    // Written by another schema version: dropped and rebuilt.
    store = open();
    store.db.prepare("UPDATE rm_meta SET value = '0' WHERE key = 'schema_version'").run();
    store.db.exec("UPDATE rm_commitments SET title = 'stale'");
    ensureReadModelSchema(store.db);
    await catchUp(store.db, store);
    expect(dumpReadModel(store.db)).toEqual(want);
    expect((await verify(store, store.db)).ok).toBe(true);
  });

  it('catchUp resumes a read model that is behind from its checkpoint, keeping the rows it has', async () => {
    // Appends made without the inline projection (as by a process that does not project).
    const last = await put('ru-cn-gas-2025', review('2026-04-01', 'at_risk'));
    await store.close();
    const bare = open();
    await bare.append(
      'commitment-ru-cn-gas-2025',
      [{ type: 'ProgressReported', data: { asOf: '2026-05-01' }, metadata: { recordedBy: 'cli' } }],
      { expectedRevision: 'any' },
    );
    expect(readCheckpoint(bare.db)).toBe(last);
    // A row the catch-up must not touch: a rebuild would rewrite it from the log.
    bare.db.exec("UPDATE rm_commitments SET title = 'kept' WHERE id = 'uz-kz-trade-10b'");
    const r = await catchUp(bare.db, bare);
    expect(r.events).toBe(1);
    expect(readCheckpoint(bare.db)).toBe(last + 1);
    expect(q.getState(bare.db, 'ru-cn-gas-2025')?.revision).toBe(3);
    const titles = bare.db.prepare('SELECT id, title FROM rm_commitments ORDER BY id').all();
    expect(titles).toContainEqual({ id: 'uz-kz-trade-10b', title: 'kept' });
    await bare.close();
    store = open();
  });
});
