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
  /**
   * The replay's answer as JSON text in chunks, made as the caller pulls them (the chunks put
   * together are `JSON.stringify` of `replay`'s result); stops when `signal` aborts or the caller
   * stops pulling. Without it, the answer is `replay`'s, in one chunk.
   */
  replayJson?(opts: { knownAt: string; asOf: string }, signal: AbortSignal): AsyncIterable<string>;
}

/** A runner's replay as JSON chunks: streamed when it can, else its whole answer in one chunk. */
export function replayChunksOf(
  runner: AuditRunner,
  opts: { knownAt: string; asOf: string },
  signal: AbortSignal,
): AsyncIterable<string> {
  if (runner.replayJson) return runner.replayJson(opts, signal);
  return (async function* oneChunk() {
    yield JSON.stringify(await runner.replay(opts));
  })();
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
  /**
   * The replay streamed: each chunk of its JSON goes to `write`, which resolves when the next may
   * come (backpressure). The replay slot is held until the last chunk is written, the replay
   * fails, or `signal` aborts (the client went away: the work stops and the slot is freed).
   */
  replayJson(
    opts: { knownAt: string; asOf: string },
    write: (chunk: string) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void>;
  /** The last completed verify, or null before the first. */
  lastVerify(): LastVerify | null;
  /** Which audits are running now. */
  running(): AuditKind[];
}

/**
 * One job of each kind at a time: starting a kind that is running throws `BusyError`, with a
 * Retry-After of roughly the rest of the running job by the last one's duration (1 to 300 s).
 * The audits here and the full exports (src/app/export-jobs.ts) both hold their slots with it.
 */
export function exclusiveSlots<K extends string>(deps: {
  now(): Date;
  /** What `BusyError` names as running; the kind itself by default. */
  label?: (kind: K) => string;
}): { run<T>(kind: K, work: () => Promise<T>): Promise<T>; running(): K[] } {
  const running = new Map<K, number>();
  const lastDurationMs = new Map<K, number>();

  function retryAfter(kind: K): number {
    const startedAt = running.get(kind);
    const elapsed = startedAt === undefined ? 0 : deps.now().getTime() - startedAt;
    const rest = Math.max(0, (lastDurationMs.get(kind) ?? 0) - elapsed);
    return Math.min(300, Math.max(1, Math.ceil(rest / 1000)));
  }

  return {
    async run(kind, work) {
      if (running.has(kind)) throw new BusyError(deps.label?.(kind) ?? kind, retryAfter(kind));
      const startedAt = deps.now().getTime();
      running.set(kind, startedAt);
      try {
        return await work();
      } finally {
        lastDurationMs.set(kind, Math.max(0, deps.now().getTime() - startedAt));
        running.delete(kind);
      }
    },
    running: () => [...running.keys()],
  };
}

export function auditJobs(deps: {
  runner: AuditRunner;
  headPosition(): Promise<number>;
  now(): Date;
}): AuditJobs {
  const slots = exclusiveSlots<AuditKind>({ now: () => deps.now() });
  const exclusive = slots.run;
  let last: LastVerify | null = null;

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
    replayJson: (opts, write, signal) =>
      exclusive('replay', async () => {
        signal.throwIfAborted();
        const chunks = replayChunksOf(deps.runner, opts, signal);
        for await (const chunk of chunks) {
          signal.throwIfAborted();
          await write(chunk);
        }
        signal.throwIfAborted();
      }),
    lastVerify: () => last,
    running: slots.running,
  };
}
