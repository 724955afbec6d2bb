/**
 * Runs whole-log audits in a worker thread (src/audit-worker.ts), one worker per audit, so a
 * verify or a replay of a large log does not hold the server's event loop (issue 20). Used by
 * the composition root when the compiled worker is present (dist/); under the TypeScript
 * sources (tests run by vitest) there is no runnable worker file, and audits run inline.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import type { AuditRunner } from './app/audit-jobs.js';
import type { ReplayResult, VerifyReport } from './read-model/types.js';
import { StoreUnavailableError } from './store/errors.js';
import type { AuditWorkerData, AuditWorkerMessage } from './audit-worker.js';

/** The compiled worker next to this module, or null when running from the sources. */
export function compiledWorkerFile(): string | null {
  const url = new URL('./audit-worker.js', import.meta.url);
  if (url.protocol !== 'file:') return null;
  const file = fileURLToPath(url);
  return fs.existsSync(file) ? file : null;
}

function runInWorker(file: string, data: AuditWorkerData): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: data });
    let settled = false;
    worker.once('message', (msg: AuditWorkerMessage) => {
      settled = true;
      if (msg.ok) return resolve(msg.result);
      const err =
        msg.name === 'StoreUnavailableError'
          ? new StoreUnavailableError(msg.message, msg.retryAfterSeconds ?? 5)
          : Object.assign(new Error(msg.message), { name: msg.name });
      reject(err);
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

export function workerAuditRunner(opts: {
  file: string;
  dataDir: string;
  eventstoreUrl?: string;
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
  };
}
