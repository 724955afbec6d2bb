import { describe, expect, it } from 'vitest';
import { evolve, fold } from '../../../projections/evolve.js';
import { agendaItems } from '../../../projections/agenda.js';
import type { CommitmentState } from '../../../projections/types.js';
import { toView } from '../../../projections/view.js';
import {
  corrected,
  deadlineRevised,
  outcome,
  progress,
  review,
  sourceAdded,
  stream,
  superseded,
  targetRevised,
  tradeRecorded,
  withdrawn,
  xinhua,
  type Ev,
} from './fixtures.js';

const ASOF = '2026-06-01';

/** Fold the events (as one stream) and return the view at asOf. */
function viewAfter(events: Ev[], asOf = ASOF) {
  const state = fold(stream(...events));
  if (state === null) throw new Error('expected a recorded commitment');
  return toView(state, asOf);
}
function stateAfter(events: Ev[]): CommitmentState {
  const state = fold(stream(...events));
  if (state === null) throw new Error('expected a recorded commitment');
  return state;
}

describe('CommitmentRecorded', () => {
  it('gives an open commitment with the record as it was made', () => {
    const v = viewAfter([tradeRecorded()], '2025-11-16');
    expect(v).toEqual({
      id: 'uz-kz-trade-10b',
      title: 'Raise Uzbekistan-Kazakhstan trade turnover to $10 billion',
      kind: 'target',
      parties: ['UZ', 'KZ'],
      tags: ['trade'],
      status: 'open',
      timing: 'on_schedule',
      due: { text: 'by 2030', edtf: '../2030', earliest: null, latest: '2030-12-31' },
      nextFollowUp: '2026-02-15',
      metric: {
        name: 'trade turnover',
        unit: 'USD',
        baseline: { value: 4e9, asOf: '2025-11-15' },
        target: 1e10,
        latest: null,
        progress: null,
      },
      statement: {
        quote: 'The goal is to increase this figure to $10 billion',
        madeAt: '2025-11-15',
        madeBy: ['Shavkat Mirziyoyev'],
        language: 'en',
      },
      sources: [xinhua],
      outcome: null,
      supersededBy: null,
      assessment: null,
      withdrawal: null,
      supersession: null,
      assessments: [],
      compliance: { average: null, scored: 0, counts: { '-1': 0, '0': 0, '1': 0 } },
      overdue: [],
      next: { item: 'follow_up', date: '2026-02-15', daysUntil: 91 },
      revision: 1,
      recordedAt: '2025-11-16T09:00:00.000Z',
      updatedAt: '2025-11-16T09:00:00.000Z',
    });
  });

  it('leaves the state null for events that come before the record', () => {
    const [p] = stream(progress('2026-05-01', 5e9));
    expect(evolve(null, p!)).toBeNull();
    expect(
      fold(stream(review('2026-01-01', 'on_track'), sourceAdded('Kun.uz', '2026-01-02'))),
    ).toBeNull();
    expect(fold([])).toBeNull();
  });

  it('counts but ignores a second CommitmentRecorded on the same stream', () => {
    const s = stateAfter([tradeRecorded(), tradeRecorded({ title: 'Something else entirely' })]);
    expect(s.title).toBe('Raise Uzbekistan-Kazakhstan trade turnover to $10 billion');
    expect(s.revision).toBe(2);
  });
});

