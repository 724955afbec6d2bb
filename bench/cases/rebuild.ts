/**
 * rebuild: drop the read model and replay the whole log into it, in a child process (its peak
 * RSS is the rebuild's own), against reading all rows + JSON.parse + a fold into a Map.
 * replay.knownAt: the whole tracker as known at an instant, replayed from the log into a fresh
 * in-memory model; its baseline is the rebuild baseline.
 */
import { round, runChild, type BenchOptions, type CaseResult } from '../lib.js';
import { logFile } from './append.js';

interface PassResult {
  ms: number;
  events: number;
  commitments: number;
  rssMb: number;
}

export async function rebuildCases(
  _opts: BenchOptions,
  dataDir: string,
): Promise<{ cases: CaseResult[]; commitments: number }> {
  const file = logFile(dataDir);
  const base = await runChild<PassResult>('children/rebuild.js', ['baseline', file]);
  const real = await runChild<PassResult>('children/rebuild.js', ['rebuild', file]);
  const replay = await runChild<PassResult>('children/rebuild.js', [
    'replay',
    file,
    '2026-07-01T00:00:00.000Z',
    '2026-06-30',
  ]);
  const baseRate = (base.events / base.ms) * 1000;
  const rate = (real.events / real.ms) * 1000;
  const replayRate = (replay.events / replay.ms) * 1000;
  const baseline = {
    name: `read + JSON.parse + fold into a Map (${round(base.rssMb, 0)} MB peak)`,
    value: round(baseRate, 0),
  };
  return {
    commitments: real.commitments,
    cases: [
      {
        name: 'rebuild',
        value: round(rate, 0),
        unit: 'events/s',
        baseline,
        ratio: round(rate / baseRate, 3),
        rssMb: round(real.rssMb, 1),
      },
      {
        name: 'replay.knownAt',
        value: round(replayRate, 0),
        unit: 'events/s',
        baseline,
        ratio: round(replayRate / baseRate, 3),
        rssMb: round(replay.rssMb, 1),
      },
    ],
  };
}
