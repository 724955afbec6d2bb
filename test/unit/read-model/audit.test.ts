import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fixedClock } from '../../../src/domain/clock.js';
import { replayKnownAt, stateKnownAt, verify } from '../../../src/read-model/audit.js';
import {
  ensureReadModelSchema,
  inlineProjection,
} from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';
import {
  deadlineRevised,
  outcome,
  progress,
  recorded,
  review,
  tempDir,
  type Ev,
} from './helpers.js';

describe('audit: knownAt, replay and verify on the embedded store', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  const clock = fixedClock('2025-11-16T09:00:00.000Z');

  async function put(id: string, ev: Ev): Promise<{ position: number; recordedAt: string }> {
    const r = await store.append(
      `commitment-${id}`,
      [{ type: ev.type, data: ev.data, metadata: { recordedBy: 'auditor' } }],
      { expectedRevision: 'any' },
    );
    const e = r.events[0]!;
    clock.advance(3_600_000);
    return { position: e.position, recordedAt: e.metadata.recordedAt };
  }

  beforeEach(async () => {
    tmp = tempDir('rm-audit-');
    clock.set('2025-11-16T09:00:00.000Z');
    store = SqliteEventStore.open({ file: dataFile(tmp.dir), synchronous: 'OFF', clock });
    ensureReadModelSchema(store.db);
    store.registerInlineProjection(inlineProjection(store));
    await put('uz-kz-trade-10b', recorded('uz-kz-trade-10b', { metric: true }));
    await put(
      'ru-cn-gas-2025',
      recorded('ru-cn-gas-2025', { parties: ['RU', 'CN'], dueLatest: '2025-12-31' }),
    );
    await put('uz-kz-trade-10b', progress('2026-03-01', 5e9));
    await put('ru-cn-gas-2025', review('2025-12-05', 'at_risk'));
    await put('uz-kz-trade-10b', outcome('partially_fulfilled', '2026-06-01'));
    await put('ru-cn-gas-2025', deadlineRevised('2026-03-31'));
  });

  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('stateKnownAt folds only what was recorded by then', async () => {
    // Events were recorded at 09:00, 10:00, 11:00, 12:00, 13:00, 14:00 on 2025-11-16.
    expect(await stateKnownAt(store, 'uz-kz-trade-10b', '2025-11-16T08:59:59.999Z')).toBeNull();
    const first = await stateKnownAt(store, 'uz-kz-trade-10b', '2025-11-16T09:00:00.000Z');
    expect(first?.status).toBe('open');
    expect(first?.revision).toBe(1);
    const mid = await stateKnownAt(store, 'uz-kz-trade-10b', '2025-11-16T12:30:00.000Z');
    expect(mid?.status).toBe('in_progress');
    expect(mid?.revision).toBe(2);
    const now = await stateKnownAt(store, 'uz-kz-trade-10b', '2030-01-01T00:00:00.000Z');
    expect(now).toEqual(q.getState(store.db, 'uz-kz-trade-10b'));
    expect(await stateKnownAt(store, 'no-such-one', '2030-01-01T00:00:00.000Z')).toBeNull();
  });

  it('replayKnownAt replays the log into a fresh model, never the live read model', async () => {
    // Wreck the live read model: the replay must not notice.
    store.db.exec('DELETE FROM rm_commitments');
    const r = await replayKnownAt(store, {
      knownAt: '2025-11-16T11:30:00.000Z',
      asOf: '2026-01-15',
    });
    expect(r.knownAt).toBe('2025-11-16T11:30:00.000Z');
    expect(r.asOf).toBe('2026-01-15');
    expect(r.position).toBe(3);
    expect(r.commitments.map((v) => [v.id, v.status, v.timing, v.revision])).toEqual([
      ['ru-cn-gas-2025', 'open', 'overdue', 1],
      ['uz-kz-trade-10b', 'in_progress', 'on_schedule', 2],
    ]);
    const early = await replayKnownAt(store, {
      knownAt: '2025-01-01T00:00:00.000Z',
      asOf: '2026-01-15',
    });
    expect(early).toEqual({
      knownAt: '2025-01-01T00:00:00.000Z',
      asOf: '2026-01-15',
      position: 0,
      commitments: [],
    });
    const all = await replayKnownAt(store, {
      knownAt: '2030-01-01T00:00:00.000Z',
      asOf: '2026-01-15',
      pageSize: 2,
    });
    expect(all.position).toBe(6);
    expect(all.commitments.map((v) => v.status)).toEqual(['at_risk', 'partially_fulfilled']);
  });

  it('verify passes on an untouched store', async () => {
    const r = await verify(store, store.db);
    expect(r).toEqual({
      ok: true,
      events: 6,
      chain: { ok: true },
      readModel: { ok: true, mismatches: [] },
    });
  });

  const tamper: Array<[string, string, { stream: string; revision: number }]> = [
    [
      'one byte of data edited',
      "UPDATE events SET data = replace(data, 'increase', 'increasf') WHERE position = 1",
      { stream: 'commitment-uz-kz-trade-10b', revision: 1 },
    ],
    [
      'one byte of metadata edited',
      "UPDATE events SET metadata = replace(metadata, 'auditor', 'auditos') WHERE position = 4",
      { stream: 'commitment-ru-cn-gas-2025', revision: 2 },
    ],
    [
      'a number in the data changed',
      "UPDATE events SET data = replace(data, '5000000000', '6000000000') WHERE position = 3",
      { stream: 'commitment-uz-kz-trade-10b', revision: 2 },
    ],
    [
      'data no longer valid JSON',
      'UPDATE events SET data = substr(data, 2) WHERE position = 4',
      { stream: 'commitment-ru-cn-gas-2025', revision: 2 },
    ],
    [
      'a middle event deleted',
      'DELETE FROM events WHERE position = 3',
      { stream: 'commitment-uz-kz-trade-10b', revision: 2 },
    ],
    [
      'the last event of a stream deleted',
      'DELETE FROM events WHERE position = 6',
      { stream: 'commitment-ru-cn-gas-2025', revision: 3 },
    ],
    [
      'two events swapped in the log',
      `UPDATE events SET position = -1 WHERE position = 3;
       UPDATE events SET position = 3 WHERE position = 5;
       UPDATE events SET position = 5 WHERE position = -1;`,
      { stream: 'commitment-uz-kz-trade-10b', revision: 2 },
    ],
    [
      'two events swapped in content',
      `CREATE TEMP TABLE sw AS SELECT position, type, data, metadata, hash FROM events WHERE position IN (3, 5);
       UPDATE events SET
         type = (SELECT type FROM sw WHERE sw.position = 8 - events.position),
         data = (SELECT data FROM sw WHERE sw.position = 8 - events.position),
         metadata = (SELECT metadata FROM sw WHERE sw.position = 8 - events.position),
         hash = (SELECT hash FROM sw WHERE sw.position = 8 - events.position)
       WHERE position IN (3, 5);`,
      { stream: 'commitment-uz-kz-trade-10b', revision: 2 },
    ],
  ];

  for (const [name, sql, at] of tamper) {
    it(`verify reports ok:false when ${name}`, async () => {
      store.db.exec(sql);
      const r = await verify(store, store.db);
      expect(r.ok).toBe(false);
      expect(r.chain.ok).toBe(false);
      expect(r.chain.brokenAt).toMatchObject(at);
    });
  }

  it('verify finds read-model rows that differ, are missing or are extra', async () => {
    const db = store.db;
    db.exec(
      `UPDATE rm_commitments SET state_json = replace(state_json, '"at_risk"', '"stalled"') WHERE id = 'ru-cn-gas-2025'`,
    );
    let r = await verify(store, db);
    expect(r.ok).toBe(false);
    expect(r.chain.ok).toBe(true);
    expect(r.readModel.mismatches).toEqual([
      { id: 'ru-cn-gas-2025', reason: expect.stringContaining('state differs') },
    ]);

    db.exec(
      'UPDATE rm_commitments SET state_json = replace(state_json, \'"stalled"\', \'"at_risk"\')',
    );
    db.exec(
      "UPDATE rm_agenda SET date = '2099-01-01' WHERE commitment_id = 'ru-cn-gas-2025' AND item = 'deadline'",
    );
    r = await verify(store, db);
    // The moved row no longer matches the state, nor the per-date counts on either date.
    expect(r.readModel.mismatches).toEqual([
      { id: 'ru-cn-gas-2025', reason: expect.stringContaining('agenda') },
      {
        id: 'rm_agenda_days 2026-03-31 deadline',
        reason: 'the count of agenda rows on that date differs from the rows',
      },
      {
        id: 'rm_agenda_days 2099-01-01 deadline',
        reason: 'the count of agenda rows on that date differs from the rows',
      },
    ]);
    db.exec(
      "UPDATE rm_agenda SET date = '2026-03-31' WHERE commitment_id = 'ru-cn-gas-2025' AND item = 'deadline'",
    );
    expect((await verify(store, db)).ok).toBe(true);

    // The agenda by party (what a party's /overdue reads) is checked too.
    db.exec(
      "DELETE FROM rm_agenda_party WHERE commitment_id = 'ru-cn-gas-2025' AND party = 'CN' AND item = 'deadline'",
    );
    r = await verify(store, db);
    expect(r.readModel.mismatches).toEqual([
      { id: 'ru-cn-gas-2025', reason: 'agenda-by-party rows differ from the state' },
    ]);
    db.exec(
      "INSERT INTO rm_agenda_party SELECT 'CN', date, commitment_id, item FROM rm_agenda WHERE commitment_id = 'ru-cn-gas-2025' AND item = 'deadline'",
    );
    expect((await verify(store, db)).ok).toBe(true);

    // So are the per-date counts behind an unfiltered /overdue total.
    db.exec("UPDATE rm_agenda_days SET n = n + 1 WHERE item = 'deadline'");
    r = await verify(store, db);
    expect(r.ok).toBe(false);
    expect(r.readModel.mismatches).toEqual(
      expect.arrayContaining([
        {
          id: expect.stringMatching(/^rm_agenda_days \d{4}-\d{2}-\d{2} deadline$/),
          reason: 'the count of agenda rows on that date differs from the rows',
        },
      ]),
    );
    db.exec("UPDATE rm_agenda_days SET n = n - 1 WHERE item = 'deadline'");
    expect((await verify(store, db)).ok).toBe(true);

    db.exec("DELETE FROM rm_commitments WHERE id = 'uz-kz-trade-10b'");
    db.exec(
      `INSERT INTO rm_commitments SELECT 'ghost-one', status, kind, title, quote, due_latest, next_follow_up,
         revision, position, recorded_at, updated_at, parties_json, search, state_json FROM rm_commitments WHERE id = 'ru-cn-gas-2025'`,
    );
    r = await verify(store, db);
    expect(r.ok).toBe(false);
    expect(r.chain.ok).toBe(true);
    expect(r.readModel.mismatches).toEqual(
      expect.arrayContaining([
        { id: 'uz-kz-trade-10b', reason: 'missing from the read model' },
        { id: 'ghost-one', reason: 'in the read model but not in the log' },
        { id: 'uz-kz-trade-10b', reason: expect.stringContaining('without a commitment row') },
      ]),
    );
  });
});