describe('status', () => {
  it('ProgressReported → in_progress', () => {
    expect(viewAfter([tradeRecorded(), progress('2026-05-01', 5.5e9)]).status).toBe('in_progress');
  });

  it('ProgressReported without a value → in_progress too', () => {
    expect(viewAfter([tradeRecorded(), progress('2026-05-01')]).status).toBe('in_progress');
  });

  it.each([
    ['on_track', 'in_progress'],
    ['at_risk', 'at_risk'],
    ['stalled', 'stalled'],
  ] as const)('ReviewRecorded %s → %s', (assessment, status) => {
    expect(viewAfter([tradeRecorded(), review('2026-03-01', assessment)]).status).toBe(status);
  });

  it('progress after a stalled review → in_progress again', () => {
    const v = viewAfter([
      tradeRecorded(),
      review('2026-03-01', 'stalled'),
      progress('2026-05-01', 5e9),
    ]);
    expect(v.status).toBe('in_progress');
  });

  it('an on_track review after a stalled one → in_progress', () => {
    const v = viewAfter([
      tradeRecorded(),
      review('2026-03-01', 'stalled'),
      review('2026-04-01', 'on_track'),
    ]);
    expect(v.status).toBe('in_progress');
  });

  it.each(['fulfilled', 'partially_fulfilled', 'missed'] as const)(
    'OutcomeRecorded %s → %s, closed',
    (o) => {
      const v = viewAfter(
        [tradeRecorded(), progress('2026-05-01', 5e9), outcome(o, '2030-12-31', 'Customs data')],
        '2031-01-10',
      );
      expect(v.status).toBe(o);
      expect(v.timing).toBe('closed');
      expect(v.nextFollowUp).toBeNull();
      expect(v.outcome).toEqual({ outcome: o, decidedAt: '2030-12-31', note: 'Customs data' });
    },
  );

  it('an outcome without a note has note null', () => {
    expect(viewAfter([tradeRecorded(), outcome('missed', '2031-01-05')]).outcome).toEqual({
      outcome: 'missed',
      decidedAt: '2031-01-05',
      note: null,
    });
  });

  it('progress and reviews after an outcome do not change the outcome status', () => {
    const s = stateAfter([
      tradeRecorded(),
      outcome('partially_fulfilled', '2030-12-31'),
      progress('2031-02-01', 9.1e9),
      review('2031-03-01', 'stalled'),
      review('2031-04-01', 'on_track'),
    ]);
    expect(s.status).toBe('partially_fulfilled');
    expect(s.nextFollowUp).toBeNull();
    // …but the observation still counts for the metric and for lastActivity.
    expect(s.metric?.latest).toEqual({ value: 9.1e9, asOf: '2031-02-01' });
    expect(s.lastActivity).toBe('2031-04-01');
  });

  it('a re-recorded outcome: the latest one wins', () => {
    const v = viewAfter([
      tradeRecorded(),
      outcome('missed', '2031-01-15', 'Preliminary figures'),
      outcome('fulfilled', '2031-03-01', 'Final customs statistics'),
    ]);
    expect(v.status).toBe('fulfilled');
    expect(v.outcome).toEqual({
      outcome: 'fulfilled',
      decidedAt: '2031-03-01',
      note: 'Final customs statistics',
    });
  });

  it('CommitmentWithdrawn → withdrawn: closed, no follow-up, no agenda items', () => {
    const s = stateAfter([tradeRecorded(), progress('2026-05-01', 5e9), withdrawn('2026-07-01')]);
    expect(s.status).toBe('withdrawn');
    expect(s.nextFollowUp).toBeNull();
    expect(agendaItems(s)).toEqual([]);
    expect(toView(s, '2031-06-01').timing).toBe('closed');
  });

  it('CommitmentSuperseded → superseded with supersededBy: closed, no follow-up, no agenda items', () => {
    const s = stateAfter([tradeRecorded(), superseded('uz-kz-trade-15b', '2027-01-20')]);
    expect(s.status).toBe('superseded');
    expect(s.supersededBy).toBe('uz-kz-trade-15b');
    expect(s.nextFollowUp).toBeNull();
    expect(agendaItems(s)).toEqual([]);
    expect(toView(s, ASOF).timing).toBe('closed');
  });

  it('an outcome can still be withdrawn later; the outcome stays on record', () => {
    const v = viewAfter([
      tradeRecorded(),
      outcome('missed', '2031-01-15'),
      withdrawn('2031-02-01'),
    ]);
    expect(v.status).toBe('withdrawn');
    expect(v.outcome?.outcome).toBe('missed');
  });

  it('after a withdrawal, only sources and corrections apply; other events are counted but ignored', () => {
    const s = stateAfter([
      tradeRecorded(),
      withdrawn('2026-07-01'),
      outcome('fulfilled', '2026-08-01'),
      progress('2026-08-02', 7e9),
      review('2026-08-03', 'on_track'),
      deadlineRevised('2027-12-31'),
      targetRevised(2e10),
      superseded('uz-kz-trade-15b', '2026-09-01'),
      sourceAdded('Kun.uz', '2026-09-02'),
      corrected({ title: 'Raise UZ-KZ trade turnover to $10 billion' }),
    ]);
    expect(s.status).toBe('withdrawn');
    expect(s.outcome).toBeNull();
    expect(s.supersededBy).toBeNull();
    expect(s.metric?.latest).toBeNull();
    expect(s.metric?.target).toBe(1e10);
    expect(s.due?.latest).toBe('2030-12-31');
    expect(s.lastActivity).toBe('2025-11-15');
    expect(s.nextFollowUp).toBeNull();
    expect(s.sources.map((x) => x.publisher)).toEqual(['Xinhua', 'Kun.uz']);
    expect(s.title).toBe('Raise UZ-KZ trade turnover to $10 billion');
    expect(s.revision).toBe(10);
    expect(s.updatedAt).toBe('2025-11-25T09:00:00.000Z');
  });

  it('after a supersession, a withdrawal does not change the status', () => {
    const s = stateAfter([
      tradeRecorded(),
      superseded('uz-kz-trade-15b', '2027-01-20'),
      withdrawn('2027-02-01'),
    ]);
    expect(s.status).toBe('superseded');
    expect(s.supersededBy).toBe('uz-kz-trade-15b');
  });
});

