import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';

import { InMemoryModel, toView } from '../../../projections/index.js';
import { InvalidInputError } from '../../../src/domain/errors.js';
import {
  applyEvents,
  projectBatch,
  readCheckpoint,
  rebuild,
} from '../../../src/read-model/sqlite-read-model.js';
import { catchUp } from '../../../src/read-model/projector.js';
import * as q from '../../../src/read-model/queries.js';
import type { StoredEvent } from '../../../src/store/port.js';
import {
  MemoryLog,
  corrected,
  deadlineRevised,
  dumpReadModel,
  openReadModelDb,
  outcome,
  progress,
  recorded,
  review,
  sourceAdded,
  superseded,
  targetRevised,
  withdrawn,
} from './helpers.js';

/** A small realistic tracker: who promised what to whom. */
function scenario(): MemoryLog {
  const log = new MemoryLog();
  log.add(
    'uz-kz-trade-10b',
    recorded('uz-kz-trade-10b', {
      title: 'Raise Uzbekistan-Kazakhstan trade turnover to $10 billion',
      metric: true,
      tags: ['trade', 'central-asia'],
    }),
  );
  log.add(
    'ru-cn-gas-2025',
    recorded('ru-cn-gas-2025', {
      title: 'Sign the Power of Siberia 2 gas contract',
      quote: 'Контракт будет подписан до конца года',
      kind: 'agreement',
      parties: ['RU', 'CN'],
      tags: ['energy'],
      madeAt: '2025-11-20',
      dueLatest: '2025-12-31',
      reviewEvery: 'P1M',
    }),
  );
  log.add(
    'eu-ua-aid',
    recorded('eu-ua-aid', {
      title: 'Deliver 50% of the promised aid package',
      quote: 'We will deliver half of it_by spring (100% committed)',
      kind: 'proposal',
      parties: ['European Union', 'UA'],
      tags: ['aid'],
      madeAt: '2025-10-01',
      dueLatest: null,
      reviewEvery: 'P6M',
    }),
  );
  log.add('uz-kz-trade-10b', progress('2026-03-01', 5e9));
  log.add(
    'us-in-trade-deal',
    recorded('us-in-trade-deal', {
      title: 'Conclude the first tranche of a trade deal',
      kind: 'agreement',
      parties: ['US', 'IN'],
      dueLatest: '2026-01-31',
    }),
  );
  log.add('us-in-trade-deal', outcome('fulfilled', '2025-12-01'));
  log.add(
    'fr-de-summit',
    recorded('fr-de-summit', {
      title: 'Hold a joint cabinet meeting',
      kind: 'meeting',
      parties: ['FR', 'DE'],
      madeAt: '2025-11-01',
      dueLatest: '2025-12-01',
      reviewEvery: 'P1M',
      tags: [],
    }),
  );
  log.add(
    'kz-tj-water',
    recorded('kz-tj-water', {
      title: 'Agree on water sharing',
      kind: 'agreement',
      parties: ['KZ', 'TJ'],
      dueLatest: '2026-06-30',
    }),
  );
  log.add('kz-tj-water', withdrawn('2025-12-02'));
  log.add(
    'uz-kz-trade-15b',
    recorded('uz-kz-trade-15b', {
      title: 'Raise trade turnover to $15 billion',
      parties: ['UZ', 'KZ'],
      dueLatest: '2032-12-31',
    }),
  );
  log.add('uz-kz-trade-10b', targetRevised(1.2e10));
  log.add('ru-cn-gas-2025', review('2025-12-05', 'stalled'));
  log.add('ru-cn-gas-2025', deadlineRevised('2026-03-31'));
  log.add('eu-ua-aid', sourceAdded('Reuters', '2025-10-02'));
  log.add('eu-ua-aid', corrected({ parties: ['European Union', 'UA', 'PL'] }));
  log.addRaw('$settings', 'SomethingElse', { x: 1 });
  log.add(
    'jp-kr-visa',
    recorded('jp-kr-visa', {
      title: 'Ease visa rules',
      kind: 'other',
      parties: ['JP', 'KR'],
      dueLatest: '2025-11-30',
    }),
  );
  log.add('jp-kr-visa', superseded('uz-kz-trade-15b', '2025-12-03'));
  return log;
}

