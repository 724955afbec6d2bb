import { describe, expect, it } from 'vitest';
import { agendaItems, overdueAt, untilDate, upcomingAt } from '../../../projections/agenda.js';
import { fold } from '../../../projections/evolve.js';
import type { AgendaItem } from '../../../projections/types.js';
import {
  deadlineRevised,
  outcome,
  progress,
  stream,
  superseded,
  tradeRecorded,
  withdrawn,
} from './fixtures.js';

describe('agendaItems', () => {
  it('a deadline item on due.latest and a follow-up item on nextFollowUp', () => {
    const s = fold(stream(tradeRecorded()))!;
    expect(agendaItems(s)).toEqual([
      { commitmentId: 'uz-kz-trade-10b', item: 'deadline', date: '2030-12-31' },
      { commitmentId: 'uz-kz-trade-10b', item: 'follow_up', date: '2026-02-15' },
    ]);
  });

  it('no follow-up item when nextFollowUp equals due.latest', () => {
    const s = fold(stream(tradeRecorded(), progress('2030-11-01', 9.5e9)))!;
    expect(agendaItems(s)).toEqual([
      { commitmentId: 'uz-kz-trade-10b', item: 'deadline', date: '2030-12-31' },
    ]);
  });

  it('only a follow-up item without a deadline', () => {
    const s = fold(stream(tradeRecorded({ due: null })))!;
    expect(agendaItems(s)).toEqual([
      { commitmentId: 'uz-kz-trade-10b', item: 'follow_up', date: '2026-02-15' },
    ]);
  });

  it.each([
    ['an outcome', outcome('fulfilled', '2030-12-31')],
    ['a withdrawal', withdrawn('2026-07-01')],
    ['a supersession', superseded('uz-kz-trade-15b', '2027-01-20')],
  ])('no items after %s', (_label, closing) => {
    expect(agendaItems(fold(stream(tradeRecorded(), closing))!)).toEqual([]);
  });
});

describe('overdueAt and upcomingAt', () => {
  const items: AgendaItem[] = [
    { commitmentId: 'uz-kz-trade-10b', item: 'follow_up', date: '2026-02-15' },
    { commitmentId: 'uz-kz-trade-10b', item: 'deadline', date: '2030-12-31' },
    { commitmentId: 'kz-uz-rail-link', item: 'deadline', date: '2026-02-15' },
    { commitmentId: 'kz-uz-rail-link', item: 'follow_up', date: '2026-01-20' },
    { commitmentId: 'caspian-summit-2026', item: 'deadline', date: '2026-03-01' },
    { commitmentId: 'aral-water-deal', item: 'follow_up', date: '2026-03-01' },
    { commitmentId: 'aral-water-deal', item: 'deadline', date: '2026-03-01' },
  ];

  it('overdue: items dated strictly before asOf, with daysOverdue, sorted by date, id, kind', () => {
    expect(overdueAt(items, '2026-03-02')).toEqual([
      { commitmentId: 'kz-uz-rail-link', item: 'follow_up', date: '2026-01-20', daysOverdue: 41 },
      { commitmentId: 'kz-uz-rail-link', item: 'deadline', date: '2026-02-15', daysOverdue: 15 },
      { commitmentId: 'uz-kz-trade-10b', item: 'follow_up', date: '2026-02-15', daysOverdue: 15 },
      { commitmentId: 'aral-water-deal', item: 'deadline', date: '2026-03-01', daysOverdue: 1 },
      { commitmentId: 'aral-water-deal', item: 'follow_up', date: '2026-03-01', daysOverdue: 1 },
      { commitmentId: 'caspian-summit-2026', item: 'deadline', date: '2026-03-01', daysOverdue: 1 },
    ]);
  });

  it('an item dated asOf is not overdue', () => {
    expect(overdueAt(items, '2026-03-01').map((i) => i.date)).toEqual([
      '2026-01-20',
      '2026-02-15',
      '2026-02-15',
    ]);
  });

  it('upcoming: asOf ≤ date ≤ until, both ends included, with daysUntil, sorted', () => {
    expect(upcomingAt(items, '2026-02-15', '2026-03-01')).toEqual([
      { commitmentId: 'kz-uz-rail-link', item: 'deadline', date: '2026-02-15', daysUntil: 0 },
      { commitmentId: 'uz-kz-trade-10b', item: 'follow_up', date: '2026-02-15', daysUntil: 0 },
      { commitmentId: 'aral-water-deal', item: 'deadline', date: '2026-03-01', daysUntil: 14 },
      { commitmentId: 'aral-water-deal', item: 'follow_up', date: '2026-03-01', daysUntil: 14 },
      { commitmentId: 'caspian-summit-2026', item: 'deadline', date: '2026-03-01', daysUntil: 14 },
    ]);
    expect(upcomingAt(items, '2026-02-16', '2026-02-28')).toEqual([]);
  });

  it('keeps extra fields of the caller’s items (title, parties)', () => {
    const rich = [
      {
        commitmentId: 'uz-kz-trade-10b',
        item: 'deadline' as const,
        date: '2030-12-31',
        title: '$10B',
        parties: ['UZ', 'KZ'],
      },
    ];
    expect(upcomingAt(rich, '2030-12-01', '2030-12-31')).toEqual([{ ...rich[0], daysUntil: 30 }]);
  });

  it('a passed deadline with no outcome is overdue as a deadline; no separate follow-up item', () => {
    const s = fold(
      stream(tradeRecorded(), deadlineRevised('2026-03-31'), progress('2026-03-15', 5e9)),
    )!;
    expect(overdueAt(agendaItems(s), '2026-05-01')).toEqual([
      { commitmentId: 'uz-kz-trade-10b', item: 'deadline', date: '2026-03-31', daysOverdue: 31 },
    ]);
  });
});

describe('untilDate', () => {
  it('adds the ISO duration with month-end clamping', () => {
    expect(untilDate('2026-01-31', 'P1M')).toBe('2026-02-28');
    expect(untilDate('2026-02-01', 'P30D')).toBe('2026-03-03');
    expect(untilDate('2025-11-15', 'P1Y')).toBe('2026-11-15');
  });
});
