/** Shared helpers for the benchmark cases: temp dirs, child processes, percentiles, autocannon. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';

export interface CaseResult {
  name: string;
  value: number;
  unit: string;
  baseline: { name: string; value: number } | null;
  ratio: number | null;
  p50?: number;
  p99?: number;
  rssMb?: number;
}

export interface BenchOptions {
  quick: boolean;
  /** Where this run keeps its databases; removed at the end. */
  workDir: string;
  seed: number;
}

export const here = path.dirname(fileURLToPath(import.meta.url));

export function tempDir(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function makeWorkDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-bench-'));
}

/** A raw better-sqlite3 connection with the store's pragmas (WAL, synchronous=FULL). */
export function openRaw(
  file: string,
  synchronous: 'FULL' | 'NORMAL' | 'OFF' = 'FULL',
): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  return db;
}

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank] as number;
}

/** Run a bench child script (compiled, next to this file) with IPC; resolves with the first message it sends. */
export function runChild<T>(
  script: string,
  args: string[],
  opts: { keepAlive?: false } = {},
): Promise<T> {
  void opts;
  return new Promise<T>((resolve, reject) => {
    const child = fork(path.join(here, script), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    child.once('message', (m) => {
      result = m as T;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`${script} exited with ${code}`));
    });
  });
}

export interface ServerChild {
  url: string;
  stop(): Promise<void>;
}

/** Start a server child that sends `{url}` once listening; stop() sends SIGTERM and waits. */
export function startServerChild(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServerChild> {
  return new Promise<ServerChild>((resolve, reject) => {
    const child = fork(path.join(here, script), args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited early with ${code}`)));
    child.once('message', (m) => {
      const { url } = m as { url: string };
      resolve({
        url,
        stop: async () => {
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(t);
        },
      });
    });
  });
}

export interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/** autocannon against `url` for `seconds`, with each request shaped by `next()`. */
export async function load(opts: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  next: () => { path: string; body?: string };
}): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    method: opts.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const n = opts.next();
          return { ...req, path: n.path, ...(n.body !== undefined ? { body: n.body } : {}) };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    // Only answered, successful requests count.
    reqPerSec: ok / opts.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Time an async or sync function, ms. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export const log = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};
