/**
 * Exports (issue 14).
 * - export.ics: the iCalendar export of every commitment, streamed in-process through the same
 *   code as `GET /calendar.ics` (src/export/stream.ts over the tracker), in events per second.
 *   Baseline: the CSV export of the same commitments. The ratio compares commitments per second
 *   (ICS ÷ CSV), the one unit both share.
 * - health.during.export: `/health` p99 on the real server (child process) while 100k-commitment
 *   calendars are downloaded back to back, against `/health` p99 on the same server idle. The
 *   ratio is idle ÷ during (1 = no slowdown).
 */
import http from 'node:http';
import { openTracker } from '../../src/bootstrap.js';
import { systemClock } from '../../src/clock.js';
import { csvChunks, icsChunks } from '../../src/export/index.js';
import {
  load,
  log,
  round,
  startServerChild,
  tempDir,
  type BenchOptions,
  type CaseResult,
} from '../lib.js';
import { seedCommitments } from '../seed.js';

/** Commitments in the exported store: the 100k of issue 14 (20k in a quick run). */
const commitmentsFor = (opts: BenchOptions): number => (opts.quick ? 20_000 : 100_000);

async function drain(
  chunks: AsyncIterable<string>,
  count: (chunk: string) => number,
): Promise<number> {
  let n = 0;
  for await (const chunk of chunks) n += count(chunk);
  return n;
}

const occurrences =
  (needle: string) =>
  (s: string): number => {
    let n = 0;
    for (let i = s.indexOf(needle); i !== -1; i = s.indexOf(needle, i + needle.length)) n += 1;
    return n;
  };

async function exportIcs(dir: string, n: number, opts: BenchOptions): Promise<CaseResult> {
  const tracker = await openTracker({ dataDir: dir, clock: systemClock, synchronous: 'FULL' });
  const asOf = '2020-06-01';
  const rounds = opts.quick ? 1 : 3;
  let icsMs = 0;
  let csvMs = 0;
  let events = 0;
  let rows = 0;
  try {
    // Alternate ICS and CSV rounds so drift on a shared machine hits both alike.
    for (let r = 0; r < rounds; r += 1) {
      const t0 = performance.now();
      events += await drain(
        icsChunks(tracker, { asOf, name: 'Commitments' }),
        occurrences('BEGIN:VEVENT'),
      );
      icsMs += performance.now() - t0;
      const t1 = performance.now();
      rows += (await drain(csvChunks(tracker, { asOf }), occurrences('\r\n'))) - 1;
      csvMs += performance.now() - t1;
    }
  } finally {
    await tracker.close();
  }
  const eventsPerSec = (events / icsMs) * 1000;
  const icsCommitmentsPerSec = ((n * rounds) / icsMs) * 1000;
  const csvRowsPerSec = (rows / csvMs) * 1000;
  log(
    `export.ics: ${events / rounds} events from ${n} commitments in ${round(icsMs / rounds, 0)} ms; CSV ${rows / rounds} rows in ${round(csvMs / rounds, 0)} ms`,
  );
  return {
    name: 'export.ics',
    value: round(eventsPerSec, 0),
    unit: 'events/s',
    baseline: {
      name: 'CSV export of the same commitments, rows/s',
      value: round(csvRowsPerSec, 0),
    },
    ratio: round(icsCommitmentsPerSec / csvRowsPerSec, 3),
  };
}

/** Download `url` to nowhere, over and over, until `stop()`; resolves with the number completed. */
function downloadLoop(url: string): { stop(): Promise<number> } {
  let stopped = false;
  let done = 0;
  const once = (): Promise<void> =>
    new Promise((resolve, reject) => {
      http
        .get(url, { agent: false }, (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve());
          res.on('error', reject);
        })
        .on('error', reject);
    });
  const running = (async () => {
    while (!stopped) {
      await once();
      done += 1;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await running;
      return done;
    },
  };
}

async function healthDuringExport(dir: string, n: number, opts: BenchOptions): Promise<CaseResult> {
  const seconds = opts.quick ? 5 : 10;
  const server = await startServerChild('children/app-server.js', [dir]);
  try {
    const next = () => ({ path: '/health' });
    const idle = await load({ url: server.url, connections: 2, seconds, next });
    const calendars = downloadLoop(`${server.url}/calendar.ics`);
    const during = await load({ url: server.url, connections: 2, seconds, next });
    const completed = await calendars.stop();
    log(
      `health.during.export: ${n} commitments, ${completed} calendars served while measuring; /health p99 idle ${idle.p99} ms, during ${during.p99} ms (${during.ok} answered, ${during.errors} errors)`,
    );
    return {
      name: 'health.during.export',
      value: during.p99,
      unit: 'ms p99',
      baseline: { name: '/health p99 on the idle server, ms', value: idle.p99 },
      ratio: during.p99 > 0 ? round(idle.p99 / during.p99, 3) : null,
      p50: during.p50,
      p99: during.p99,
    };
  } finally {
    await server.stop();
  }
}

export async function exportCases(
  opts: BenchOptions,
  want: (name: string) => boolean,
): Promise<CaseResult[]> {
  const dir = tempDir(opts.workDir, 'exports');
  const n = commitmentsFor(opts);
  const ids = await seedCommitments(dir, opts.seed + 3, n);
  const out: CaseResult[] = [];
  if (want('export.ics')) out.push(await exportIcs(dir, ids.length, opts));
  if (want('health.during.export')) out.push(await healthDuringExport(dir, ids.length, opts));
  return out;
}
