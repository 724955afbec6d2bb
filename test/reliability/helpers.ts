/**
 * Shared pieces for the reliability tests: temp dirs, the real server as a child process
 * (`node dist/src/cli/main.js serve`), the CLI as a subprocess, an in-process app on a real
 * listening socket, raw HTTP requests, and request bodies.
 *
 * The child-process helpers need the build (`npm test` builds first; by hand:
 * `npx tsc -p tsconfig.build.json`).
 */
import { tradeBody } from '../http/helpers.js';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

import { openTracker, type OpenTracker } from '../../src/bootstrap.js';
import type { ApiKey } from '../../src/config.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/http/logger.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/src/cli/main.js');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `commitments-rel-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A port nobody listens on right now: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The environment for a child: the parent's PATH and HOME, nothing else that could change config. */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) {
    if (process.env[k] !== undefined) env[k] = process.env[k];
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Children still running: killed when the test process exits, so a failed test leaves none behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface ChildServer {
  url: string;
  proc: ChildProcess;
  /** Everything the child wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code and signal when the child exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), then wait for the exit; SIGKILL after 15 s. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn `commitments serve` on DATA_DIR, wait until GET /health answers 200. */
export async function spawnServer(opts: {
  dataDir: string;
  env?: Record<string, string | undefined>;
  /** How long to wait for /health. Default 20 s. */
  readyTimeoutMs?: number;
}): Promise<ChildServer> {
  const port = await freePort();
  const env = childEnv({
    DATA_DIR: opts.dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    ...opts.env,
  });
  const proc = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  proc.stdout?.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  proc.stderr?.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  live.add(proc);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (exitedEarly) {
      throw new Error(`the server exited before it was ready:\n${chunks.join('')}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the server did not become ready:\n${chunks.join('')}`);
    }
    await sleep(50);
  }
  return {
    url,
    proc,
    output: () => chunks.join(''),
    exited,
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to completion (or until `killAfterMs`, then SIGKILL). */
export function runCli(
  args: string[],
  opts: {
    dataDir: string;
    env?: Record<string, string | undefined>;
    killAfterMs?: number;
    timeoutMs?: number;
  },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], {
      env: childEnv({ DATA_DIR: opts.dataDir, LOG_LEVEL: 'warn', ...opts.env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timers: NodeJS.Timeout[] = [];
    if (opts.killAfterMs !== undefined) {
      timers.push(setTimeout(() => proc.kill('SIGKILL'), opts.killAfterMs));
    }
    timers.push(setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs ?? 120_000));
    proc.once('error', reject);
    proc.once('exit', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Fetch JSON; the body is parsed when it is JSON, else kept as text. */
export async function getJson<T = unknown>(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  return getJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** Every commitment view from GET /commitments, all pages, at a fixed asOf. */
export async function listAll(
  base: string,
  headers: Record<string, string> = {},
  asOf = '2026-06-01',
): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  for (;;) {
    const qs = new URLSearchParams({ asOf, limit: '500' });
    if (cursor) qs.set('cursor', cursor);
    const r = await getJson<{ items: unknown[]; nextCursor: string | null }>(
      `${base}/commitments?${qs.toString()}`,
      { headers },
    );
    if (r.status !== 200)
      throw new Error(`GET /commitments: ${r.status} ${JSON.stringify(r.body)}`);
    items.push(...r.body.items);
    if (!r.body.nextCursor) return items;
    cursor = r.body.nextCursor;
  }
}

// ---------- in-process app on a real socket ----------

export const KEYS: ApiKey[] = [
  { name: 'alice', role: 'recorder', secret: 'rec-SECRET-alice-7f3a9c-0b1d2e3f4a5b' },
  { name: 'bob', role: 'reader', secret: 'read-SECRET-bob-2d8e41-6c7d8e9f0a1b' },
  { name: 'carol', role: 'auditor', secret: 'audit-SECRET-carol-3e4f5a-6b7c8d9e0f' },
];

export interface InProcess {
  url: string;
  tracker: OpenTracker & { localDb: Database.Database };
  dir: string;
  logs: string[];
  /** Position of the last event in the store. */
  head(): Promise<number>;
  close(): Promise<void>;
}

/** createApp over a real tracker on a temp dir, served by http.createServer on 127.0.0.1:0. */
export async function inProcessServer(
  opts: { keys?: ApiKey[]; dir?: string; now?: string } = {},
): Promise<InProcess> {
  const dir = opts.dir ?? tempDir('app');
  const clock = fixedClock(opts.now ?? '2026-01-10T12:00:00.000Z');
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        cb();
      },
    }),
  });
  const tracker = await openTracker({ dataDir: dir, clock, synchronous: 'NORMAL', logger });
  const keys = opts.keys ?? [];
  const app = createApp({
    tracker,
    config: { apiKeys: keys, openMode: keys.length === 0 },
    logger,
    clock,
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tracker,
    dir,
    logs,
    head: () => tracker.store.headPosition(),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await tracker.close();
      if (!opts.dir) removeDir(dir);
    },
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One request over a fresh connection with raw bytes for the body. Rejects when the
 * connection fails or is dropped before a full response arrives.
 */
export function rawRequest(
  base: string,
  opts: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    timeoutMs?: number;
  },
): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: opts.method,
        path: opts.path,
        headers: {
          // Always frame the body, whatever the method (a GET body without Content-Length
          // would be read as the start of the next request).
          ...(opts.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(opts.body)) }
            : {}),
          // Keep-alive, as fetch and most clients send it; the socket is destroyed after the
          // response. (With Connection: close, a server that answers before reading a large body
          // closes with unread bytes, and the kernel may reset the connection: see the report.)
          connection: 'keep-alive',
          ...opts.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          });
          res.socket?.destroy();
        });
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    req.setTimeout(opts.timeoutMs ?? 20_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

// ---------- bodies ----------

let seq = 0;

/** A valid POST /commitments body with a metric (so progress may carry a value). */
export function commitmentBody(
  id?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  seq += 1;
  const { id: _fixtureId, ...body } = tradeBody({
    title: `Raise bilateral trade turnover, case ${seq}`,
    parties: ['UZ', 'KZ'],
    ...extra,
  });
  return { ...(id ? { id } : {}), ...body };
}

export function progressBody(note: string, value = 5_000_000_000): Record<string, unknown> {
  return { asOf: '2025-12-31', value, note };
}

/** Typed accessors for the JSON of a history response. */
export interface HistoryEvent {
  position: number;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
  recordedBy: string;
  hash: string;
}

export interface VerifyBody {
  ok: boolean;
  events: number;
  chain: { ok: boolean; brokenAt?: { stream: string; revision: number; reason: string } };
  readModel: { ok: boolean; mismatches: Array<{ id: string; reason: string }> };
}

// ---------- read-model snapshots (table names from src/read-model/schema.ts) ----------

export const RM_TABLES = [
  'rm_commitments',
  'rm_parties',
  'rm_tags',
  'rm_agenda',
  'rm_agenda_party',
  'rm_agenda_days',
  'rm_checkpoint',
];

export type Snapshot = Record<string, unknown[]>;

/** Every row of every read-model table, in a stable order. */
export function snapshot(file: string): Snapshot {
  const db = new Database(file, { readonly: true });
  try {
    const out: Snapshot = {};
    for (const t of RM_TABLES) out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
    return out;
  } finally {
    db.close();
  }
}
