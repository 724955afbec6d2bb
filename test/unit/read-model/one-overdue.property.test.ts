/**
 * Issue 14, one meaning of overdue: over random logs and dates, the view's `overdue` (the pure
 * projection), the SQL of `/overdue` (paged) and the SQL of `GET /commitments?overdue=true` give
 * the same answer. And `/summary` from the read model's SQL equals the summary computed from the
 * folded states with the projection's rules.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';

import { agendaItems, InMemoryModel, toView } from '../../../projections/index.js';
import { applyEvents } from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import { summary, summaryOfStates } from '../../../src/read-model/queries-summary.js';
import {
  MemoryLog,
  corrected,
  day,
  deadlineRevised,
  openReadModelDb,
  outcome,
  progress,
  recorded,
  review,
  superseded,
  withdrawn,
  type Ev,
} from './helpers.js';

const IDS = ['aaa-1', 'bbb-2', 'ccc-3', 'ddd-4', 'eee-5'];
const PARTIES = ['UZ', 'KZ', 'RU', 'European Union'];
const KINDS = ['target', 'agreement', 'project', 'meeting'] as const;

const arbDay = fc.integer({ min: 0, max: 800 }).map(day);

const arbEvent: fc.Arbitrary<{ id: string; ev: Ev }> = fc
  .record({
    id: fc.constantFrom(...IDS),
    op: fc.integer({ min: 0, max: 9 }),
    d: arbDay,
    due: fc.option(arbDay, { nil: null }),
    n: fc.integer({ min: 0, max: 100 }),
    parties: fc.subarray(PARTIES, { minLength: 1 }),
    tags: fc.subarray(['trade', 'energy']),
    every: fc.constantFrom('P1M', 'P3M', 'P30D', 'P1Y'),
    pick: fc.constantFrom(...IDS),
  })
  .map(({ id, op, d, due, n, parties, tags, every, pick }) => {
    let ev: Ev;
    switch (op) {
      case 0:
      case 1:
      case 2:
        ev = recorded(id, {
          madeAt: d,
          dueLatest: due,
          parties,
          tags,
          kind: KINDS[n % KINDS.length],
          reviewEvery: every,
        });
        break;
      case 3:
        ev = progress(d);
        break;
      case 4:
        ev = review(d, (['on_track', 'at_risk', 'stalled'] as const)[n % 3]!);
        break;
      case 5:
        ev = deadlineRevised(due ?? d);
        break;
      case 6:
        ev = outcome((['fulfilled', 'partially_fulfilled', 'missed'] as const)[n % 3]!, d);
        break;
      case 7:
        ev = n % 2 ? withdrawn(d) : superseded(pick, d);
        break;
      default:
        ev = corrected({ parties, tags });
    }
    return { id, ev };
  });

describe('one meaning of overdue', () => {
  it('the view, /overdue and ?overdue=true agree; /summary SQL equals the projection', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbEvent, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -10, max: 900 }),
        fc.nat(),
        fc.constantFrom(-1, 0, 1, 30, 31, null),
        fc.integer({ min: 1, max: 4 }),
        fc.option(fc.constantFrom('uz', 'RU', 'European Union'), { nil: undefined }),
        fc.option(fc.constantFrom('trade', 'energy'), { nil: undefined }),
        async (evs, asOfDay, pick, offset, pageSize, party, tag) => {
          const log = new MemoryLog();
          for (const { id, ev } of evs) log.add(id, ev);
          const db = openReadModelDb();
          try {
            applyEvents(db, log.events);
            const model = new InMemoryModel();
            for (const e of log.events) model.applyStored(e);
            // Mostly on or next to an agenda date, where the rule's edge (date < asOf) is.
            const dates = model.all().flatMap((s) => agendaItems(s).map((i) => i.date));
            const near = dates[pick % Math.max(1, dates.length)];
            const asOf =
              near !== undefined && offset !== null
                ? new Date(Date.parse(`${near}T00:00:00Z`) + offset * 86_400_000)
                    .toISOString()
                    .slice(0, 10)
                : day(asOfDay);

            // 1. The view's `overdue`, for every commitment (the pure projection).
            const fromViews = model
              .all()
              .flatMap((s) =>
                toView(s, asOf).overdue.map((o) => [s.id, o.item, o.date, o.daysOverdue]),
              )
              .sort((a, b) => {
                const ka = `${a[2]}|${a[0]}|${a[1]}`;
                const kb = `${b[2]}|${b[0]}|${b[1]}`;
                return ka < kb ? -1 : ka > kb ? 1 : 0;
              });

            // 2. /overdue, page by page.
            const fromSql: unknown[][] = [];
            let cursor: string | undefined;
            let total = -1;
            for (;;) {
              const page = q.overduePage(db, {
                asOf,
                limit: pageSize,
                ...(cursor ? { cursor } : {}),
              });
              if (total < 0) total = page.total;
              fromSql.push(
                ...page.items.map((i) => [i.commitmentId, i.item, i.date, i.daysOverdue]),
              );
              if (page.nextCursor === null) break;
              cursor = page.nextCursor;
            }
            expect(fromSql).toEqual(fromViews);
            expect(total).toBe(fromViews.length);

            // The same with the party and tag filters (with a party, the page and count read rm_agenda_party).
            if (party !== undefined || tag !== undefined) {
              const p =
                party === undefined ? undefined : party.length === 2 ? party.toUpperCase() : party;
              const keep = new Set(
                model
                  .all()
                  .filter(
                    (s) =>
                      (p === undefined || s.parties.includes(p)) &&
                      (tag === undefined || s.tags.includes(tag)),
                  )
                  .map((s) => s.id),
              );
              const want = fromViews.filter((r) => keep.has(r[0] as string));
              const filtered = q.overduePage(db, {
                asOf,
                limit: pageSize,
                ...(party !== undefined ? { party } : {}),
                ...(tag !== undefined ? { tag } : {}),
              });
              expect(filtered.total).toBe(want.length);
              expect(
                filtered.items.map((i) => [i.commitmentId, i.item, i.date, i.daysOverdue]),
              ).toEqual(want.slice(0, pageSize));
            }

            // 3. GET /commitments?overdue=true (and =false: the rest).
            const overdueIds = [...new Set(fromViews.map((r) => r[0] as string))].sort();
            const listed = q.list(db, { asOf, overdue: true, limit: 500 });
            expect(listed.items.map((v) => v.id)).toEqual(overdueIds);
            expect(listed.total).toBe(overdueIds.length);
            for (const v of listed.items) expect(v.overdue.length).toBeGreaterThan(0);
            const rest = q.list(db, { asOf, overdue: false, limit: 500 });
            expect(rest.items.map((v) => v.id)).toEqual(
              model
                .all()
                .map((s) => s.id)
                .filter((id) => !overdueIds.includes(id)),
            );
            for (const v of rest.items) expect(v.overdue).toEqual([]);

            // /summary: the SQL equals the projection over the folded states.
            const opts = {
              asOf,
              ...(party !== undefined ? { party } : {}),
              ...(tag !== undefined ? { tag } : {}),
            };
            expect(summary(db, opts)).toEqual(summaryOfStates(model.all(), opts));
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