describe('deadline', () => {
  it('DeadlineRevised replaces due; the latest revision wins', () => {
    const v = viewAfter([
      tradeRecorded(),
      deadlineRevised('2032-12-31', 'by 2032'),
      deadlineRevised('2029-12-31'),
    ]);
    expect(v.due).toEqual({
      text: null,
      edtf: '../2029-12-31',
      earliest: null,
      latest: '2029-12-31',
    });
  });

  it('a revised deadline moves timing and the follow-up cap', () => {
    const before = viewAfter([tradeRecorded()], '2026-02-01');
    expect(before.timing).toBe('on_schedule');
    expect(before.nextFollowUp).toBe('2026-02-15');
    const after = viewAfter([tradeRecorded(), deadlineRevised('2026-01-31')], '2026-02-01');
    expect(after.timing).toBe('overdue');
    expect(after.nextFollowUp).toBe('2026-01-31');
  });

  it('a commitment without a deadline has timing no_deadline and follow-ups from reviewEvery alone', () => {
    const v = viewAfter([tradeRecorded({ due: null }), progress('2026-05-01', 5e9)]);
    expect(v.due).toBeNull();
    expect(v.timing).toBe('no_deadline');
    expect(v.nextFollowUp).toBe('2026-08-01');
  });
});

describe('metric', () => {
  it('progress = (latest − baseline) / (target − baseline)', () => {
    const v = viewAfter([tradeRecorded(), progress('2026-05-01', 5.5e9)]);
    expect(v.metric?.latest).toEqual({ value: 5.5e9, asOf: '2026-05-01' });
    expect(v.metric?.progress).toBe(0.25);
  });

  it('TargetRevised changes the target and recomputes progress', () => {
    const v = viewAfter([tradeRecorded(), progress('2026-05-01', 5.5e9), targetRevised(1.2e10)]);
    expect(v.metric?.target).toBe(1.2e10);
    expect(v.metric?.progress).toBe(0.1875);
  });

  it('TargetRevised before any observation keeps progress null', () => {
    const v = viewAfter([tradeRecorded(), targetRevised(1.2e10)]);
    expect(v.metric).toMatchObject({ target: 1.2e10, latest: null, progress: null });
  });

  it('progress may be below 0', () => {
    const v = viewAfter([tradeRecorded(), progress('2026-05-01', 3e9)]);
    expect(v.metric?.progress).toBeCloseTo(-1 / 6, 12);
  });

  it('progress may be above 1', () => {
    const v = viewAfter([tradeRecorded(), progress('2030-06-30', 1.3e10)]);
    expect(v.metric?.progress).toBe(1.5);
  });

  it('progress is null without a baseline', () => {
    const rec = tradeRecorded({
      metric: { name: 'trade turnover', unit: 'USD', baseline: null, target: 1e10 },
    });
    const v = viewAfter([rec, progress('2026-05-01', 5.5e9)]);
    expect(v.metric?.latest).toEqual({ value: 5.5e9, asOf: '2026-05-01' });
    expect(v.metric?.progress).toBeNull();
  });

  it('progress is null when the target equals the baseline', () => {
    const v = viewAfter([tradeRecorded(), targetRevised(4e9), progress('2026-05-01', 5e9)]);
    expect(v.metric?.progress).toBeNull();
  });

  it('latest is the observation with the greatest asOf, even when reported out of order', () => {
    const v = viewAfter([
      tradeRecorded(),
      progress('2026-12-31', 6.1e9),
      progress('2026-06-30', 5.2e9),
    ]);
    expect(v.metric?.latest).toEqual({ value: 6.1e9, asOf: '2026-12-31' });
    expect(v.metric?.progress).toBeCloseTo(2.1 / 6, 12);
  });

  it('on a tie in asOf, the later event wins', () => {
    const v = viewAfter([
      tradeRecorded(),
      progress('2026-06-30', 5.2e9),
      progress('2026-06-30', 5.8e9),
    ]);
    expect(v.metric?.latest).toEqual({ value: 5.8e9, asOf: '2026-06-30' });
    expect(v.metric?.progress).toBeCloseTo(0.3, 12);
  });

  it('progress without a value leaves the metric alone', () => {
    const v = viewAfter([tradeRecorded(), progress('2026-05-01', 5.5e9), progress('2026-07-01')]);
    expect(v.metric?.latest).toEqual({ value: 5.5e9, asOf: '2026-05-01' });
  });

  it('a commitment without a metric has metric null, and a stray value is ignored', () => {
    const v = viewAfter([
      tradeRecorded({ metric: null }),
      progress('2026-05-01', 5e9),
      targetRevised(2e10),
    ]);
    expect(v.metric).toBeNull();
    expect(v.status).toBe('in_progress');
  });
});

