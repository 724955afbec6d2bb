/**
 * http.write: POST /commitments/{id}/progress against the real app (child process, durable
 * store, temp DATA_DIR), 50 connections, spread over many commitments; the same load against a
 * bare express + zod + one-insert app with the same pragmas, and (http.floor, for reference) the
 * same bare app writing nothing.
 * With `SQLITE_WRITER=worker` in the environment the app server appends through a writer worker
 * thread (the issue-18 experiment, bench/experiments/worker-writer) and the case is reported as
 * `http.write.worker`, so its figures are never mistaken for the product's.
 */
import Database from 'better-sqlite3';
import { makeRng } from '../generate.js';
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
import { logFile } from './append.js';

export async function httpWrite(opts: BenchOptions): Promise<CaseResult[]> {
  const dir = tempDir(opts.workDir, 'http-write');
  const rawDir = tempDir(opts.workDir, 'http-write-raw');
  const ids = await seedCommitments(dir, opts.seed, 10_000);
  const seconds = opts.quick ? 5 : 10;
  const rng = makeRng(opts.seed + 1);
  const next = () => ({
    path: `/commitments/${ids[Math.floor(rng() * ids.length)] as string}/progress`,
    body: JSON.stringify({
      asOf: '2026-05-01',
      value: Math.round(rng() * 1e9),
      note: 'Monthly customs figures.',
    }),
  });

  const worker = process.env.SQLITE_WRITER === 'worker';
  const name = worker ? 'http.write.worker' : 'http.write';
  const app = await startServerChild('children/app-server.js', [dir]);
  const real = await load({ url: app.url, connections: 50, seconds, method: 'POST', next });
  await app.stop();
  const raw = await startServerChild('children/baseline-server.js', [rawDir]);
  const base = await load({ url: raw.url, connections: 50, seconds, method: 'POST', next });
  await raw.stop();
  const bare = await startServerChild('children/baseline-server.js', [rawDir, '--no-write']);
  const floor = await load({ url: bare.url, connections: 50, seconds, method: 'POST', next });
  await bare.stop();

  // Every acknowledged write must be in the log.
  const db = new Database(logFile(dir), { readonly: true });
  const stored = (
    db.prepare("SELECT count(*) AS n FROM events WHERE type = 'ProgressReported'").get() as {
      n: number;
    }
  ).n;
  db.close();
  log(
    `${name}: ${real.ok} 2xx, ${real.non2xx} non-2xx, ${real.errors} errors, ${stored} progress events stored; baseline ${base.ok} 2xx`,
  );
  if (stored < real.ok)
    log(`${name}: WARNING ${real.ok - stored} acknowledged writes are missing from the log`);
  const baseline = { name: 'express + zod + 1 insert', value: round(base.reqPerSec, 1) };
  return [
    {
      name,
      value: round(real.reqPerSec, 1),
      unit: 'req/s',
      baseline,
      ratio: round(real.reqPerSec / base.reqPerSec, 3),
      p50: real.p50,
      p99: real.p99,
    },
    {
      // For reference, no target: the same express + zod app writing nothing, under the same
      // load. It bounds what any express app can do here (req/s and p99 at 50 connections).
      name: 'http.floor',
      value: round(floor.reqPerSec, 1),
      unit: 'req/s',
      baseline,
      ratio: round(floor.reqPerSec / base.reqPerSec, 3),
      p50: floor.p50,
      p99: floor.p99,
    },
  ];
}
