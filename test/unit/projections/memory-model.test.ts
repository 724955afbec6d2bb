import { describe, expect, it } from 'vitest';
import { InMemoryModel, type StoredEventLike } from '../../../projections/memory-model.js';
import {
  outcome,
  progress,
  review,
  stream,
  tradeRecorded,
  withdrawn,
  type Ev,
} from './fixtures.js';

/** Stored events of several streams, in one global order. */
function log(entries: Array<[string, Ev, string]>): StoredEventLike[] {
  const revisions = new Map<string, number>();
  return entries.map(([id, ev, recordedAt], i) => {
    const revision = (revisions.get(id) ?? 0) + 1;
    revisions.set(id, revision);
    return {
      position: (i + 1) * 10,
      stream: `commitment-${id}`,
      revision,
      type: ev.type,
      data: ev.data,
      metadata: { recordedAt, schemaVersion: 1 },
    };
  });
}

const rail = (madeAt: string, latest: string) =>
  tradeRecorded({
    id: 'kz-uz-rail-link',
    title: 'Open the Darbaza–Maktaaral rail link',
    kind: 'project',
    metric: null,
    statement: { quote: 'The railway will be completed by the end of 2026', madeAt },
    due: { text: 'by the end of 2026', edtf: '../2026', earliest: null, latest },
    reviewEvery: 'P6M',
  });

const events = log([
  ['uz-kz-trade-10b', tradeRecorded(), '2025-11-16T09:00:00.000Z'],
  ['kz-uz-rail-link', rail('2025-06-01', '2026-12-31'), '2025-11-17T09:00:00.000Z'],
  ['uz-kz-trade-10b', progress('2026-05-01', 5.5e9), '2026-05-03T09:00:00.000Z'],
  ['kz-uz-rail-link', review('2026-04-01', 'at_risk'), '2026-05-04T09:00:00.000Z'],
  ['uz-kz-trade-10b', outcome('fulfilled', '2026-05-05'), '2026-05-05T09:00:00.000Z'],
]);

describe('InMemoryModel', () => {
  it('folds stored events by stream and answers get and all (sorted by id)', () => {
    const m = new InMemoryModel();
    for (const e of events) m.applyStored(e);
    expect(m.all().map((s) => s.id)).toEqual(['kz-uz-rail-link', 'uz-kz-trade-10b']);
    expect(m.get('uz-kz-trade-10b')?.status).toBe('fulfilled');
    expect(m.get('kz-uz-rail-link')).toMatchObject({
      status: 'at_risk',
      revision: 2,
      nextFollowUp: '2026-10-01',
    });
    expect(m.get('nope')).toBeNull();
    expect(m.size).toBe(2);
    expect(m.events).toBe(5);
    expect(m.position).toBe(50);
  });

  it('replays the tracker as known at an instant: only events recorded up to then', () => {
    const m = new InMemoryModel();
    for (const e of events)
      if (e.metadata.recordedAt <= '2026-05-04T12:00:00.000Z') m.applyStored(e);
    expect(m.get('uz-kz-trade-10b')?.status).toBe('in_progress');
    expect(m.views('2026-06-01').map((v) => [v.id, v.status, v.timing])).toEqual([
      ['kz-uz-rail-link', 'at_risk', 'on_schedule'],
      ['uz-kz-trade-10b', 'in_progress', 'on_schedule'],
    ]);
  });

  it('answers overdue and upcoming across commitments, closed ones excluded', () => {
    const m = new InMemoryModel();
    for (const e of events) m.applyStored(e);
    expect(m.upcoming('2026-06-01', '2026-12-31')).toEqual([
      { commitmentId: 'kz-uz-rail-link', item: 'follow_up', date: '2026-10-01', daysUntil: 122 },
      { commitmentId: 'kz-uz-rail-link', item: 'deadline', date: '2026-12-31', daysUntil: 213 },
    ]);
    expect(m.overdue('2027-01-01')).toEqual([
      { commitmentId: 'kz-uz-rail-link', item: 'follow_up', date: '2026-10-01', daysOverdue: 92 },
      { commitmentId: 'kz-uz-rail-link', item: 'deadline', date: '2026-12-31', daysOverdue: 1 },
    ]);
  });

  it('keeps a stream with no CommitmentRecorded out of the model', () => {
    const m = new InMemoryModel();
    const [p] = stream(progress('2026-05-01', 5e9));
    expect(m.apply('commitment-ghost', p!)).toBeNull();
    expect(m.all()).toEqual([]);
    expect(m.events).toBe(1);
  });

  it('apply by commitment id works the same as by stream name', () => {
    const a = new InMemoryModel();
    const b = new InMemoryModel();
    for (const e of stream(tradeRecorded(), withdrawn('2026-07-01'))) {
      a.apply('uz-kz-trade-10b', e);
      b.apply('commitment-uz-kz-trade-10b', e);
    }
    expect(a.all()).toEqual(b.all());
    expect(a.get('uz-kz-trade-10b')?.status).toBe('withdrawn');
  });
});
