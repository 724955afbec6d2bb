/**
 * Helpers for the read-model tests: an in-memory log of StoredEvents (with a `readAll` like the
 * port's), realistic event builders, a seeded PRNG, and a dump of the read-model tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

import type { EventData } from '../../../src/domain/events.js';
import type { ReadAllOptions, StoredEvent } from '../../../src/store/port.js';
import { ensureReadModelSchema } from '../../../src/read-model/sqlite-read-model.js';

import type { Ev } from '../projections/fixtures.js';

export type { Ev };

export function tempDir(prefix = 'rm-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function openReadModelDb(file = ':memory:'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  ensureReadModelSchema(db);
  return db;
}

/** mulberry32: a small seeded PRNG, so the big data set is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** YYYY-MM-DD of 2020-01-01 plus n days. */
export function day(n: number): string {
  return new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
}

/** An in-memory event log with the port's `readAll` semantics (positions 1, 2, …). */
export class MemoryLog {
  readonly events: StoredEvent[] = [];
  readonly #revisions = new Map<string, number>();
  #clock = Date.UTC(2025, 10, 16, 9, 0, 0);

  /** Append one event to `commitment-<id>`; recordedAt moves one minute per event unless given. */
  add(id: string, ev: Ev, recordedAt?: string): StoredEvent {
    const stream = `commitment-${id}`;
    const revision = (this.#revisions.get(stream) ?? 0) + 1;
    this.#revisions.set(stream, revision);
    this.#clock += 60_000;
    const e: StoredEvent = {
      position: this.events.length + 1,
      stream,
      revision,
      id: `${stream}#${revision}`,
      type: ev.type,
      data: ev.data,
      metadata: {
        recordedAt: recordedAt ?? new Date(this.#clock).toISOString(),
        recordedBy: 'test',
        schemaVersion: 1,
      },
      hash: '',
    };
    this.events.push(e);
    return e;
  }

  /** Append a raw event to any stream (for non-commitment streams). */
  addRaw(stream: string, type: string, data: unknown): StoredEvent {
    const revision = (this.#revisions.get(stream) ?? 0) + 1;
    this.#revisions.set(stream, revision);
    this.#clock += 60_000;
    const e: StoredEvent = {
      position: this.events.length + 1,
      stream,
      revision,
      id: `${stream}#${revision}`,
      type,
      data,
      metadata: {
        recordedAt: new Date(this.#clock).toISOString(),
        recordedBy: 'test',
        schemaVersion: 1,
      },
      hash: '',
    };
    this.events.push(e);
    return e;
  }

  readAll = async (o: ReadAllOptions): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    // Positions are 1..n, so the event after position p is at index p.
    for (let i = Math.max(0, o.after); i < this.events.length && out.length < o.limit; i += 1) {
      const e = this.events[i] as StoredEvent;
      if (o.streamPrefix === undefined || e.stream.startsWith(o.streamPrefix)) out.push(e);
    }
    return out;
  };

  readStream = async (stream: string): Promise<StoredEvent[]> =>
    this.events.filter((e) => e.stream === stream);
}

export const source = (publishedAt: string, publisher = 'Xinhua') => ({
  publisher,
  title: 'Uzbekistan, Kazakhstan aim to raise trade to 10 bln USD',
  url: 'https://english.news.cn/20251115/uz-kz-trade.html',
  publishedAt,
});

export function recorded(
  id: string,
  o: {
    title?: string;
    quote?: string;
    kind?: EventData<'CommitmentRecorded'>['kind'];
    parties?: string[];
    tags?: string[];
    madeAt?: string;
    dueLatest?: string | null;
    reviewEvery?: string;
    metric?: boolean;
  } = {},
): Ev {
  const madeAt = o.madeAt ?? '2025-11-15';
  return {
    type: 'CommitmentRecorded',
    data: {
      id,
      title: o.title ?? `Raise trade turnover (${id})`,
      kind: o.kind ?? 'target',
      parties: o.parties ?? ['UZ', 'KZ'],
      statement: {
        quote: o.quote ?? 'The goal is to increase this figure to $10 billion',
        madeAt,
        madeBy: ['Shavkat Mirziyoyev'],
        language: 'en',
      },
      source: source(madeAt),
      metric: o.metric
        ? {
            name: 'trade turnover',
            unit: 'USD',
            baseline: { value: 4e9, asOf: madeAt },
            target: 1e10,
          }
        : null,
      due:
        o.dueLatest === null
          ? null
          : {
              text: null,
              edtf: `../${o.dueLatest ?? '2030-12-31'}`,
              earliest: null,
              latest: o.dueLatest ?? '2030-12-31',
            },
      reviewEvery: o.reviewEvery ?? 'P3M',
      tags: o.tags ?? ['trade'],
    },
  };
}

// The other event builders are the projection tests' own (one set of fixtures for both suites).
export {
  corrected,
  deadlineRevised,
  outcome,
  progress,
  review,
  sourceAdded,
  superseded,
  targetRevised,
  withdrawn,
} from '../projections/fixtures.js';

/** Every read-model table as sorted plain rows (checkpoint included), for equality checks. */
export function dumpReadModel(db: Database.Database): Record<string, unknown[]> {
  return {
    commitments: db.prepare('SELECT * FROM rm_commitments ORDER BY id').all(),
    parties: db.prepare('SELECT * FROM rm_parties ORDER BY commitment_id, party').all(),
    tags: db.prepare('SELECT * FROM rm_tags ORDER BY commitment_id, tag').all(),
    agenda: db.prepare('SELECT * FROM rm_agenda ORDER BY commitment_id, item').all(),
    agendaDays: db.prepare('SELECT * FROM rm_agenda_days ORDER BY date, item').all(),
    agendaByParty: db
      .prepare('SELECT * FROM rm_agenda_party ORDER BY commitment_id, item, party')
      .all(),
    checkpoint: db.prepare('SELECT * FROM rm_checkpoint ORDER BY name').all(),
  };
}
