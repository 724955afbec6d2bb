/**
 * Issues 14 and 15 in the projection: one meaning of overdue (view's `overdue` and `next`), how a
 * commitment ended, the latest review's assessment and the status it sets, per-party scores.
 */
import { describe, expect, it } from 'vitest';
import {
  agendaItems,
  fold,
  isItemOverdue,
  isOverdue,
  nextItem,
  overdueAt,
  overdueItems,
  toView,
} from '../../../projections/index.js';
import type { EventData } from '../../../src/domain/events.js';
import {
  outcome,
  progress,
  review,
  stream,
  superseded,
  tradeRecorded,
  withdrawn,
  type Ev,
} from './fixtures.js';

const viewAt = (asOf: string, ...events: Ev[]) => {
  const s = fold(stream(...events));
  if (s === null) throw new Error('no state');
  return toView(s, asOf);
};

const assessed = (
  party: string,
  score: -1 | 0 | 1,
  phase: 'interim' | 'final',
  publishedAt: string,
): Ev => ({
  type: 'PartyAssessed',
  data: {
    party,
    score,
    phase,
    report: { name: `${phase} report`, publishedAt, periodEnd: publishedAt },
  } satisfies EventData<'PartyAssessed'>,
});

describe('one meaning of overdue', () => {
  // Deadline 2030-12-31; follow-up every 3 months from 2025-11-15 → 2026-02-15.
  it('a late follow-up is overdue even when the deadline is years away (timing stays the deadline)', () => {
    const v = viewAt('2026-04-17', tradeRecorded());
    expect(v.timing).toBe('on_schedule');
    expect(v.overdue).toEqual([{ item: 'follow_up', date: '2026-02-15', daysOverdue: 61 }]);
    expect(v.next).toEqual({ item: 'deadline', date: '2030-12-31', daysUntil: 1719 });
  });

  it('an item is not overdue on its own day, and nothing is overdue once the commitment is closed', () => {
    expect(viewAt('2026-02-15', tradeRecorded()).overdue).toEqual([]);
    expect(viewAt('2026-02-15', tradeRecorded()).next).toEqual({
      item: 'follow_up',
      date: '2026-02-15',
      daysUntil: 0,
    });
    const closed = viewAt('2031-06-01', tradeRecorded(), outcome('missed', '2026-01-01'));
    expect(closed.overdue).toEqual([]);
    expect(closed.next).toBeNull();
    expect(isItemOverdue('2026-01-01', 'missed', '2031-01-01')).toBe(false);
    expect(isItemOverdue('2026-01-01', 'at_risk', '2031-01-01')).toBe(true);
    expect(isItemOverdue('2026-01-01', 'open', '2026-01-01')).toBe(false);
  });

  it('both items overdue, oldest first, and the view agrees with the agenda list', () => {
    const events = [
      tradeRecorded({
        due: { text: null, edtf: '../2026-01-31', earliest: null, latest: '2026-01-31' },
      }),
    ];
    const s = fold(stream(...events));
    if (s === null) throw new Error('no state');
    // Follow-up is capped at the deadline, so one item only.
    expect(overdueItems(s, '2026-03-01')).toEqual([
      { item: 'deadline', date: '2026-01-31', daysOverdue: 29 },
    ]);
    const s2 = fold(stream(tradeRecorded(), progress('2025-12-01')));
    if (s2 === null) throw new Error('no state');
    const lateDeadline = { ...s2, due: { ...s2.due!, latest: '2026-02-01' } as typeof s2.due };
    expect(overdueItems(lateDeadline, '2026-06-01')).toEqual([
      { item: 'deadline', date: '2026-02-01', daysOverdue: 120 },
      { item: 'follow_up', date: '2026-03-01', daysOverdue: 92 },
    ]);
    for (const asOf of ['2025-12-01', '2026-02-15', '2026-02-16', '2031-01-01']) {
      const fromList = overdueAt(agendaItems(s2), asOf).map(({ item, date, daysOverdue }) => ({
        item,
        date,
        daysOverdue,
      }));
      expect(overdueItems(s2, asOf)).toEqual(fromList);
      expect(isOverdue(s2, asOf)).toBe(fromList.length > 0);
    }
    expect(nextItem(s2, '2031-01-01')).toBeNull();
  });

  it('a vague deadline makes no deadline item; follow-ups go by reviewEvery', () => {
    const v = viewAt(
      '2026-03-01',
      tradeRecorded({
        due: { text: 'soon', edtf: null, earliest: null, latest: null, vague: true },
      }),
    );
    expect(v.timing).toBe('no_deadline');
    expect(v.overdue).toEqual([{ item: 'follow_up', date: '2026-02-15', daysOverdue: 14 }]);
    expect(v.due).toMatchObject({ vague: true, latest: null });
  });
});