describe('follow-ups', () => {
  it('lastActivity + reviewEvery: recorded 2025-11-15, P3M → 2026-02-15', () => {
    expect(stateAfter([tradeRecorded()])).toMatchObject({
      lastActivity: '2025-11-15',
      nextFollowUp: '2026-02-15',
    });
  });

  it('lastActivity is the greatest of madeAt, progress asOf and reviewedAt, not the last reported', () => {
    const s = stateAfter([
      tradeRecorded(),
      review('2026-09-10', 'on_track'),
      progress('2026-05-01', 5.5e9),
    ]);
    expect(s.lastActivity).toBe('2026-09-10');
    expect(s.nextFollowUp).toBe('2026-12-10');
  });

  it('month-end arithmetic: madeAt 2026-01-31 + P1M → 2026-02-28', () => {
    const rec = tradeRecorded({
      statement: { quote: 'We will meet next month', madeAt: '2026-01-31' },
      reviewEvery: 'P1M',
    });
    expect(viewAfter([rec]).nextFollowUp).toBe('2026-02-28');
  });

  it('month-end arithmetic in a leap year: 2028-01-31 + P1M → 2028-02-29', () => {
    const s = stateAfter([tradeRecorded({ reviewEvery: 'P1M' }), progress('2028-01-31', 7e9)]);
    expect(s.nextFollowUp).toBe('2028-02-29');
  });

  it('nextFollowUp is capped by due.latest', () => {
    const s = stateAfter([tradeRecorded(), progress('2030-11-01', 9.5e9)]);
    expect(s.nextFollowUp).toBe('2030-12-31');
  });

  it('a passed deadline with no outcome keeps nextFollowUp = due.latest', () => {
    const s = stateAfter([
      tradeRecorded(),
      deadlineRevised('2026-03-31'),
      progress('2026-03-15', 5e9),
      review('2026-08-01', 'at_risk'),
    ]);
    expect(s.nextFollowUp).toBe('2026-03-31');
    expect(toView(s, '2026-09-01').timing).toBe('overdue');
  });

  it('an outcome ends the follow-ups; the agenda becomes empty', () => {
    const s = stateAfter([
      tradeRecorded(),
      deadlineRevised('2026-03-31'),
      outcome('missed', '2026-04-10'),
    ]);
    expect(s.nextFollowUp).toBeNull();
    expect(agendaItems(s)).toEqual([]);
  });
});

