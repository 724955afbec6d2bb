/** Open the embedded store as the tracker wires it (read model projected inline), and seed it. */
import type { Clock } from '../src/domain/clock.js';
import type { DomainEvent } from '../src/domain/events.js';
import { SqliteEventStore, dataFile } from '../src/store/sqlite/sqlite-event-store.js';
import type { AppendBatch } from '../src/store/sqlite/sqlite-event-store.js';
import { applyEvents, ensureReadModelSchema } from '../src/read-model/sqlite-read-model.js';
import { commitmentLife, DATA_END, DATA_START, isoToDay, type ImportBatch } from './generate.js';

/** The embedded store with the read model projected in the append's transaction (as src/bootstrap.ts does). */
export function openProjectedStore(
  dataDir: string,
  clock?: Clock,
  project = true,
): SqliteEventStore {
  const store = SqliteEventStore.open({
    file: dataFile(dataDir),
    synchronous: 'FULL',
    ...(clock ? { clock } : {}),
  });
  ensureReadModelSchema(store.db);
  if (project) store.registerInlineProjection((db, events) => applyEvents(db, events));
  return store;
}

/**
 * A clock that answers each `now()` with the next queued instant (the recordedAt of the next
 * batch of an import), so the stored log carries the generated dates. When the queue is empty
 * it keeps answering the last instant.
 */
export class QueueClock implements Clock {
  private q: string[] = [];
  private i = 0;
  private last = new Date('2016-01-01T00:00:00.000Z');
  set(instants: string[]): void {
    this.q = instants;
    this.i = 0;
  }
  now(): Date {
    const s = this.q[this.i];
    if (s !== undefined) {
      this.i += 1;
      this.last = new Date(s);
    }
    return this.last;
  }
}

/** Turn generated batches into the store's appendMany input. */
export function toAppendBatches(chunk: readonly ImportBatch[]): AppendBatch[] {
  return chunk.map((b) => ({
    stream: b.stream,
    expectedRevision: b.expectedRevision === 0 ? 'no_stream' : b.expectedRevision,
    events: b.events.map((e) => ({
      type: e.type,
      data: e.data,
      metadata: { recordedBy: 'bench-import' },
    })),
  }));
}

/** The record events of `n` commitments, every one with a metric (so progress may carry values). */
export function recordsWithMetric(
  seed: number,
  n: number,
): Array<{ id: string; stream: string; event: DomainEvent }> {
  const start = isoToDay(DATA_START);
  const end = isoToDay(DATA_END);
  const out: Array<{ id: string; stream: string; event: DomainEvent }> = [];
  for (let i = 0; i < n; i += 1) {
    const life = commitmentLife(seed, i, start + Math.floor((i * (end - start - 400)) / n), end);
    const first = life.events[0];
    if (!first || first.event.type !== 'CommitmentRecorded') continue;
    const data = { ...first.event.data };
    data.kind = 'target';
    data.metric ??= {
      name: 'trade turnover',
      unit: 'USD',
      baseline: { value: 1e9, asOf: data.statement.madeAt },
      target: 5e9,
    };
    out.push({ id: life.id, stream: life.stream, event: { type: 'CommitmentRecorded', data } });
  }
  return out;
}

/** Seed `n` open commitments with metrics into a data dir, in one transaction. Returns their ids. */
export async function seedCommitments(dataDir: string, seed: number, n: number): Promise<string[]> {
  const store = openProjectedStore(dataDir);
  const recs = recordsWithMetric(seed, n);
  store.appendMany(
    recs.map((r) => ({
      stream: r.stream,
      expectedRevision: 'no_stream',
      events: [{ type: r.event.type, data: r.event.data, metadata: { recordedBy: 'bench-seed' } }],
    })),
  );
  await store.close();
  return recs.map((r) => r.id);
}
