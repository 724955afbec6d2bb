import { describe, expect, it } from 'vitest';
import { EventSchemas, type EventType } from '../../src/domain/events.js';
import {
  commitmentLife,
  DATA_END,
  DATA_START,
  generateLog,
  importChunks,
  isoToDay,
  makeRng,
  MEAN_EVENTS_PER_COMMITMENT,
  TEMPLATES,
} from '../../bench/generate.js';

const sample = (n: number, seed = 42) => [...generateLog({ seed, events: n })];

describe('bench data generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = sample(2000, 7);
    const b = sample(2000, 7);
    const c = sample(2000, 8);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    const r = makeRng(1);
    const xs = Array.from({ length: 1000 }, () => r());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('produces exactly the requested number of events, each valid against its event schema', () => {
    const events = sample(20_000);
    expect(events).toHaveLength(20_000);
    for (const e of events) {
      const schema = EventSchemas[e.event.type as EventType];
      const parsed = schema.safeParse(e.event.data);
      if (!parsed.success)
        throw new Error(
          `${e.event.type} invalid: ${JSON.stringify(parsed.error.issues)} in ${JSON.stringify(e.event.data)}`,
        );
      // Data survives the store's JSON round trip unchanged (no undefined members).
      expect(JSON.parse(JSON.stringify(e.event.data))).toEqual(e.event.data);
    }
  });

  it('has the event mix of a real tracker over ten years of dates', () => {
    const events = sample(60_000);
    const count = new Map<string, number>();
    for (const e of events) count.set(e.event.type, (count.get(e.event.type) ?? 0) + 1);
    for (const t of Object.keys(EventSchemas)) expect(count.get(t) ?? 0, t).toBeGreaterThan(0);
    const recorded = events.filter((e) => e.event.type === 'CommitmentRecorded');
    const withMetric = recorded.filter(
      (e) => e.event.type === 'CommitmentRecorded' && e.event.data.metric !== null,
    );
    const share = withMetric.length / recorded.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.5);
    expect((count.get('ProgressReported') ?? 0) / events.length).toBeGreaterThan(0.25);
    expect((count.get('ReviewRecorded') ?? 0) / events.length).toBeGreaterThan(0.1);
    // Recording order: instants never go backwards, and span 2016..2026.
    for (let i = 1; i < events.length; i += 1) {
      expect(events[i]!.recordedAt.slice(0, 10) >= events[i - 1]!.recordedAt.slice(0, 10)).toBe(
        true,
      );
    }
    expect(events[0]!.recordedAt >= DATA_START).toBe(true);
    expect(events[events.length - 1]!.recordedAt.slice(0, 10) <= DATA_END).toBe(true);
  });

  it('scores a party of the commitment, on honest dates (issue 15)', () => {
    const events = sample(30_000);
    const recorded = new Map<string, { parties: string[]; madeAt: string }>();
    let assessed = 0;
    for (const e of events) {
      if (e.event.type === 'CommitmentRecorded') {
        recorded.set(e.stream, {
          parties: e.event.data.parties,
          madeAt: e.event.data.statement.madeAt,
        });
      } else if (e.event.type === 'PartyAssessed') {
        assessed += 1;
        const c = recorded.get(e.stream)!;
        const r = e.event.data.report;
        expect(c.parties).toContain(e.event.data.party);
        expect(r.periodEnd >= c.madeAt && r.periodEnd <= r.publishedAt).toBe(true);
        expect(r.publishedAt <= e.recordedAt.slice(0, 10)).toBe(true);
      }
    }
    expect(assessed).toBeGreaterThan(100);
  });

  it('sizes the population so a log spans the ten years', () => {
    let events = 0;
    const n = 2000;
    const end = isoToDay(DATA_END);
    for (let i = 0; i < n; i += 1)
      events += commitmentLife(1, i, isoToDay(DATA_START) + Math.floor((i * 3600) / n), end).events
        .length;
    const mean = events / n;
    expect(mean).toBeGreaterThan(MEAN_EVENTS_PER_COMMITMENT * 0.7);
    expect(mean).toBeLessThan(MEAN_EVENTS_PER_COMMITMENT * 1.3);
    const last = sample(50_000).at(-1)!;
    expect(last.recordedAt.slice(0, 4) >= '2025').toBe(true);
  });

  it('uses the real templates: titles and actors', () => {
    expect(TEMPLATES).toHaveLength(200);
    const titles = new Set(TEMPLATES.map((t) => t.title));
    const recorded = sample(5000).flatMap((e) =>
      e.event.type === 'CommitmentRecorded' ? [e.event.data] : [],
    );
    expect(recorded.every((d) => titles.has(d.title))).toBe(true);
    expect(recorded.some((d) => d.parties.includes('European Union'))).toBe(true);
  });

  it('cuts import chunks with per-stream revisions that follow on', () => {
    const rev = new Map<string, number>();
    let total = 0;
    for (const chunk of importChunks({ seed: 3, events: 10_000, chunkEvents: 1000 })) {
      for (const b of chunk) {
        expect(b.expectedRevision).toBe(rev.get(b.stream) ?? 0);
        if (b.expectedRevision === 0) expect(b.events[0]!.type).toBe('CommitmentRecorded');
        rev.set(b.stream, b.expectedRevision + b.events.length);
        total += b.events.length;
      }
    }
    expect(total).toBe(10_000);
  });
});