describe('sources and corrections', () => {
  it('sources: the record source first, then each SourceAdded in order', () => {
    const v = viewAfter([
      tradeRecorded(),
      progress('2026-05-01', 5e9),
      sourceAdded('Kazinform', '2025-11-16'),
      sourceAdded('Gazeta.uz', '2025-11-17'),
    ]);
    expect(v.sources).toEqual([
      xinhua,
      { publisher: 'Kazinform', publishedAt: '2025-11-16' },
      { publisher: 'Gazeta.uz', publishedAt: '2025-11-17' },
    ]);
  });

  it('RecordCorrected applies title, kind, parties, tags and statement, and leaves the rest', () => {
    const statement = {
      quote: 'The goal is to bring this figure to $10 billion',
      madeAt: '2025-11-15',
      language: 'en',
    };
    const v = viewAfter([
      tradeRecorded(),
      progress('2026-05-01', 5.5e9),
      corrected({
        title: 'UZ-KZ trade to $10B',
        kind: 'agreement',
        parties: ['UZ', 'KZ', 'Eurasian Development Bank'],
        tags: ['trade', 'economy'],
        statement,
      }),
    ]);
    expect(v).toMatchObject({
      title: 'UZ-KZ trade to $10B',
      kind: 'agreement',
      parties: ['UZ', 'KZ', 'Eurasian Development Bank'],
      tags: ['trade', 'economy'],
      statement,
      status: 'in_progress',
      nextFollowUp: '2026-08-01',
    });
    expect(v.metric?.progress).toBe(0.25);
  });

  it('a correction of only the title keeps the other fields', () => {
    const v = viewAfter([tradeRecorded(), corrected({ title: 'UZ-KZ trade to $10B' })]);
    expect(v.kind).toBe('target');
    expect(v.parties).toEqual(['UZ', 'KZ']);
  });

  it('correcting statement.madeAt later recomputes lastActivity and nextFollowUp', () => {
    const s = stateAfter([
      tradeRecorded(),
      progress('2026-01-10', 4.5e9),
      corrected({
        statement: {
          quote: 'The goal is to increase this figure to $10 billion',
          madeAt: '2026-03-01',
        },
      }),
    ]);
    expect(s.lastActivity).toBe('2026-03-01');
    expect(s.nextFollowUp).toBe('2026-06-01');
  });

  it('correcting statement.madeAt earlier falls back to the latest progress or review', () => {
    const s = stateAfter([
      tradeRecorded({ statement: { quote: 'The goal is $10 billion', madeAt: '2026-03-01' } }),
      progress('2026-01-10', 4.5e9),
      corrected({ statement: { quote: 'The goal is $10 billion', madeAt: '2025-11-15' } }),
    ]);
    expect(s.lastActivity).toBe('2026-01-10');
    expect(s.nextFollowUp).toBe('2026-04-10');
  });
});

describe('bookkeeping', () => {
  it('revision follows the envelope; recordedAt is the first event, updatedAt the latest', () => {
    const v = viewAfter([
      tradeRecorded(),
      progress('2026-05-01', 5e9),
      sourceAdded('Kazinform', '2026-05-02'),
    ]);
    expect(v.revision).toBe(3);
    expect(v.recordedAt).toBe('2025-11-16T09:00:00.000Z');
    expect(v.updatedAt).toBe('2025-11-18T09:00:00.000Z');
  });

  it('evolve does not mutate its input state', () => {
    const events = stream(
      tradeRecorded(),
      progress('2026-05-01', 5.5e9),
      sourceAdded('Kazinform', '2026-05-02'),
    );
    const s1 = fold(events.slice(0, 1));
    const snapshot = structuredClone(s1);
    let s = s1;
    for (const e of events.slice(1)) s = evolve(s, e);
    expect(s1).toEqual(snapshot);
    expect(s?.sources).toHaveLength(2);
  });

  it('parses stored data with the schemas: invalid data and unknown types throw', () => {
    const s = fold(stream(tradeRecorded()));
    expect(() =>
      evolve(s, {
        type: 'ProgressReported',
        data: { asOf: '2026-02-30' },
        revision: 2,
        recordedAt: '2026-03-01T00:00:00.000Z',
      }),
    ).toThrow();
    expect(() =>
      evolve(s, {
        type: 'Nonsense',
        data: {},
        revision: 2,
        recordedAt: '2026-03-01T00:00:00.000Z',
      }),
    ).toThrow(/unknown event type/);
  });

  it('stored data is normalised by the schemas (party codes upper-cased)', () => {
    const [rec] = stream(tradeRecorded());
    const data = { ...(rec!.data as object), parties: ['uz', 'kz'] };
    expect(evolve(null, { ...rec!, data })?.parties).toEqual(['UZ', 'KZ']);
  });
});
