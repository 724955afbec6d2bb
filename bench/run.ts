/**
 * `npm run bench [-- --quick] [-- --only name,name] [-- --keep]`
 * `npm run bench -- --scale [--large] [--sizes=100000,300000]`: cost per event and RSS at each
 * log size (bench/cases/scale.ts), written to bench/scale-results.json.
 * Runs every case of issue 7 with its baseline in the same run, writes bench/results.json and
 * prints a table with the targets. See docs/performance.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendImport, appendSingle } from './cases/append.js';
import { exportCases } from './cases/exports.js';
import { healthDuringAudit } from './cases/health-during-audit.js';
import { httpWrite } from './cases/http-write.js';
import { queryCases } from './cases/queries.js';
import { rebuildCases } from './cases/rebuild.js';
import { scaleRow, scaleTable, type ScaleRow } from './cases/scale.js';
import { here, log, makeWorkDir, type BenchOptions, type CaseResult } from './lib.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : null;
const want = (group: string): boolean => only === null || only.includes(group);

/** Targets of issue 7: a check and its wording. */
const TARGETS: Record<
  string,
  { text: string; met: (c: CaseResult, all: readonly CaseResult[]) => boolean }
> = {
  'append.single': { text: 'ratio ≥ 0.8', met: (c) => (c.ratio ?? 0) >= 0.8 },
  'append.import': { text: 'ratio ≥ 0.6', met: (c) => (c.ratio ?? 0) >= 0.6 },
  // Issue 18: the p99 against the same run's http.floor (the old absolute 15 ms is dropped).
  'http.write': {
    text: 'ratio ≥ 1.5, p99 ≤ 2 × http.floor p99',
    met: (c, all) =>
      (c.ratio ?? 0) >= 1.5 &&
      (c.p99 ?? Infinity) <= 2 * (all.find((x) => x.name === 'http.floor')?.p99 ?? 0),
  },
  rebuild: {
    text: 'ratio ≥ 0.6, RSS ≤ 256 MB',
    met: (c) => (c.ratio ?? 0) >= 0.6 && (c.rssMb ?? Infinity) <= 256,
  },
  'query.overdue': { text: 'p99 ≤ 5 ms', met: (c) => (c.p99 ?? Infinity) <= 5 },
  'query.upcoming': { text: 'p99 ≤ 5 ms', met: (c) => (c.p99 ?? Infinity) <= 5 },
  'query.overdue.http': { text: 'p99 ≤ 20 ms', met: (c) => (c.p99 ?? Infinity) <= 20 },
  'query.upcoming.http': { text: 'p99 ≤ 20 ms', met: (c) => (c.p99 ?? Infinity) <= 20 },
  'replay.knownAt': {
    text: 'ratio ≥ 0.5, RSS ≤ 256 MB',
    met: (c) => (c.ratio ?? 0) >= 0.5 && (c.rssMb ?? Infinity) <= 256,
  },
  'health.during.audit': {
    text: 'p99 ≤ 50 ms while verify, replay and CSV run',
    met: (c) => (c.p99 ?? Infinity) <= 50,
  },
};

const scale = args.includes('--scale');
const sizesArg = args.find((a) => a.startsWith('--sizes='));
/** `--scale` sizes: 100k, 300k, 1M (and 3M with --large), or `--sizes=a,b` to run what fits. */
const scaleSizes = sizesArg
  ? sizesArg
      .slice('--sizes='.length)
      .split(',')
      .map((x) => Number(x))
      .filter((x) => Number.isSafeInteger(x) && x > 0)
  : [100_000, 300_000, 1_000_000, ...(args.includes('--large') ? [3_000_000] : [])];

const sizes = quick
  ? { importEvents: 100_000, logEvents: 200_000 }
  : { importEvents: 1_000_000, logEvents: 1_000_000 };

const workDir = makeWorkDir();
const opts: BenchOptions = { quick, workDir, seed: 20260101 };
const cases: CaseResult[] = [];
const started = performance.now();
const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  log(`${name} ...`);
  const r = await fn();
  log(`${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r;
};

/** Cases that failed: the run goes on with the others, and exits 1 after writing the results. */
const failures: string[] = [];
/** A step whose failure does not stop the cases after it (none of them needs its result). */
const caseStep = async (name: string, fn: () => Promise<CaseResult[]>): Promise<CaseResult[]> => {
  try {
    return await step(name, fn);
  } catch (err) {
    log(`${name} FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    failures.push(name);
    return [];
  }
};

