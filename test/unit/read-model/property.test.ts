/**
 * Property: for random event sequences, projecting incrementally through the SQLite read model
 * (random chunks, with re-deliveries) gives exactly the rows of a full rebuild, and the same
 * states as the pure in-memory fold.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';

import { InMemoryModel, timingOf } from '../../../projections/index.js';
import { TIMINGS } from '../../../projections/types.js';
import { applyEvents, rebuild } from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import {
  MemoryLog,
  corrected,
  day,
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
  type Ev,
} from './helpers.js';

const IDS = ['aaa-1', 'bbb-2', 'ccc-3', 'ddd-4'];
const PARTIES = ['UZ', 'KZ', 'RU', 'CN', 'European Union'];

const arbDay = fc.integer({ min: 2000, max: 2400 }).map(day);

const arbEvent: fc.Arbitrary<{ id: string; ev: Ev }> = fc
  .record({
    id: fc.constantFrom(...IDS),
    kind: fc.integer({ min: 0, max: 10 }),
    d: arbDay,
    due: fc.option(arbDay, { nil: null }),
    n: fc.integer({ min: 0, max: 100 }),
    parties: fc.subarray(PARTIES, { minLength: 1 }),
    tags: fc.subarray(['trade', 'energy', 'aid']),
    every: fc.constantFrom('P1M', 'P3M', 'P30D', 'P1Y'),
    pick: fc.constantFrom(...IDS),
  })
  .map(({ id, kind, d, due, n, parties, tags, every, pick }) => {
    let ev: Ev;
    switch (kind) {
      case 0:
      case 1:
        ev = recorded(id, {
          madeAt: d,
          dueLatest: due,
          parties,
          tags,
          reviewEvery: every,
          metric: n % 2 === 0,
          title: `Title ${n}`,
        });
        break;
      case 2:
        ev = progress(d, n % 3 === 0 ? undefined : n * 1e8);
        break;
      case 3:
        ev = review(d, (['on_track', 'at_risk', 'stalled'] as const)[n % 3]!);
        break;
      case 4:
        ev = deadlineRevised(due ?? d);
        break;
      case 5:
        ev = targetRevised(n * 1e9);
        break;
      case 6:
        ev = outcome((['fulfilled', 'partially_fulfilled', 'missed'] as const)[n % 3]!, d);
        break;
      case 7:
        ev = n % 2 ? withdrawn(d) : superseded(pick, d);
        break;
      case 8:
        ev = sourceAdded(`Agency ${n}`, d);
        break;
      case 9:
        ev = corrected({ parties, tags });
        break;
      default:
        ev = corrected({ title: `Corrected ${n}` });
    }
    return { id, ev };
  });

describe('incremental projection equals a full rebuild', () => {
  it('for random event sequences and random chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbEvent, { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        async (evs, chunks, overlaps) => {
          const log = new MemoryLog();
          for (const { id, ev } of evs) log.add(id, ev);

          const inc = openReadModelDb();
          const full = openReadModelDb();
          try {
            let i = 0;
            let k = 0;
            while (i < log.events.length) {
              const size = chunks[k % chunks.length]!;
              const back = overlaps[k % overlaps.length]!;
              // Re-deliver up to `back` events already applied, then the next chunk.
              applyEvents(inc, log.events.slice(Math.max(0, i - back), i + size));
              i += size;
              k += 1;
            }
            await rebuild(full, log, { batchSize: 7 });
            expect(dumpReadModel(inc)).toEqual(dumpReadModel(full));

            const model = new InMemoryModel();
            for (const e of log.events) model.applyStored(e);
            for (const id of IDS) expect(q.getState(inc, id)).toEqual(model.get(id));
            const asOf = day(2200);
            expect(q.overdue(inc, { asOf }).map((x) => [x.commitmentId, x.item, x.date])).toEqual(
              model.overdue(asOf).map((x) => [x.commitmentId, x.item, x.date]),
            );
          } finally {
            inc.close();
            full.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the SQL of each timing filter selects exactly the states timingOf puts in it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbEvent, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.constantFrom(-31, -30, -1, 0, 1, 29, 30, 31),
        async (evs, pick, offset) => {
          const log = new MemoryLog();
          for (const { id, ev } of evs) log.add(id, ev);
          const db = openReadModelDb();
          try {
            applyEvents(db, log.events);
            const model = new InMemoryModel();
            for (const e of log.events) model.applyStored(e);
            // asOf near a due date (on it, or around the 30-day edge), where the rules' edges are.
            const dues = IDS.flatMap((id) => model.get(id)?.due?.latest ?? []);
            const due = dues[pick % Math.max(1, dues.length)];
            const asOf = due
              ? new Date(Date.parse(`${due}T00:00:00Z`) + offset * 86_400_000)
                  .toISOString()
                  .slice(0, 10)
              : day(2200);
            for (const timing of TIMINGS) {
              const viaSql = q.list(db, { timing, asOf, limit: 500 }).items.map((v) => v.id);
              const viaRule = IDS.filter((id) => {
                const s = model.get(id);
                return s !== null && s !== undefined && timingOf(s, asOf) === timing;
              });
              expect(viaSql, timing).toEqual(viaRule);
            }
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