function modelOf(events: readonly StoredEvent[]): InMemoryModel {
  const m = new InMemoryModel();
  for (const e of events) if (e.stream.startsWith('commitment-')) m.applyStored(e);
  return m;
}

describe('SQLite read model: applyEvents and queries', () => {
  let db: Database.Database;
  let log: MemoryLog;
  let model: InMemoryModel;

  beforeEach(() => {
    db = openReadModelDb();
    log = scenario();
    model = modelOf(log.events);
    // Apply in uneven chunks, as appends would.
    const evs = log.events;
    for (let i = 0; i < evs.length; i += 3) applyEvents(db, evs.slice(i, i + 3));
  });
  afterEach(() => db.close());

  it('stores the state of every commitment, equal to the in-memory fold', () => {
    expect(readCheckpoint(db)).toBe(log.events.length);
    for (const s of model.all()) expect(q.getState(db, s.id)).toEqual(s);
    expect(q.getState(db, 'no-such-thing')).toBeNull();
    const gas = q.getState(db, 'ru-cn-gas-2025');
    expect(gas?.status).toBe('stalled');
    expect(gas?.due?.latest).toBe('2026-03-31');
    const row = db
      .prepare(
        'SELECT status, kind, due_latest, next_follow_up, revision, position FROM rm_commitments WHERE id = ?',
      )
      .get('ru-cn-gas-2025');
    expect(row).toEqual({
      status: 'stalled',
      kind: 'agreement',
      due_latest: '2026-03-31',
      next_follow_up: '2026-01-05',
      revision: 3,
      position: 13,
    });
    // The correction replaced the party rows.
    expect(
      db
        .prepare('SELECT party FROM rm_parties WHERE commitment_id = ? ORDER BY party')
        .pluck()
        .all('eu-ua-aid'),
    ).toEqual(['European Union', 'PL', 'UA']);
  });

  it('keeps no agenda rows for closed commitments', () => {
    const ids = db.prepare('SELECT DISTINCT commitment_id FROM rm_agenda ORDER BY 1').pluck().all();
    expect(ids).toEqual([
      'eu-ua-aid',
      'fr-de-summit',
      'ru-cn-gas-2025',
      'uz-kz-trade-10b',
      'uz-kz-trade-15b',
    ]);
    // fr-de-summit: follow-up falls on the deadline, so only the deadline item.
    expect(
      db.prepare('SELECT item, date FROM rm_agenda WHERE commitment_id = ?').all('fr-de-summit'),
    ).toEqual([{ item: 'deadline', date: '2025-12-01' }]);
  });

  it('is idempotent: re-applying events at or below the checkpoint changes nothing', () => {
    const before = dumpReadModel(db);
    expect(applyEvents(db, log.events)).toBe(0);
    expect(projectBatch(db, log.events.slice(3, 9))).toBe(0);
    expect(dumpReadModel(db)).toEqual(before);
    // A batch that overlaps the checkpoint applies only the new part.
    const e = log.add('fr-de-summit', outcome('missed', '2025-12-05'));
    expect(projectBatch(db, log.events.slice(-4))).toBe(1);
    expect(q.getState(db, 'fr-de-summit')?.status).toBe('missed');
    expect(readCheckpoint(db)).toBe(e.position);
    expect(q.getState(db, 'fr-de-summit')?.revision).toBe(2);
  });

  it('lists with filters, in id order, with views at asOf', () => {
    const asOf = '2025-12-10';
    const ids = (f: Partial<Parameters<typeof q.list>[1]>) =>
      q.list(db, { asOf, limit: 100, ...f }).items.map((v) => v.id);
    expect(ids({})).toEqual(model.all().map((s) => s.id));
    expect(q.list(db, { asOf, limit: 100 }).items).toEqual(model.views(asOf));
    expect(ids({ status: 'open' })).toEqual(['eu-ua-aid', 'fr-de-summit', 'uz-kz-trade-15b']);
    expect(ids({ kind: 'agreement' })).toEqual([
      'kz-tj-water',
      'ru-cn-gas-2025',
      'us-in-trade-deal',
    ]);
    expect(ids({ party: 'KZ' })).toEqual(['kz-tj-water', 'uz-kz-trade-10b', 'uz-kz-trade-15b']);
    expect(ids({ party: 'kz' })).toEqual(['kz-tj-water', 'uz-kz-trade-10b', 'uz-kz-trade-15b']);
    expect(ids({ party: 'European Union' })).toEqual(['eu-ua-aid']);
    expect(ids({ party: 'KZ', status: 'in_progress' })).toEqual(['uz-kz-trade-10b']);
    expect(ids({ tag: 'trade' })).toEqual([
      'jp-kr-visa',
      'kz-tj-water',
      'us-in-trade-deal',
      'uz-kz-trade-10b',
      'uz-kz-trade-15b',
    ]);
    expect(ids({ tag: 'energy' })).toEqual(['ru-cn-gas-2025']);
    expect(ids({ timing: 'closed' })).toEqual(['jp-kr-visa', 'kz-tj-water', 'us-in-trade-deal']);
    expect(ids({ timing: 'no_deadline' })).toEqual(['eu-ua-aid']);
    expect(ids({ timing: 'overdue' })).toEqual(['fr-de-summit']);
    expect(ids({ timing: 'on_schedule' })).toEqual([
      'ru-cn-gas-2025',
      'uz-kz-trade-10b',
      'uz-kz-trade-15b',
    ]);
    expect(ids({ timing: 'due_soon', asOf: '2026-03-01' })).toEqual(['ru-cn-gas-2025']);
    // Every timing filter agrees with the view's timing, at several dates.
    for (const at of [
      '2025-11-01',
      '2025-12-01',
      '2025-12-02',
      '2026-03-01',
      '2026-03-31',
      '2026-04-01',
      '2031-01-01',
    ]) {
      for (const timing of [
        'closed',
        'no_deadline',
        'overdue',
        'due_soon',
        'on_schedule',
      ] as const) {
        const want = model
          .views(at)
          .filter((v) => v.timing === timing)
          .map((v) => v.id);
        expect(ids({ asOf: at, timing }), `${timing} at ${at}`).toEqual(want);
      }
    }
  });

  it('searches title and quote case-insensitively, taking % and _ literally', () => {
    const asOf = '2025-12-10';
    const ids = (text: string) => q.list(db, { asOf, limit: 100, q: text }).items.map((v) => v.id);
    expect(ids('TRADE TURNOVER')).toEqual(['uz-kz-trade-10b', 'uz-kz-trade-15b']);
    expect(ids('контракт')).toEqual(['ru-cn-gas-2025']);
    expect(ids('100%')).toEqual(['eu-ua-aid']);
    expect(ids('it_by')).toEqual(['eu-ua-aid']);
    expect(ids('_')).toEqual(['eu-ua-aid']);
    expect(ids('%')).toEqual(['eu-ua-aid']);
    expect(ids('no such words')).toEqual([]);
  });

  it('pages with an opaque cursor: stable, no duplicates, null after the last page', () => {
    const asOf = '2025-12-10';
    const all = model.all().map((s) => s.id);
    for (const limit of [1, 2, 3, 4, 8, 9, 50]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      for (;;) {
        const page = q.list(db, { asOf, limit, ...(cursor ? { cursor } : {}) });
        pages += 1;
        seen.push(...page.items.map((v) => v.id));
        expect(page.items.length).toBeLessThanOrEqual(limit);
        if (page.nextCursor === null) break;
        expect(page.items.length).toBe(limit);
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.max(1, Math.ceil(all.length / limit)));
    }
    // Filters page too.
    const p1 = q.list(db, { asOf, limit: 1, party: 'KZ' });
    const p2 = q.list(db, { asOf, limit: 1, party: 'KZ', cursor: p1.nextCursor ?? '' });
    expect([...p1.items, ...p2.items].map((v) => v.id)).toEqual(['kz-tj-water', 'uz-kz-trade-10b']);
    expect(() => q.list(db, { asOf, limit: 1, cursor: '!!!' })).toThrow(InvalidInputError);
    expect(() => q.list(db, { asOf, limit: 1, cursor: 'AAA' })).toThrow(InvalidInputError);
  });

  it('answers overdue and upcoming like the in-memory model, with party filter and sort', () => {
    const enrich = (id: string) => {
      const s = model.get(id);
      if (!s) throw new Error(id);
      return { title: s.title, parties: s.parties };
    };
    for (const asOf of ['2025-11-01', '2025-12-02', '2025-12-10', '2026-02-01', '2026-07-01']) {
      const wantOver = model.overdue(asOf).map((i) => ({ ...i, ...enrich(i.commitmentId) }));
      expect(q.overdue(db, { asOf })).toEqual(
        wantOver.map((i) => ({
          commitmentId: i.commitmentId,
          title: i.title,
          parties: i.parties,
          item: i.item,
          date: i.date,
          daysOverdue: i.daysOverdue,
        })),
      );
      const until = '2026-06-30';
      const wantUp = model.upcoming(asOf, until).map((i) => ({
        commitmentId: i.commitmentId,
        ...enrich(i.commitmentId),
        item: i.item,
        date: i.date,
        daysUntil: i.daysUntil,
      }));
      expect(q.upcoming(db, { asOf, until })).toEqual(wantUp);
      expect(q.upcoming(db, { asOf, until, party: 'uz' })).toEqual(
        wantUp.filter((i) => i.parties.includes('UZ')),
      );
      expect(q.overdue(db, { asOf, party: 'RU' }).map((i) => i.commitmentId)).toEqual(
        wantOver.filter((i) => i.parties.includes('RU')).map((i) => i.commitmentId),
      );
    }
    // Hand-checked: on 2025-12-10 the summit deadline is 9 days overdue.
    expect(q.overdue(db, { asOf: '2025-12-10' })).toEqual([
      {
        commitmentId: 'fr-de-summit',
        title: 'Hold a joint cabinet meeting',
        parties: ['FR', 'DE'],
        item: 'deadline',
        date: '2025-12-01',
        daysOverdue: 9,
      },
    ]);
    const up = q.upcoming(db, { asOf: '2025-12-10', until: '2026-03-31' });
    expect(up.map((i) => [i.date, i.commitmentId, i.item])).toEqual([
      ['2026-01-05', 'ru-cn-gas-2025', 'follow_up'],
      ['2026-02-15', 'uz-kz-trade-15b', 'follow_up'],
      ['2026-03-31', 'ru-cn-gas-2025', 'deadline'],
    ]);
    expect(up[0]?.daysUntil).toBe(26);
  });

  it('catchUp restores identical rows after a torn state', async () => {
    const want = dumpReadModel(db);
    // 1. Rows deleted behind the checkpoint's back, checkpoint reset: catchUp rebuilds them.
    db.exec(
      'DELETE FROM rm_commitments; DELETE FROM rm_parties; DELETE FROM rm_tags; DELETE FROM rm_agenda; DELETE FROM rm_agenda_party; DELETE FROM rm_agenda_days',
    );
    db.prepare('UPDATE rm_checkpoint SET position = 0').run();
    await catchUp(db, log);
    expect(dumpReadModel(db)).toEqual(want);
    // 2. Checkpoint behind (the last events were never projected): catchUp applies the rest.
    const fresh = openReadModelDb();
    applyEvents(fresh, log.events.slice(0, 7));
    const r = await catchUp(fresh, log, { batchSize: 4 });
    expect(r.position).toBe(log.events.length);
    expect(dumpReadModel(fresh)).toEqual(want);
    fresh.close();
  });

  it('rebuild drops and replays the log, equal to the incremental model', async () => {
    const want = dumpReadModel(db);
    db.exec("UPDATE rm_commitments SET title = 'garbage'; INSERT INTO rm_tags VALUES ('x', 'y')");
    const r = await rebuild(db, log, { batchSize: 5 });
    expect(r).toEqual({
      events: log.events.length - 1,
      position: log.events.length,
      commitments: 8,
    });
    expect(dumpReadModel(db)).toEqual(want);
  });

  it('views come from toView at asOf', () => {
    const s = q.getState(db, 'uz-kz-trade-10b');
    expect(s).not.toBeNull();
    const v = toView(s!, '2025-12-10');
    expect(v.metric?.target).toBe(1.2e10);
    expect(v.metric?.progress).toBeCloseTo(1e9 / 8e9);
    expect(v.timing).toBe('on_schedule');
  });
});