if (scale) {
  // `--scale`: how cost grows with the log (issue 18); the other cases do not run.
  const rows: ScaleRow[] = [];
  try {
    for (const size of scaleSizes) {
      const row = await step(`scale ${size}`, () => scaleRow(opts, size));
      rows.push(row);
      log(JSON.stringify(row));
    }
  } finally {
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
  const cpus = os.cpus();
  const outFile = path.resolve(here, '../../bench/scale-results.json');
  const when = new Date().toISOString();
  fs.writeFileSync(
    outFile,
    `${JSON.stringify({ node: process.version, cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`, when, rows }, null, 2)}\n`,
  );
  process.stdout.write(`\nSCALE run, node ${process.version}, ${when}\n\n${scaleTable(rows)}\n\n`);
  log(`wrote ${outFile} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  process.exit(0);
}

try {
  if (want('append.single')) cases.push(await step('append.single', () => appendSingle(opts)));
  const needLog =
    want('append.import') ||
    want('rebuild') ||
    want('query') ||
    want('replay.knownAt') ||
    want('health.during.audit');
  if (needLog) {
    const imp = await step('append.import', () =>
      appendImport(opts, sizes.importEvents, sizes.logEvents),
    );
    if (want('append.import')) cases.push(imp.result);
    if (want('rebuild') || want('replay.knownAt') || want('query')) {
      const rb = await step('rebuild + replay.knownAt', () => rebuildCases(opts, imp.dataDir));
      log(`read model: ${rb.commitments} commitments from ${imp.events} events`);
      cases.push(...rb.cases.filter((c) => want(c.name) || want('rebuild')));
      if (want('query'))
        cases.push(...(await caseStep('queries', () => queryCases(opts, imp.dataDir))));
    }
    // The server brings its read model up to the log at start, if no rebuild ran before.
    if (want('health.during.audit'))
      cases.push(
        ...(await caseStep('health.during.audit', () => healthDuringAudit(opts, imp.dataDir))),
      );
  }
  if (want('http.write')) cases.push(...(await caseStep('http.write', () => httpWrite(opts))));
  if (want('export') || want('export.ics') || want('health.during.export')) {
    const wantExport = (name: string): boolean => want('export') || want(name);
    cases.push(...(await caseStep('exports', () => exportCases(opts, wantExport))));
  }
} finally {
  if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  else log(`kept ${workDir}`);
}

const cpus = os.cpus();
const results = {
  node: process.version,
  cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
  when: new Date().toISOString(),
  quick,
  cases,
  ...(failures.length > 0 ? { failed: failures } : {}),
};
const out = path.resolve(here, '../../bench/results.json');
fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

const fmt = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(x < 10 ? 3 : 1);
const rows = cases.map((c) => {
  const t = TARGETS[c.name];
  const extra = [
    c.p50 !== undefined ? `p50 ${fmt(c.p50)} ms` : '',
    c.p99 !== undefined ? `p99 ${fmt(c.p99)} ms` : '',
    c.rssMb !== undefined ? `RSS ${fmt(c.rssMb)} MB` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return [
    c.name,
    fmt(c.value),
    c.unit,
    c.baseline ? `${fmt(c.baseline.value)} (${c.baseline.name})` : '—',
    fmt(c.ratio),
    extra || '—',
    t?.text ?? '—',
    t ? (t.met(c, cases) ? 'yes' : 'NO') : '—',
  ];
});
const header = ['case', 'value', 'unit', 'baseline', 'ratio', 'latency / memory', 'target', 'met?'];
const table = [header, header.map(() => '---'), ...rows]
  .map((r) => `| ${r.join(' | ')} |`)
  .join('\n');
process.stdout.write(
  `\n${quick ? 'QUICK' : 'FULL'} run, ${results.cpu}, node ${results.node}, ${results.when}\n\n${table}\n\n`,
);
log(`wrote ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failures.length > 0) {
  log(`failed cases (see above): ${failures.join(', ')}`);
  process.exitCode = 1;
}
