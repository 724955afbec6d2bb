/**
 * query.overdue / query.upcoming: latency of one page of 100 items (with its `total`, issue 14)
 * over the read model built by the rebuild case, in-process (the read-model page queries on the
 * SQLite file) and over HTTP (the real app in a child process, autocannon at 10 connections).
 * Each query takes a random asOf between 2016-01-01 and 2026-06-30 and, half of the time, a
 * random party.
 */
import Database from 'better-sqlite3';
import { overduePage, upcomingPage } from '../../src/read-model/queries.js';
import { DATA_END, DATA_START, dayToIso, isoToDay, makeRng, PARTIES } from '../generate.js';
import {
  load,
  log,
  percentile,
  round,
  startServerChild,
  type BenchOptions,
  type CaseResult,
} from '../lib.js';
import { logFile } from './append.js';

const START = isoToDay(DATA_START);
/** Items per page measured: the API's default page. */
const PAGE = 100;
const END = isoToDay(DATA_END);

function queryArgs(rng: () => number): { asOf: string; until: string; party?: string } {
  const day = START + Math.floor(rng() * (END - START));
  const party = rng() < 0.5 ? (PARTIES[Math.floor(rng() * PARTIES.length)] as string) : undefined;
  return { asOf: dayToIso(day), until: dayToIso(day + 30), ...(party ? { party } : {}) };
}

export async function queryCases(opts: BenchOptions, dataDir: string): Promise<CaseResult[]> {
  const n = opts.quick ? 300 : 2000;
  const db = new Database(logFile(dataDir), { readonly: true });
  const rng = makeRng(opts.seed + 2);
  const results: CaseResult[] = [];
  const run = (
    name: string,
    fn: (a: ReturnType<typeof queryArgs>) => { items: unknown[]; total: number },
  ): void => {
    for (let i = 0; i < 20; i += 1) fn(queryArgs(rng)); // warm up
    const samples: number[] = [];
    const sizes: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const a = queryArgs(rng);
      const t0 = performance.now();
      const page = fn(a);
      samples.push(performance.now() - t0);
      sizes.push(page.items.length);
      totals.push(page.total);
    }
    log(
      `${name}: ${n} queries, items per page p50 ${percentile(sizes, 50)}, max ${Math.max(...sizes)}; ` +
        `matching items (total) p50 ${percentile(totals, 50)}, p99 ${percentile(totals, 99)}, max ${Math.max(...totals)}`,
    );
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    results.push({
      name,
      value: round(p99, 3),
      unit: 'ms p99',
      baseline: null,
      ratio: null,
      p50: round(p50, 3),
      p99: round(p99, 3),
    });
  };
  run('query.overdue', (a) =>
    overduePage(db, { asOf: a.asOf, limit: PAGE, ...(a.party ? { party: a.party } : {}) }),
  );
  run('query.upcoming', (a) =>
    upcomingPage(db, {
      asOf: a.asOf,
      until: a.until,
      limit: PAGE,
      ...(a.party ? { party: a.party } : {}),
    }),
  );
  db.close();

  const seconds = opts.quick ? 3 : 10;
  const app = await startServerChild('children/app-server.js', [dataDir]);
  for (const route of ['overdue', 'upcoming'] as const) {
    const r = await load({
      url: app.url,
      connections: 10,
      seconds,
      next: () => {
        const a = queryArgs(rng);
        const q = new URLSearchParams({
          asOf: a.asOf,
          limit: String(PAGE),
          ...(route === 'upcoming' ? { within: 'P30D' } : {}),
          ...(a.party ? { party: a.party } : {}),
        });
        return { path: `/${route}?${q.toString()}` };
      },
    });
    results.push({
      name: `query.${route}.http`,
      value: r.p99,
      unit: 'ms p99',
      baseline: null,
      ratio: null,
      p50: r.p50,
      p99: r.p99,
    });
    process.stderr.write(
      `[bench] query.${route}.http: ${r.ok} 2xx (${round(r.reqPerSec, 0)} req/s), ${r.non2xx} non-2xx, ${r.errors} errors\n`,
    );
  }
  await app.stop();
  return results;
}
