/**
 * Whole-log work, bounded (issue 20). `verify` and `replay` read the whole log; on a large log
 * each takes seconds and memory in proportion to it. Here:
 * - at most one verify and one replay run at a time per store; another caller gets `BusyError`
 *   (HTTP 429 with Retry-After) instead of a second copy of the work;
 * - the work runs wherever the `AuditRunner` puts it: the composition root hands a runner that
 *   uses a worker thread (src/audit-worker.ts), so the event loop stays free for other requests;
 * - the last verify report is kept with the log position it covers and when it finished.
 */
import type { ReplayResult, VerifyReport } from '../read-model/types.js';

/** Where the whole-log audits run. */
export interface AuditRunner {
  verify(): Promise<VerifyReport>;
  replay(opts: { knownAt: string; asOf: string }): Promise<ReplayResult>;
}

export type AuditKind = 'verify' | 'replay';

/** Another audit (or full export, src/app/export-jobs.ts) of the same kind is running. */
export class BusyError extends Error {
  override readonly name = 'BusyError';
  constructor(
    /** What is running: `verify`, `replay`, `calendar export`, `CSV export`. */
    readonly kind: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`a ${kind} is already running on this store; retry in about ${retryAfterSeconds} s`);
  }
}

export interface LastVerify {
  report: VerifyReport;
  /** The log's head position when the verify started: the report covers events up to here. */
  position: number;
  startedAt: string;
  finishedAt: string;
}

export interface AuditJobs {
  verify(): Promise<VerifyReport>;
  replay(opts: { knownAt: string; asOf: string }): Promise<ReplayResult>;
  /** The last completed verify, or null before the first. */
  lastVerify(): LastVerify | null;
  /** Which audits are running now. */
  running(): AuditKind[];
}

export function auditJobs(deps: {
  runner: AuditRunner;
  headPosition(): Promise<number>;
  now(): Date;
}): AuditJobs {
  const running = new Map<AuditKind, { startedAt: number }>();
  const lastDurationMs: Record<AuditKind, number> = { verify: 0, replay: 0 };
  let last: LastVerify | null = null;

  /** Retry after roughly the rest of the running job, by the last one's duration; 1 to 300 s. */
  function retryAfter(kind: AuditKind): number {
    const job = running.get(kind);
    const elapsed = job ? deps.now().getTime() - job.startedAt : 0;
    const rest = Math.max(0, lastDurationMs[kind] - elapsed);
    return Math.min(300, Math.max(1, Math.ceil(rest / 1000)));
  }

  async function exclusive<T>(kind: AuditKind, work: () => Promise<T>): Promise<T> {
    if (running.has(kind)) throw new BusyError(kind, retryAfter(kind));
    const startedAt = deps.now().getTime();
    running.set(kind, { startedAt });
    try {
      return await work();
    } finally {
      lastDurationMs[kind] = Math.max(0, deps.now().getTime() - startedAt);
      running.delete(kind);
    }
  }

  return {
    verify: () =>
      exclusive('verify', async () => {
        const startedAt = deps.now().toISOString();
        const position = await deps.headPosition();
        const report = await deps.runner.verify();
        last = { report, position, startedAt, finishedAt: deps.now().toISOString() };
        return report;
      }),
    replay: (opts) => exclusive('replay', () => deps.runner.replay(opts)),
    lastVerify: () => last,
    running: () => [...running.keys()],
  };
}
