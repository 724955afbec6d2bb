/**
 * append.single: sequential single-event appends through the store port (durable, hash chain,
 * inline read-model update), against raw single-row inserts, one transaction each.
 * append.import: a bulk import through `appendMany` (hash chain and read model included),
 * against raw inserts in one transaction. The same generated chunks feed both; only the
 * writes are timed, not the generation.
 */
import path from 'node:path';
import { RawBulkImport, rawSingleInserts } from '../baselines.js';
import { importChunks, makeRng } from '../generate.js';
import { log, round, tempDir, type BenchOptions, type CaseResult } from '../lib.js';
import { openProjectedStore, QueueClock, seedCommitments, toAppendBatches } from '../seed.js';

function progressData(rng: () => number): { asOf: string; value: number; note: string } {
  return {
    asOf: '2026-05-01',
    value: Math.round(rng() * 1e9),
    note: 'Quarterly figures published.',
  };
}

export async function appendSingle(opts: BenchOptions): Promise<CaseResult> {
  const dir = tempDir(opts.workDir, 'append-single');
  const rawDir = tempDir(opts.workDir, 'append-single-raw');
  const ids = await seedCommitments(dir, opts.seed, 1000);
  const store = openProjectedStore(dir);
  const revisions = new Map<string, number>(ids.map((id) => [id, 1]));
  const rng = makeRng(opts.seed);
  const rounds = opts.quick ? 1 : 3;
  const ms = opts.quick ? 2000 : 3000;
  let real = 0;
  let raw = 0;
  let realMs = 0;
  let rawMs = 0;
  // Alternate real and raw rounds so drift on a shared machine hits both alike.
  for (let r = 0; r < rounds; r += 1) {
    const t0 = performance.now();
    const end = t0 + ms;
    while (performance.now() < end) {
      const id = ids[Math.floor(rng() * ids.length)] as string;
      const rev = revisions.get(id) as number;
      await store.append(
        `commitment-${id}`,
        [{ type: 'ProgressReported', data: progressData(rng), metadata: { recordedBy: 'bench' } }],
        { expectedRevision: rev },
      );
      revisions.set(id, rev + 1);
      real += 1;
    }
    realMs += performance.now() - t0;
    const t1 = performance.now();
    raw += rawSingleInserts(rawDir, ms, () => ({
      stream: `commitment-${ids[Math.floor(rng() * ids.length)] as string}`,
      data: progressData(rng),
    }));
    rawMs += performance.now() - t1;
  }
  await store.close();
  const value = (real / realMs) * 1000;
  const base = (raw / rawMs) * 1000;
  log(`append.single: ${real} appends, ${raw} raw inserts`);
  return {
    name: 'append.single',
    value: round(value, 1),
    unit: 'appends/s',
    baseline: { name: 'raw insert, 1 row per transaction', value: round(base, 1) },
    ratio: round(value / base, 3),
  };
}

export interface ImportOutcome {
  result: CaseResult;
  /** Data dir holding the imported log (and its read model), for the rebuild and query cases. */
  dataDir: string;
  events: number;
}

/**
 * Import `timedEvents` events (timed, against the raw baseline), then keep appending untimed
 * until `totalEvents`, so later cases get a log of that size.
 */
export async function appendImport(
  opts: BenchOptions,
  timedEvents: number,
  totalEvents: number,
): Promise<ImportOutcome> {
  const dir = tempDir(opts.workDir, 'log');
  const rawDir = tempDir(opts.workDir, 'import-raw');
  const clock = new QueueClock();
  let store = openProjectedStore(dir, clock);
  let projecting = true;
  const raw = new RawBulkImport(rawDir);
  let done = 0;
  let realMs = 0;
  let rawMs = 0;
  let timed = 0;
  for (const chunk of importChunks({ seed: opts.seed, events: totalEvents, chunkEvents: 10_000 })) {
    const batches = toAppendBatches(chunk);
    const n = batches.reduce((s, b) => s + b.events.length, 0);
    clock.set(chunk.map((b) => b.recordedAt));
    const inTimed = done < timedEvents;
    if (!inTimed && projecting) {
      // Past the timed part: append the rest without the inline projection (faster); the
      // rebuild case rebuilds the read model from the whole log anyway.
      await store.close();
      store = openProjectedStore(dir, clock, false);
      projecting = false;
    }
    const t0 = performance.now();
    store.appendMany(batches);
    const t1 = performance.now();
    if (inTimed) {
      realMs += t1 - t0;
      const t2 = performance.now();
      raw.add(chunk);
      rawMs += performance.now() - t2;
      timed += n;
    }
    done += n;
    if (done % 100_000 < n) log(`import: ${done} events`);
  }
  const t3 = performance.now();
  raw.commit();
  rawMs += performance.now() - t3;
  // The stored log must carry the generated dates (QueueClock answers one instant per batch).
  const first = store.db.prepare('SELECT metadata FROM events ORDER BY position LIMIT 1').get() as
    { metadata: string } | undefined;
  if (first && !String(JSON.parse(first.metadata).recordedAt).startsWith('2016')) {
    log('warning: stored recordedAt does not follow the generated dates');
  }
  await store.close();
  const value = (timed / realMs) * 1000;
  const base = (timed / rawMs) * 1000;
  return {
    result: {
      name: 'append.import',
      value: round(value, 0),
      unit: 'events/s',
      baseline: { name: 'raw inserts, one transaction', value: round(base, 0) },
      ratio: round(value / base, 3),
    },
    dataDir: dir,
    events: done,
  };
}

export const logFile = (dataDir: string): string => path.join(dataDir, 'commitments.db');
