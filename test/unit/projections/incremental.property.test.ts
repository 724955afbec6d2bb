/**
 * Property: an incremental projection (events applied one by one to InMemoryModel, streams
 * interleaved in a global order) equals a full rebuild (each stream folded from scratch);
 * and toView is a pure function of (state, asOf).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../../../projections/evolve.js';
import { InMemoryModel } from '../../../projections/memory-model.js';
import type { CommitmentState, EventEnvelope } from '../../../projections/types.js';
import { toView } from '../../../projections/view.js';
import type { Ev } from './fixtures.js';

const IDS = [
  'uz-kz-trade-10b',
  'kz-uz-rail-link',
  'aral-water-deal',
  'caspian-summit-2026',
] as const;

const DAY0 = Date.UTC(2024, 0, 1) / 86_400_000;
const date = fc
  .integer({ min: 0, max: 12 * 366 })
  .map((n) => new Date((DAY0 + n) * 86_400_000).toISOString().slice(0, 10));
const amount = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((n) => n * 1e9),
  fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }),
);
const source = fc.record({
  publisher: fc.constantFrom('Xinhua', 'Kazinform', 'Gazeta.uz', 'Reuters'),
  publishedAt: date,
});
const due = fc.option(
  fc.tuple(date, fc.option(fc.constant('by 2030'))).map(([latest, text]) => ({
    text,
    edtf: `../${latest}`,
    earliest: null,
    latest,
  })),
);
const statement = fc.record({
  quote: fc.constantFrom(
    'The goal is to increase this figure to $10 billion',
    'We agreed to meet again next year',
  ),
  madeAt: date,
});
const tags = fc.uniqueArray(fc.constantFrom('trade', 'transport', 'water', 'energy'), {
  maxLength: 3,
});
const parties = fc.uniqueArray(fc.constantFrom('UZ', 'KZ', 'TM', 'KG', 'World Bank'), {
  minLength: 1,
  maxLength: 3,
});
const kind = fc.constantFrom(
  'target',
  'meeting',
  'agreement',
  'proposal',
  'project',
  'other' as const,
);

const recorded = (id: string): fc.Arbitrary<Ev> =>
  fc
    .record({
      title: fc.constantFrom(
        'Raise trade turnover to $10 billion',
        'Open the rail link',
        'Share Aral basin water',
      ),
      kind,
      parties,
      statement,
      source,
      metric: fc.option(
        fc.record({
          name: fc.constant('trade turnover'),
          unit: fc.constant('USD'),
          baseline: fc.option(fc.record({ value: amount, asOf: date })),
          target: amount,
        }),
      ),
      due,
      reviewEvery: fc.constantFrom('P1M', 'P3M', 'P6M', 'P30D', 'P2W', 'P1Y'),
      tags,
    })
    .map((data) => ({ type: 'CommitmentRecorded', data: { id, ...data } }));

const later: fc.Arbitrary<Ev> = fc.oneof(
  source.map((s) => ({ type: 'SourceAdded' as const, data: { source: s } })),
  fc.record({ asOf: date, value: fc.option(amount) }).map(({ asOf, value }) => ({
    type: 'ProgressReported' as const,
    data: value === null ? { asOf } : { asOf, value },
  })),
  fc
    .record({
      reviewedAt: date,
      assessment: fc.constantFrom('on_track', 'at_risk', 'stalled' as const),
    })
    .map((data) => ({ type: 'ReviewRecorded' as const, data })),
  due
    .filter((d) => d !== null)
    .map((d) => ({
      type: 'DeadlineRevised' as const,
      data: { due: d!, reason: 'Revised at the summit' },
    })),
  amount.map((target) => ({ type: 'TargetRevised' as const, data: { target, reason: 'Raised' } })),
  fc
    .record({
      outcome: fc.constantFrom('fulfilled', 'partially_fulfilled', 'missed' as const),
      decidedAt: date,
      note: fc.option(fc.constant('Customs data')),
    })
    .map(({ note, ...rest }) => ({
      type: 'OutcomeRecorded' as const,
      data: note === null ? rest : { ...rest, note },
    })),
  date.map((at) => ({ type: 'CommitmentWithdrawn' as const, data: { at, reason: 'Dropped' } })),
  fc
    .tuple(fc.constantFrom(...IDS), date)
    .map(([by, at]) => ({ type: 'CommitmentSuperseded' as const, data: { by, at } })),
  fc
    .record(
      { title: fc.constantFrom('Corrected title'), kind, parties, tags, statement },
      { requiredKeys: [] },
    )
    .filter((f) => Object.keys(f).length > 0)
    .map((fields) => ({ type: 'RecordCorrected' as const, data: { fields, reason: 'Typo' } })),
);

/** One stream: usually starting with CommitmentRecorded; sometimes with stray events first. */
const streamEvents = (id: string): fc.Arbitrary<Ev[]> =>
  fc
    .tuple(
      fc.array(later, { maxLength: 2 }),
      fc.boolean(),
      recorded(id),
      fc.array(later, { maxLength: 25 }),
    )
    .map(([stray, withStray, rec, rest]) => [...(withStray ? stray : []), rec, ...rest]);

