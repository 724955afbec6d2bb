/** The worked example of docs/projections.md, step by step: keep the two in sync. */
import { describe, expect, it } from 'vitest';
import { agendaItems, overdueAt, upcomingAt, untilDate } from '../../../projections/agenda.js';
import { evolve } from '../../../projections/evolve.js';
import type { CommitmentState } from '../../../projections/types.js';
import { toView } from '../../../projections/view.js';
import {
  outcome,
  progress,
  review,
  stream,
  targetRevised,
  tradeRecorded,
  type Ev,
} from './fixtures.js';

const revisedTo2028: Ev = {
  type: 'DeadlineRevised',
  data: {
    due: { text: 'by the end of 2028', edtf: '../2028', earliest: null, latest: '2028-12-31' },
    reason: 'Leaders brought the target forward',
  },
};

describe('worked example: the $10B Uzbekistan–Kazakhstan trade target', () => {
  const envs = stream(
    tradeRecorded(), // 1
    progress('2026-05-01', 5.5e9), // 2
    progress('2026-03-31', 5.0e9), // 3 (reported late)
    review('2026-09-10', 'stalled'), // 4
    targetRevised(1.2e10), // 5
    revisedTo2028, // 6
    progress('2028-11-01', 9e9), // 7
    outcome('partially_fulfilled', '2029-02-20'), // 8
    outcome('fulfilled', '2029-06-01', 'Final customs statistics'), // 9
  );
  const states: CommitmentState[] = [];
  let s: CommitmentState | null = null;
  for (const e of envs) {
    s = evolve(s, e);
    states.push(s!);
  }
  const at = (rev: number) => states[rev - 1]!;

  it('1. recorded: open, next follow-up 2026-02-15', () => {
    expect(at(1)).toMatchObject({
      status: 'open',
      lastActivity: '2025-11-15',
      nextFollowUp: '2026-02-15',
    });
    expect(toView(at(1), '2026-03-01').timing).toBe('on_schedule');
    expect(overdueAt(agendaItems(at(1)), '2026-03-01')).toEqual([
      { commitmentId: 'uz-kz-trade-10b', item: 'follow_up', date: '2026-02-15', daysOverdue: 14 },
    ]);
  });
  it('2. progress 2026-05-01 at $5.5B: in_progress, progress 0.25, follow-up 2026-08-01', () => {
    expect(at(2)).toMatchObject({
      status: 'in_progress',
      lastActivity: '2026-05-01',
      nextFollowUp: '2026-08-01',
    });
    expect(at(2).metric).toMatchObject({
      latest: { value: 5.5e9, asOf: '2026-05-01' },
      progress: 0.25,
    });
  });
  it('3. an older figure reported late changes neither latest nor lastActivity', () => {
    expect(at(3).metric).toEqual(at(2).metric);
    expect(at(3).nextFollowUp).toBe('2026-08-01');
  });
  it('4. stalled review 2026-09-10: stalled, follow-up 2026-12-10', () => {
    expect(at(4)).toMatchObject({ status: 'stalled', nextFollowUp: '2026-12-10' });
  });
  it('5. target raised to $12B: progress 0.1875', () => {
    expect(at(5).metric).toMatchObject({ target: 1.2e10, progress: 0.1875 });
  });
  it('6. deadline revised to the end of 2028', () => {
    expect(at(6).due?.latest).toBe('2028-12-31');
    expect(toView(at(6), '2028-12-01').timing).toBe('due_soon');
  });
  it('7. progress 2028-11-01: follow-up capped at the deadline; only a deadline item', () => {
    expect(at(7)).toMatchObject({ status: 'in_progress', nextFollowUp: '2028-12-31' });
    expect(at(7).metric?.progress).toBe(0.625);
    expect(upcomingAt(agendaItems(at(7)), '2028-12-01', untilDate('2028-12-01', 'P30D'))).toEqual([
      { commitmentId: 'uz-kz-trade-10b', item: 'deadline', date: '2028-12-31', daysUntil: 30 },
    ]);
    expect(toView(at(7), '2029-01-15').timing).toBe('overdue');
    expect(overdueAt(agendaItems(at(7)), '2029-01-15')).toEqual([
      { commitmentId: 'uz-kz-trade-10b', item: 'deadline', date: '2028-12-31', daysOverdue: 15 },
    ]);
  });
  it('8–9. outcomes close it; the latest outcome wins', () => {
    expect(at(8)).toMatchObject({ status: 'partially_fulfilled', nextFollowUp: null });
    expect(agendaItems(at(8))).toEqual([]);
    expect(toView(at(9), '2029-07-01')).toMatchObject({
      status: 'fulfilled',
      timing: 'closed',
      nextFollowUp: null,
      outcome: { outcome: 'fulfilled', decidedAt: '2029-06-01', note: 'Final customs statistics' },
      revision: 9,
    });
  });
});
