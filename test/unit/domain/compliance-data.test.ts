/**
 * Real expert-assessed commitments (G7/G20 Research Group compliance scores, copied from
 * shared/data/compliance-extract.json into bench/templates.json) run through the domain and the
 * projections: every deadline phrase in them is understood, and every assessment history can be
 * recorded as reviews and outcomes, including a final score that overturns an interim one.
 */
import { describe, expect, it } from 'vitest';
import { interpretDue } from '../../../src/domain/deadline.js';
import { addIsoDuration } from '../../../src/domain/duration.js';
import { decide, evolveDecision, initialDecisionState } from '../../../src/domain/decide.js';
import type { DomainEvent } from '../../../src/domain/events.js';
import { fold } from '../../../projections/index.js';
import rows from '../../../bench/templates.json' with { type: 'json' };

interface Row {
  sourceId: string;
  title: string;
  actor: string;
  madeAt: string;
  deadlineText: string | null;
  statusHistory: Array<{
    publishedStatus: string;
    report: string;
    at: string | null;
    asOf: string;
  }>;
}
const data = rows as Row[];

const REVIEW = { '+1': 'on_track', '0': 'at_risk', '-1': 'stalled' } as const;
const OUTCOME = { '+1': 'fulfilled', '0': 'partially_fulfilled', '-1': 'missed' } as const;
type Score = keyof typeof REVIEW;

/** Decide a row's whole history; return the events (throws if any command is refused). */
function record(row: Row, i: number): DomainEvent[] {
  const id = `c-${i.toString().padStart(4, '0')}`;
  let state = initialDecisionState;
  const all: DomainEvent[] = [];
  const run = (cmd: Parameters<typeof decide>[1], today: string) => {
    for (const e of decide(state, cmd, { today })) {
      state = evolveDecision(state, e);
      all.push(e);
    }
  };
  run(
    {
      type: 'RecordCommitment',
      body: {
        id,
        title: row.title,
        kind: 'other',
        parties: [row.actor],
        statement: { quote: row.title, madeAt: row.madeAt },
        source: { publisher: 'G7/G20 Research Group', publishedAt: row.madeAt },
        ...(row.deadlineText ? { due: { text: row.deadlineText } } : {}),
      },
    },
    row.madeAt,
  );
  for (const h of row.statusHistory) {
    const score = h.publishedStatus as Score;
    // G7 rows carry no dates: their final reports come out before the next summit, a year on.
    const date = h.at ?? h.asOf ?? addIsoDuration(row.madeAt, 'P1Y');
    if (/interim/i.test(h.report)) {
      run(
        {
          type: 'RecordReview',
          body: { reviewedAt: h.asOf, assessment: REVIEW[score], note: h.report },
        },
        date,
      );
    } else {
      run(
        {
          type: 'RecordOutcome',
          body: { outcome: OUTCOME[score], decidedAt: date, note: h.report },
        },
        date,
      );
    }
  }
  return all;
}

const envelopes = (events: DomainEvent[]) =>
  events.map((e, i) => ({
    type: e.type,
    data: e.data,
    revision: i + 1,
    recordedAt: '2026-01-01T00:00:00.000Z',
  }));

describe('real G7/G20 compliance data', () => {
  it('has the 200 scored rows the README describes', () => {
    expect(data).toHaveLength(200);
    expect(data.filter((r) => r.sourceId.startsWith('g20rg:'))).toHaveLength(143);
  });

  it('understands every deadline phrase in the G7 commitments', () => {
    const phrases = data.filter((r) => r.deadlineText !== null);
    expect(phrases.length).toBeGreaterThan(0);
    for (const r of phrases) {
      const due = interpretDue({ text: r.deadlineText as string }, r.madeAt);
      expect(due.latest >= r.madeAt.slice(0, 4)).toBe(true);
    }
    expect(interpretDue({ text: 'no later than January 31, 2005' }, '2004-06-10')).toEqual({
      text: 'no later than January 31, 2005',
      edtf: '../2005-01-31',
      earliest: null,
      latest: '2005-01-31',
      anchor: '2004-06-10',
    });
  });

  it('records every assessment history, the latest final score deciding the status', () => {
    data.forEach((row, i) => {
      const state = fold(envelopes(record(row, i)));
      const last = row.statusHistory[row.statusHistory.length - 1];
      const finals = row.statusHistory.filter((h) => !/interim/i.test(h.report));
      if (finals.length > 0) {
        const final = finals[finals.length - 1] as (typeof finals)[number];
        expect(state?.status).toBe(OUTCOME[final.publishedStatus as Score]);
        expect(state?.nextFollowUp).toBeNull();
      } else if (last) {
        expect(state?.status).toBe(
          REVIEW[last.publishedStatus as Score] === 'stalled' ? 'stalled' : 'in_progress',
        );
      }
    });
  });

  it('lets a final score overturn the interim one (+1 then −1)', () => {
    const i = data.findIndex(
      (r) =>
        r.statusHistory[0]?.publishedStatus === '+1' &&
        r.statusHistory[1]?.publishedStatus === '-1',
    );
    expect(i).toBeGreaterThanOrEqual(0);
    const state = fold(envelopes(record(data[i] as Row, i)));
    expect(state?.status).toBe('missed');
  });
});