const scenario = fc
  .tuple(fc.tuple(...IDS.map(streamEvents)), fc.array(fc.nat(), { maxLength: 200 }))
  .map(([streams, picks]) => {
    // Interleave the streams in a global order chosen by `picks`, numbering revisions per stream
    // and giving each event a later recordedAt than the previous one.
    const next = streams.map(() => 0);
    const global: Array<{ id: string; env: EventEnvelope }> = [];
    let t = Date.UTC(2025, 10, 15, 8);
    let p = 0;
    for (;;) {
      const live = IDS.map((_, i) => i).filter((i) => next[i]! < streams[i]!.length);
      if (live.length === 0) break;
      const i = live[(picks[p++] ?? 0) % live.length]!;
      const ev = streams[i]![next[i]!]!;
      next[i]! += 1;
      t += 60_000;
      global.push({
        id: IDS[i]!,
        env: {
          type: ev.type,
          data: ev.data,
          revision: next[i]!,
          recordedAt: new Date(t).toISOString(),
        },
      });
    }
    return global;
  });

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

describe('incremental projection', () => {
  it('equals a full rebuild for random interleaved event sequences', () => {
    fc.assert(
      fc.property(scenario, (global) => {
        const model = new InMemoryModel();
        for (const { id, env } of global) {
          // Frozen states make any in-place mutation by evolve throw (ESM is strict mode).
          const s = model.apply(id, env);
          if (s !== null) deepFreeze(s);
        }
        const rebuilt = new Map<string, CommitmentState>();
        for (const id of IDS) {
          const s = fold(global.filter((g) => g.id === id).map((g) => g.env));
          if (s !== null) rebuilt.set(id, s);
        }
        expect(model.all().map((s) => s.id)).toEqual([...rebuilt.keys()].sort());
        for (const [id, s] of rebuilt) expect(model.get(id)).toEqual(s);
        expect(model.events).toBe(global.length);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the invariants of the rules', () => {
    fc.assert(
      fc.property(scenario, (global) => {
        const model = new InMemoryModel();
        for (const { id, env } of global) model.apply(id, env);
        for (const s of model.all()) {
          const closed = [
            'fulfilled',
            'partially_fulfilled',
            'missed',
            'withdrawn',
            'superseded',
          ].includes(s.status);
          expect(s.nextFollowUp === null).toBe(closed);
          if (s.nextFollowUp !== null && s.due !== null && s.due.latest !== null)
            expect(s.nextFollowUp <= s.due.latest).toBe(true);
          expect(s.lastActivity >= s.statement.madeAt).toBe(true);
          if (s.status === 'superseded') expect(s.supersededBy).not.toBeNull();
          expect(s.updatedAt >= s.recordedAt).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('toView', () => {
  it('is a pure function: same input, same output, input untouched', () => {
    fc.assert(
      fc.property(scenario, date, (global, asOf) => {
        const model = new InMemoryModel();
        for (const { id, env } of global) model.apply(id, env);
        for (const s of model.all()) {
          const before = structuredClone(s);
          const a = toView(deepFreeze(s), asOf);
          const b = toView(s, asOf);
          expect(a).toEqual(b);
          expect(a).not.toBe(b);
          expect(s).toEqual(before);
          // The view shares no objects with the state.
          if (a.metric !== null) expect(a.metric).not.toBe(s.metric);
          expect(a.sources).not.toBe(s.sources);
          expect(a.statement).not.toBe(s.statement);
        }
      }),
      { numRuns: 100 },
    );
  });
});
