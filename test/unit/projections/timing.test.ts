import { describe, expect, it } from 'vitest';
import { daysBetween, isClosed, timingOf } from '../../../projections/timing.js';
import { fold } from '../../../projections/evolve.js';
import { toView } from '../../../projections/view.js';
import { deadlineRevised, outcome, stream, tradeRecorded } from './fixtures.js';

const due = (latest: string) => ({ text: null, edtf: `../${latest}`, earliest: null, latest });

describe('daysBetween', () => {
  it('counts whole calendar days, b − a', () => {
    expect(daysBetween('2026-03-01', '2026-03-31')).toBe(30);
    expect(daysBetween('2026-03-31', '2026-03-01')).toBe(-30);
    expect(daysBetween('2026-03-31', '2026-03-31')).toBe(0);
  });
  it('is not fooled by leap days or daylight-saving changes', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2025-11-15', '2030-12-31')).toBe(1872);
  });
  it('rejects a malformed date', () => {
    expect(() => daysBetween('2026-3-1', '2026-03-31')).toThrow(RangeError);
  });
});

describe('isClosed', () => {
  it.each([
    ['open', false],
    ['in_progress', false],
    ['stalled', false],
    ['fulfilled', true],
    ['partially_fulfilled', true],
    ['missed', true],
    ['withdrawn', true],
    ['superseded', true],
  ] as const)('%s → %s', (status, closed) => {
    expect(isClosed(status)).toBe(closed);
  });
});

describe('timingOf', () => {
  const open = { status: 'open' as const, due: due('2026-03-31') };

  it('exactly 30 days before due.latest → due_soon', () => {
    expect(timingOf(open, '2026-03-01')).toBe('due_soon');
  });
  it('31 days before → on_schedule', () => {
    expect(timingOf(open, '2026-02-28')).toBe('on_schedule');
  });
  it('due.latest == asOf → due_soon', () => {
    expect(timingOf(open, '2026-03-31')).toBe('due_soon');
  });
  it('the day after due.latest → overdue', () => {
    expect(timingOf(open, '2026-04-01')).toBe('overdue');
  });
  it('no deadline → no_deadline, whatever asOf', () => {
    expect(timingOf({ status: 'stalled', due: null }, '2099-01-01')).toBe('no_deadline');
  });
  it('a closed status → closed, even past the deadline or without one', () => {
    expect(timingOf({ status: 'missed', due: due('2026-03-31') }, '2027-01-01')).toBe('closed');
    expect(timingOf({ status: 'withdrawn', due: null }, '2027-01-01')).toBe('closed');
  });

  it('follows the view of the $10B target through the years', () => {
    const s = fold(stream(tradeRecorded()))!;
    expect(toView(s, '2025-11-16').timing).toBe('on_schedule');
    expect(toView(s, '2030-12-01').timing).toBe('due_soon');
    expect(toView(s, '2031-01-01').timing).toBe('overdue');
    const revised = fold(stream(tradeRecorded(), deadlineRevised('2032-12-31')))!;
    expect(toView(revised, '2031-01-01').timing).toBe('on_schedule');
    const done = fold(stream(tradeRecorded(), outcome('fulfilled', '2030-12-31')))!;
    expect(toView(done, '2031-01-01').timing).toBe('closed');
  });
});
