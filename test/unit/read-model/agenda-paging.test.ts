/**
 * Issue 14: /overdue and /upcoming are read a page at a time with a keyset cursor. Paging while
 * other commitments are recorded, followed up and closed neither repeats an item nor loses one
 * that stayed put; `total` counts every match; filters by item, kind and tag.
 */
import { describe, expect, it } from 'vitest';

import { InMemoryModel } from '../../../projections/index.js';
import { InvalidInputError } from '../../../src/domain/errors.js';
import { applyEvents } from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import { MemoryLog, day, openReadModelDb, outcome, progress, prng, recorded } from './helpers.js';

const KINDS = ['target', 'agreement', 'project'] as const;

function seed(log: MemoryLog, n: number, rnd: () => number, prefix: string): void {
  for (let i = 0; i < n; i += 1) {
    const id = `${prefix}-${String(i).padStart(4, '0')}`;
    log.add(
      id,
      recorded(id, {
        madeAt: day(Math.floor(rnd() * 200)),
        dueLatest: rnd() < 0.2 ? null : day(100 + Math.floor(rnd() * 400)),
        kind: KINDS[i % 3],
        tags: i % 2 ? ['trade'] : ['energy'],
        parties: i % 5 ? ['UZ', 'KZ'] : ['RU'],
        reviewEvery: 'P1M',
      }),
    );
  }
}

const key = (x: { commitmentId: string; item: string; date: string }): string =>
  `${x.commitmentId}/${x.item}/${x.date}`;

describe('agenda paging', () => {
  it('pages /overdue in order, with the right total, and no item repeated or lost under concurrent writes', () => {
    const rnd = prng(14);
    const log = new MemoryLog();
    seed(log, 120, rnd, 'c');
    const db = openReadModelDb();
    try {
      applyEvents(db, log.events);
      const asOf = day(300);
      const before = new Set(q.overdue(db, { asOf }).map(key));
      expect(before.size).toBeGreaterThan(50);

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let firstTotal = -1;
      let applied = log.events.length;
      for (;;) {
        const page = q.overduePage(db, { asOf, limit: 7, ...(cursor ? { cursor } : {}) });
        if (firstTotal < 0) firstTotal = page.total;
        expect(page.items.length).toBeLessThanOrEqual(7);
        seen.push(...page.items.map(key));
        pages += 1;
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
        // Concurrent writes between pages: new overdue commitments (some before the cursor,
        // some after), a follow-up moved by progress, and a commitment closed.
        seed(log, 3, rnd, `n${pages}`);
        const victim = `c-${String((pages * 17) % 120).padStart(4, '0')}`;
        log.add(victim, pages % 2 ? progress(day(250)) : outcome('fulfilled', day(250)));
        applyEvents(db, log.events.slice(applied));
        applied = log.events.length;
      }
      expect(firstTotal).toBe(before.size);
      expect(pages).toBeGreaterThan(5);
      // Never repeated.
      expect(new Set(seen).size).toBe(seen.length);
      // In the order of the sort key (date, commitment id, item).
      const sorted = [...seen].sort((a, b) => {
        const [ia, ta, da] = a.split('/') as [string, string, string];
        const [ib, tb, db2] = b.split('/') as [string, string, string];
        return da !== db2 ? (da < db2 ? -1 : 1) : ia !== ib ? (ia < ib ? -1 : 1) : ta < tb ? -1 : 1;
      });
      expect(seen).toEqual(sorted);
      // Never lost: every item overdue before and after the writes was seen.
      const after = new Set(q.overdue(db, { asOf }).map(key));
      const stayed = [...before].filter((k) => after.has(k));
      expect(stayed.length).toBeGreaterThan(50);
      const seenSet = new Set(seen);
      for (const k of stayed) expect(seenSet.has(k), k).toBe(true);
      // Nothing seen that was never overdue.
      for (const k of seen) expect(before.has(k) || after.has(k), k).toBe(true);
    } finally {
      db.close();
    }
  });

  it('pages /upcoming soonest first; total counts all; filters by item, kind, tag and party', () => {
    const rnd = prng(15);
    const log = new MemoryLog();
    seed(log, 90, rnd, 'u');
    const db = openReadModelDb();
    try {
      applyEvents(db, log.events);
      const model = new InMemoryModel();
      for (const e of log.events) model.applyStored(e);
      const asOf = day(150);
      const until = day(400);
      const all = model.upcoming(asOf, until);
      const byId = new Map(model.all().map((s) => [s.id, s]));
      const cases: Array<
        [Parameters<typeof q.upcomingPage>[1], (i: (typeof all)[number]) => boolean]
      > = [
        [{ asOf, until }, () => true],
        [{ asOf, until, item: 'deadline' }, (i) => i.item === 'deadline'],
        [{ asOf, until, item: 'follow_up' }, (i) => i.item === 'follow_up'],
        [{ asOf, until, kind: 'agreement' }, (i) => byId.get(i.commitmentId)?.kind === 'agreement'],
        [{ asOf, until, tag: 'trade' }, (i) => !!byId.get(i.commitmentId)?.tags.includes('trade')],
        [
          { asOf, until, tag: 'energy', party: 'ru', item: 'follow_up' },
          (i) =>
            i.item === 'follow_up' &&
            !!byId.get(i.commitmentId)?.tags.includes('energy') &&
            !!byId.get(i.commitmentId)?.parties.includes('RU'),
        ],
      ];
      for (const [filter, keep] of cases) {
        const want = all.filter(keep).map((i) => `${key(i)}/${i.daysUntil}`);
        expect(want.length).toBeGreaterThan(0);
        const got: string[] = [];
        let cursor: string | undefined;
        for (;;) {
          const page = q.upcomingPage(db, { ...filter, limit: 5, ...(cursor ? { cursor } : {}) });
          expect(page.total).toBe(want.length);
          got.push(...page.items.map((i) => `${key(i)}/${i.daysUntil}`));
          if (page.nextCursor === null) break;
          cursor = page.nextCursor;
        }
        expect(got).toEqual(want);
      }
      // A page as large as the answer has no next cursor.
      const whole = q.upcomingPage(db, { asOf, until, limit: all.length });
      expect(whole.items).toHaveLength(all.length);
      expect(whole.nextCursor).toBeNull();
    } finally {
      db.close();
    }
  });

  it('rejects a cursor that is not one of its own list', () => {
    const log = new MemoryLog();
    seed(log, 10, prng(1), 'x');
    const db = openReadModelDb();
    try {
      applyEvents(db, log.events);
      const up = q.upcomingPage(db, { asOf: day(0), until: day(900), limit: 1 });
      expect(up.nextCursor).not.toBeNull();
      for (const cursor of [
        up.nextCursor as string,
        'not a cursor',
        'eyJ4IjoxfQ',
        q.encodeCursor('x-0001'),
      ]) {
        expect(() => q.overduePage(db, { asOf: day(900), limit: 1, cursor })).toThrow(
          InvalidInputError,
        );
      }
      // And its own cursor works.
      expect(
        q.upcomingPage(db, {
          asOf: day(0),
          until: day(900),
          limit: 1,
          cursor: up.nextCursor as string,
        }).items,
      ).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
