/**
 * Runs whole-log audits in a worker thread (src/audit-worker.ts), one worker per audit, so a
 * verify or a replay of a large log does not hold the server's event loop (issue 20). Used by
 * the composition root when the compiled worker is present (dist/); under the TypeScript
 * sources (tests run by vitest) there is no runnable worker file, and audits run inline
 * (`inlineAuditRunner`).
 *
 * A replay streams (issue 18): the worker posts its JSON chunk by chunk, at most
 * `REPLAY_WINDOW` chunks ahead of what the caller has taken (each chunk taken is acknowledged),
 * so a slow client holds the worker back instead of filling memory; a caller that stops (the
 * client went away) terminates the worker.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { AuditRunner } from './app/audit-jobs.js';
import { replayJsonChunks } from './export/replay-json.js';
import { openReplay } from './read-model/replay.js';
import type { ReplayResult, VerifyReport } from './read-model/types.js';
import { StoreUnavailableError } from './store/errors.js';
import type { EventStore } from './store/port.js';
import type { AuditWorkerData, AuditWorkerMessage } from './audit-worker.js';

/** Chunks the replay worker may post before the caller has taken them. */
export const REPLAY_WINDOW = 4;

/** The compiled worker next to this module, or null when running from the sources. */
export function compiledWorkerFile(): string | null {
  const url = new URL('./audit-worker.js', import.meta.url);
  if (url.protocol !== 'file:') return null;
  const file = fileURLToPath(url);
  return fs.existsSync(file) ? file : null;
}

/**
 * The replay's JSON (the bytes of `JSON.stringify(ReplayResult)`) in chunks, folded as they are
 * pulled: what the worker posts, and what the server streams itself without a worker.
 */
export async function* replayJson(
  store: Pick<EventStore, 'readAll' | 'local'>,
  opts: { knownAt: string; asOf: string; pageSize?: number },
  signal?: AbortSignal,
): AsyncGenerator<string, void, undefined> {
  const { position, views } = await openReplay(store, {
    ...opts,
    ...(signal !== undefined ? { signal } : {}),
  });
  yield* replayJsonChunks({ knownAt: opts.knownAt, asOf: opts.asOf, position }, views);
}

/** Verify and replay on the calling thread; the replay streams, yielding between pages. */
export function inlineAuditRunner(
  tracker: Pick<AuditRunner, 'verify' | 'replay'>,
  store: Pick<EventStore, 'readAll' | 'local'>,
): AuditRunner {
  return {
    verify: () => tracker.verify(),
    replay: (o) => tracker.replay(o),
    replayJson: (o, signal) => replayJson(store, o, signal),
  };
}

function workerError(msg: Extract<AuditWorkerMessage, { ok: false }>): Error {
  return msg.name === 'StoreUnavailableError'
    ? new StoreUnavailableError(msg.message, msg.retryAfterSeconds ?? 5)
    : Object.assign(new Error(msg.message), { name: msg.name });
}

function runInWorker(file: string, data: AuditWorkerData): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: data });
    let settled = false;
    worker.once('message', (msg: AuditWorkerMessage) => {
      settled = true;
      if ('chunk' in msg) return reject(new Error('the audit worker streamed an unstreamed job'));
      if (msg.ok) return resolve(msg.result);
      reject(workerError(msg));
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the audit worker exited with code ${code} and no result`));
      settled = true;
    });
  });
}

/** What happened in a replay worker, in order: for tests and diagnostics. */
export type ReplayWorkerEvent = 'chunk' | 'done' | 'error' | 'exit';

/**
 * A replay in a worker, as chunks: each chunk the caller takes is acknowledged to the worker,
 * which posts at most `REPLAY_WINDOW` chunks beyond the last acknowledged one. Stopping the
 * iteration (or `signal` aborting, even while waiting for the worker) terminates the worker.
 */
async function* replayInWorker(
  file: string,
  data: AuditWorkerData,
  signal: AbortSignal,
  onEvent?: (e: ReplayWorkerEvent) => void,
): AsyncGenerator<string, void, undefined> {
  signal.throwIfAborted();
  const worker = new Worker(file, { workerData: data });
  const inbox: Array<AuditWorkerMessage | { exit: number } | { error: Error }> = [];
  let wake: (() => void) | null = null;
  const push = (m: (typeof inbox)[number]): void => {
    inbox.push(m);
    wake?.();
  };
  worker.on('message', (m: AuditWorkerMessage) => {
    onEvent?.('chunk' in m ? 'chunk' : m.ok ? 'done' : 'error');
    push(m);
  });
  worker.once('error', (error) => push({ error }));
  worker.once('exit', (code) => {
    onEvent?.('exit');
    push({ exit: code });
  });
  const aborted = (): void => wake?.();
  signal.addEventListener('abort', aborted);
  let taken = 0;
  try {
    for (;;) {
      while (inbox.length === 0) {
        signal.throwIfAborted();
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      signal.throwIfAborted();
      const m = inbox.shift() as (typeof inbox)[number];
      if ('error' in m) throw m.error;
      if ('exit' in m) throw new Error(`the audit worker exited with code ${m.exit} and no result`);
      if ('chunk' in m) {
        yield m.chunk;
        taken += 1;
        worker.postMessage({ ack: taken });
        continue;
      }
      if (!m.ok) throw workerError(m);
      return;
    }
  } finally {
    signal.removeEventListener('abort', aborted);
    // Done: the worker is exiting anyway. Stopped early: no orphan work.
    await worker.terminate();
  }
}

export function workerAuditRunner(opts: {
  file: string;
  dataDir: string;
  eventstoreUrl?: string;
  /** Sees each replay worker's messages and its exit, in order (tests). */
  onReplayEvent?: (e: ReplayWorkerEvent) => void;
}): AuditRunner {
  const base = {
    dataDir: opts.dataDir,
    ...(opts.eventstoreUrl ? { eventstoreUrl: opts.eventstoreUrl } : {}),
  };
  return {
    verify: async () =>
      (await runInWorker(opts.file, { ...base, job: { kind: 'verify' } })) as VerifyReport,
    replay: async ({ knownAt, asOf }) =>
      (await runInWorker(opts.file, {
        ...base,
        job: { kind: 'replay', knownAt, asOf },
      })) as ReplayResult,
    replayJson: ({ knownAt, asOf }, signal) =>
      replayInWorker(
        opts.file,
        { ...base, job: { kind: 'replay', knownAt, asOf, stream: true } },
        signal,
        opts.onReplayEvent,
      ),
  };
}
