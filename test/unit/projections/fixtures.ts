/**
 * Realistic events for projection tests: the Uzbekistan–Kazakhstan $10B trade target.
 * `stream(...)` numbers the revisions and gives each event a recordedAt one day after the last.
 */
import type { EventData, EventType } from '../../../src/domain/events.js';
import type { EventEnvelope } from '../../../projections/types.js';

export type Ev = { [K in EventType]: { type: K; data: EventData<K> } }[EventType];

export const xinhua = {
  publisher: 'Xinhua',
  title: 'Uzbekistan, Kazakhstan aim to raise trade to 10 bln USD',
  url: 'https://english.news.cn/20251115/uz-kz-trade.html',
  publishedAt: '2025-11-15',
};

export const tradeRecorded = (overrides: Partial<EventData<'CommitmentRecorded'>> = {}): Ev => ({
  type: 'CommitmentRecorded',
  data: {
    id: 'uz-kz-trade-10b',
    title: 'Raise Uzbekistan-Kazakhstan trade turnover to $10 billion',
    kind: 'target',
    parties: ['UZ', 'KZ'],
    statement: {
      quote: 'The goal is to increase this figure to $10 billion',
      madeAt: '2025-11-15',
      madeBy: ['Shavkat Mirziyoyev'],
      language: 'en',
    },
    source: xinhua,
    metric: {
      name: 'trade turnover',
      unit: 'USD',
      baseline: { value: 4e9, asOf: '2025-11-15' },
      target: 1e10,
    },
    due: { text: 'by 2030', edtf: '../2030', earliest: null, latest: '2030-12-31' },
    reviewEvery: 'P3M',
    tags: ['trade'],
    ...overrides,
  },
});

export const progress = (asOf: string, value?: number): Ev => ({
  type: 'ProgressReported',
  data: value === undefined ? { asOf } : { asOf, value },
});
export const review = (reviewedAt: string, assessment: 'on_track' | 'at_risk' | 'stalled'): Ev => ({
  type: 'ReviewRecorded',
  data: { reviewedAt, assessment },
});
export const outcome = (
  o: 'fulfilled' | 'partially_fulfilled' | 'missed',
  decidedAt: string,
  note?: string,
): Ev => ({
  type: 'OutcomeRecorded',
  data: note === undefined ? { outcome: o, decidedAt } : { outcome: o, decidedAt, note },
});
export const withdrawn = (at: string): Ev => ({
  type: 'CommitmentWithdrawn',
  data: { at, reason: 'Both governments dropped the target' },
});
export const superseded = (by: string, at: string): Ev => ({
  type: 'CommitmentSuperseded',
  data: { by, at, reason: 'Replaced by a $15B target' },
});
export const deadlineRevised = (latest: string, text: string | null = null): Ev => ({
  type: 'DeadlineRevised',
  data: {
    due: { text, edtf: `../${latest}`, earliest: null, latest },
    reason: 'Announced at the 2026 summit',
  },
});
export const targetRevised = (target: number): Ev => ({
  type: 'TargetRevised',
  data: { target, reason: 'Raised at the intergovernmental commission' },
});
export const sourceAdded = (publisher: string, publishedAt: string): Ev => ({
  type: 'SourceAdded',
  data: { source: { publisher, publishedAt } },
});
export const corrected = (fields: EventData<'RecordCorrected'>['fields']): Ev => ({
  type: 'RecordCorrected',
  data: { fields, reason: 'Transcription error' },
});

/** Envelopes with revisions 1..n and recordedAt on consecutive days from 2025-11-16. */
export function stream(...events: Ev[]): EventEnvelope[] {
  return events.map((e, i) => ({
    type: e.type,
    data: e.data,
    revision: i + 1,
    recordedAt: new Date(Date.UTC(2025, 10, 16 + i, 9, 0, 0)).toISOString(),
  }));
}
