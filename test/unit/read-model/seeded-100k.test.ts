/**
 * A seeded read model of 100 000 commitments (plus progress, reviews, revised deadlines and
 * outcomes). Overdue, upcoming and list results are checked against a brute-force computation
 * over the same generated data: every state folded in memory by the pure projections, then
 * filtered and sorted by plain array code. Correctness only: timing belongs in the benchmarks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';

import { agendaItems, daysBetween, InMemoryModel, timingOf } from '../../../projections/index.js';
import type { CommitmentState } from '../../../projections/types.js';
import { projectBatch, readCheckpoint } from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import type { StoredEvent } from '../../../src/store/port.js';
import { day, openReadModelDb, prng, tempDir } from './helpers.js';

const N = 100_000;
const COUNTRIES = [
  'UZ',
  'KZ',
  'RU',
  'CN',
  'US',
  'IN',
  'FR',
  'DE',
  'JP',
  'KR',
  'BR',
  'TR',
  'TJ',
  'KG',
];
const ORGS = ['European Union', 'African Union', 'ASEAN'];
const WORDS = ['trade', 'pipeline', 'harbour', 'railway', 'visa', 'grain', 'power', 'water'];
const KINDS = ['target', 'meeting', 'agreement', 'proposal', 'project', 'other'] as const;

function* generate(seed: number): Generator<StoredEvent> {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  let position = 0;
  const t0 = Date.UTC(2024, 0, 1);
  const revisions = new Map<string, number>();
  const mk = (id: string, type: string, data: unknown): StoredEvent => {
    const stream = `commitment-${id}`;
    const revision = (revisions.get(id) ?? 0) + 1;
    revisions.set(id, revision);
    position += 1;
    return {
      position,
      stream,
      revision,
      id: `e${position}`,
      type,
      data,
      metadata: {
        recordedAt: new Date(t0 + position * 1000).toISOString(),
        recordedBy: 'seed',
        schemaVersion: 1,
      },
      hash: '',
    };
  };
  const live: string[] = [];
  for (let i = 0; i < N; i += 1) {
    const id = `c-${String(i).padStart(6, '0')}`;
    const madeAt = day(1400 + Math.floor(rnd() * 700)); // 2023-10 .. 2025-09
    const parties = [
      ...new Set([pick(COUNTRIES), pick(COUNTRIES), ...(rnd() < 0.1 ? [pick(ORGS)] : [])]),
    ];
    const dueLatest = rnd() < 0.15 ? null : day(1600 + Math.floor(rnd() * 1100));
    const w1 = pick(WORDS);
    yield mk(id, 'CommitmentRecorded', {
      id,
      title: `${w1[0]!.toUpperCase()}${w1.slice(1)} commitment ${i}`,
      kind: pick(KINDS),
      parties,
      statement: { quote: `We will build the ${pick(WORDS)} link`, madeAt },
      source: { publisher: 'Wire', publishedAt: madeAt },
      metric: null,
      due:
        dueLatest === null
          ? null
          : { text: null, edtf: `../${dueLatest}`, earliest: null, latest: dueLatest },
      reviewEvery: pick(['P1M', 'P3M', 'P6M', 'P30D']),
      tags: rnd() < 0.5 ? [pick(WORDS)] : [],
    });
    live.push(id);
    // Follow-up events on a random earlier commitment, interleaved with the records.
    const r = rnd();
    if (r < 0.3) {
      yield mk(pick(live), 'ProgressReported', { asOf: day(2000 + Math.floor(rnd() * 200)) });
    } else if (r < 0.38) {
      yield mk(pick(live), 'ReviewRecorded', {
        reviewedAt: day(2000 + Math.floor(rnd() * 200)),
        assessment: pick(['on_track', 'at_risk', 'stalled']),
      });
    } else if (r < 0.43) {
      const latest = day(1900 + Math.floor(rnd() * 600));
      yield mk(pick(live), 'DeadlineRevised', {
        due: { text: null, edtf: `../${latest}`, earliest: null, latest },
        reason: 'Revised',
      });
    } else if (r < 0.53) {
      yield mk(pick(live), 'OutcomeRecorded', {
        outcome: pick(['fulfilled', 'partially_fulfilled', 'missed']),
        decidedAt: day(2100),
      });
    } else if (r < 0.55) {
      yield mk(pick(live), 'CommitmentWithdrawn', { at: day(2100), reason: 'Dropped' });
    }
  }
}

describe('a seeded read model of 100k commitments', () => {
  const tmp = tempDir('rm-100k-');
  let db: Database.Database;
  const model = new InMemoryModel();
  let states: CommitmentState[] = [];
  let lastPosition = 0;

  beforeAll(() => {
    db = openReadModelDb(`${tmp.dir}/rm.db`);
    let batch: StoredEvent[] = [];
    for (const e of generate(20251115)) {
      batch.push(e);
      model.applyStored(e);
      lastPosition = e.position;
      if (batch.length === 20_000) {
        projectBatch(db, batch);
        batch = [];
      }
    }
    projectBatch(db, batch);
    states = model.all();
  }, 120_000);

  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  const brute = {
    agenda(party?: string) {
      return states
        .filter((s) => party === undefined || s.parties.includes(party))
        .flatMap((s) =>
          agendaItems(s).map((it) => ({ ...it, title: s.title, parties: s.parties })),
        );
    },
    sort<T extends { date: string; commitmentId: string; item: string }>(xs: T[]): T[] {
      return xs.sort((a, b) =>
        a.date !== b.date
          ? a.date < b.date
            ? -1
            : 1
          : a.commitmentId !== b.commitmentId
            ? a.commitmentId < b.commitmentId
              ? -1
              : 1
            : a.item < b.item
              ? -1
              : a.item > b.item
                ? 1
                : 0,
      );
    },
  };

  it('holds every commitment and the checkpoint', () => {
    expect(states.length).toBe(N);
    expect(readCheckpoint(db)).toBe(lastPosition);
    const n = db.prepare('SELECT count(*) FROM rm_commitments').pluck().get();
    expect(n).toBe(N);
    // Spot checks of whole states.
    for (const i of [0, 1, 4242, 55_555, N - 1]) {
      const id = `c-${String(i).padStart(6, '0')}`;
      expect(q.getState(db, id)).toEqual(model.get(id));
    }
  });

  it('overdue equals the brute-force scan, with and without a party', () => {
    for (const asOf of ['2025-06-30', '2025-11-16']) {
      for (const party of [undefined, 'UZ', 'European Union']) {
        const want = brute.sort(brute.agenda(party).filter((it) => it.date < asOf)).map((it) => ({
          commitmentId: it.commitmentId,
          title: it.title,
          parties: it.parties,
          item: it.item,
          date: it.date,
          daysOverdue: daysBetween(it.date, asOf),
        }));
        const got = q.overdue(db, { asOf, ...(party ? { party } : {}) });
        expect(got.length).toBeGreaterThan(0);
        expect(got).toEqual(want);
      }
    }
  });

  it('upcoming equals the brute-force scan, with and without a party', () => {
    for (const [asOf, until] of [
      ['2025-11-16', '2025-12-16'],
      ['2026-01-01', '2026-12-31'],
    ] as const) {
      for (const party of [undefined, 'KZ']) {
        const want = brute
          .sort(brute.agenda(party).filter((it) => asOf <= it.date && it.date <= until))
          .map((it) => ({
            commitmentId: it.commitmentId,
            title: it.title,
            parties: it.parties,
            item: it.item,
            date: it.date,
            daysUntil: daysBetween(asOf, it.date),
          }));
        const got = q.upcoming(db, { asOf, until, ...(party ? { party } : {}) });
        expect(got.length).toBeGreaterThan(0);
        expect(got).toEqual(want);
      }
    }
  });

  it('list pages through filters exactly like the brute-force filter', () => {
    const asOf = '2025-11-16';
    const cases: Array<{
      f: Omit<Parameters<typeof q.list>[1], 'asOf' | 'limit'>;
      keep(s: CommitmentState): boolean;
    }> = [
      {
        f: { status: 'in_progress', party: 'KZ' },
        keep: (s) => s.status === 'in_progress' && s.parties.includes('KZ'),
      },
      {
        f: { timing: 'overdue', tag: 'grain' },
        keep: (s) => timingOf(s, asOf) === 'overdue' && s.tags.includes('grain'),
      },
      { f: { timing: 'due_soon' }, keep: (s) => timingOf(s, asOf) === 'due_soon' },
      {
        f: { timing: 'no_deadline', kind: 'meeting' },
        keep: (s) => timingOf(s, asOf) === 'no_deadline' && s.kind === 'meeting',
      },
      {
        f: { q: 'HARBOUR', status: 'missed' },
        keep: (s) =>
          s.status === 'missed' &&
          (s.title.toLowerCase().includes('harbour') ||
            s.statement.quote.toLowerCase().includes('harbour')),
      },
    ];
    for (const { f, keep } of cases) {
      const want = states.filter(keep).map((s) => s.id);
      expect(want.length).toBeGreaterThan(0);
      const got: string[] = [];
      let cursor: string | null = null;
      do {
        const page = q.list(db, { asOf, limit: 500, ...f, ...(cursor ? { cursor } : {}) });
        for (const v of page.items) got.push(v.id);
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(got, JSON.stringify(f)).toEqual(want);
    }
  });

  it('pages through all 100k without duplicates or gaps', () => {
    let count = 0;
    let prev = '';
    let cursor: string | null = null;
    do {
      const page = q.list(db, { asOf: '2025-11-16', limit: 500, ...(cursor ? { cursor } : {}) });
      for (const v of page.items) {
        expect(v.id > prev).toBe(true);
        prev = v.id;
        count += 1;
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(count).toBe(N);
  });
});
