/**
 * `npm run bench -- --scale [--large] [--sizes=100000,300000]`: how cost grows with the log.
 * At each size (100k, 300k, 1M events; 3M with --large) a fresh log is imported (timed, with the
 * inline read model), then rebuilt and replayed in child processes (their own peak RSS), and
 * `/overdue` is answered in process at one late asOf. Prints µs per event (per item for overdue)
 * and RSS at each size, so that anything worse than linear shows as a growing column.
 */
import { overdue } from '../../src/read-model/queries.js';
import { openRaw, round, runChild, type BenchOptions } from '../lib.js';
import { appendImport, logFile } from './append.js';

interface PassResult {
  ms: number;
  events: number;
  commitments: number;
  rssMb: number;
}

export interface ScaleRow {
  events: number;
  commitments: number;
  importUsPerEvent: number;
  importRatio: number | null;
  rebuildUsPerEvent: number;
  rebuildRssMb: number;
  replayUsPerEvent: number;
  replayRssMb: number;
  overdueMs: number;
  overdueItems: number;
  overdueUsPerItem: number;
}

export async function scaleRow(opts: BenchOptions, size: number): Promise<ScaleRow> {
  const imp = await appendImport(opts, size, size);
  const file = logFile(imp.dataDir);
  const rb = await runChild<PassResult>('children/rebuild.js', ['rebuild', file]);
  const rp = await runChild<PassResult>('children/rebuild.js', [
    'replay',
    file,
    '2026-07-01T00:00:00.000Z',
    '2026-06-30',
  ]);
  const db = openRaw(file);
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < 5; i += 1) {
    const t0 = performance.now();
    items = overdue(db, { asOf: '2026-06-30' }).length;
    times.push(performance.now() - t0);
  }
  db.close();
  times.sort((a, b) => a - b);
  const overdueMs = times[2] ?? 0;
  const us = (ms: number, n: number): number => round((ms * 1000) / Math.max(1, n), 2);
  return {
    events: imp.events,
    commitments: rb.commitments,
    importUsPerEvent: round(1e6 / imp.result.value, 2),
    importRatio: imp.result.ratio ?? null,
    rebuildUsPerEvent: us(rb.ms, rb.events),
    rebuildRssMb: round(rb.rssMb, 0),
    replayUsPerEvent: us(rp.ms, rp.events),
    replayRssMb: round(rp.rssMb, 0),
    overdueMs: round(overdueMs, 1),
    overdueItems: items,
    overdueUsPerItem: us(overdueMs, items),
  };
}

export function scaleTable(rows: readonly ScaleRow[]): string {
  const header = [
    'events',
    'commitments',
    'import µs/event (ratio)',
    'rebuild µs/event',
    'rebuild RSS MB',
    'replay µs/event',
    'replay RSS MB',
    'overdue ms (items, µs/item)',
  ];
  const body = rows.map((r) => [
    String(r.events),
    String(r.commitments),
    `${r.importUsPerEvent} (${r.importRatio ?? '—'})`,
    String(r.rebuildUsPerEvent),
    String(r.rebuildRssMb),
    String(r.replayUsPerEvent),
    String(r.replayRssMb),
    `${r.overdueMs} (${r.overdueItems}, ${r.overdueUsPerItem})`,
  ]);
  return [header, header.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