describe('how a commitment ended', () => {
  it('withdrawal: {at, reason}', () => {
    const v = viewAt('2026-06-01', tradeRecorded(), withdrawn('2026-05-01'));
    expect(v.withdrawal).toEqual({
      at: '2026-05-01',
      reason: 'Both governments dropped the target',
    });
    expect(v.supersession).toBeNull();
  });
  it('supersession: {by, at}', () => {
    const v = viewAt('2026-06-01', tradeRecorded(), superseded('uz-kz-trade-15b', '2026-05-02'));
    expect(v.supersession).toEqual({ by: 'uz-kz-trade-15b', at: '2026-05-02' });
    expect(v.withdrawal).toBeNull();
  });
});

describe('the latest review sets the assessment and the status', () => {
  it.each([
    ['on_track', 'in_progress'],
    ['at_risk', 'at_risk'],
    ['stalled', 'stalled'],
  ] as const)('%s → %s', (a, status) => {
    const v = viewAt('2026-06-01', tradeRecorded(), review('2026-03-01', a));
    expect(v.status).toBe(status);
    expect(v.assessment).toEqual({ value: a, at: '2026-03-01', note: null });
  });

  it('an older review recorded later changes neither', () => {
    const v = viewAt(
      '2026-06-01',
      tradeRecorded(),
      review('2026-03-01', 'at_risk'),
      review('2026-02-01', 'on_track'),
    );
    expect(v.status).toBe('at_risk');
    expect(v.assessment?.value).toBe('at_risk');
  });

  it('after an outcome the status stays the outcome; the assessment still shows', () => {
    const v = viewAt(
      '2026-06-01',
      tradeRecorded(),
      outcome('fulfilled', '2026-02-01'),
      review('2026-03-01', 'stalled'),
    );
    expect(v.status).toBe('fulfilled');
    expect(v.assessment?.value).toBe('stalled');
  });
});

describe('per-party assessments and compliance', () => {
  it('latest per party, final over interim; a later report of the same phase replaces the earlier', () => {
    const v = viewAt(
      '2026-06-01',
      tradeRecorded(),
      assessed('UZ', 1, 'interim', '2026-01-05'),
      assessed('KZ', 1, 'interim', '2026-01-05'),
      assessed('KZ', -1, 'final', '2026-03-05'),
      assessed('UZ', 0, 'interim', '2026-02-05'),
    );
    expect(v.assessments.map((a) => [a.party, a.score, a.phase])).toEqual([
      ['UZ', 0, 'interim'],
      ['KZ', -1, 'final'],
    ]);
    expect(v.compliance).toEqual({ average: -0.5, scored: 2, counts: { '-1': 1, '0': 1, '1': 0 } });
  });

  it('an interim report arriving after the final does not displace it', () => {
    const v = viewAt(
      '2026-06-01',
      tradeRecorded(),
      assessed('KZ', 1, 'final', '2026-03-05'),
      assessed('KZ', -1, 'interim', '2026-01-05'),
    );
    expect(v.assessments).toEqual([
      {
        party: 'KZ',
        score: 1,
        phase: 'final',
        report: { name: 'final report', publishedAt: '2026-03-05', periodEnd: '2026-03-05' },
      },
    ]);
  });

  it('assessments count on a closed commitment too', () => {
    const v = viewAt(
      '2026-06-01',
      tradeRecorded(),
      outcome('fulfilled', '2026-02-01'),
      assessed('UZ', 1, 'final', '2026-03-05'),
    );
    expect(v.compliance.average).toBe(1);
  });
});

describe('states saved before these fields existed (read model state_json)', () => {
  it('toView and evolve treat missing assessment fields as empty', async () => {
    const { evolveDomain } = await import('../../../projections/index.js');
    const s = fold(stream(tradeRecorded()));
    if (s === null) throw new Error('no state');
    const old = { ...s } as Partial<typeof s>;
    delete old.assessment;
    delete old.withdrawal;
    delete old.supersession;
    delete old.partyAssessments;
    const legacy = old as typeof s;
    const v = toView(legacy, '2026-01-01');
    expect([v.assessment, v.withdrawal, v.supersession, v.assessments]).toEqual([
      null,
      null,
      null,
      [],
    ]);
    const a = assessed('KZ', 1, 'final', '2026-01-05');
    const next = evolveDomain(legacy, a as never, {
      revision: 2,
      recordedAt: '2026-01-06T00:00:00.000Z',
    });
    expect(next && toView(next, '2026-01-10').compliance.average).toBe(1);
    const r = review('2026-01-05', 'at_risk');
    const reviewed = evolveDomain(legacy, r as never, {
      revision: 2,
      recordedAt: '2026-01-06T00:00:00.000Z',
    });
    expect(reviewed?.status).toBe('at_risk');
  });
});
