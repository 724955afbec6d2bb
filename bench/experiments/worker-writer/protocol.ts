/**
 * Messages between the main thread and the writer worker (experiment of issue 18, "Writes off
 * the event loop"; see README.md here and docs/performance.md, round two).
 */
import type { AppendResult, ExpectedRevision, NewEvent } from '../../../src/store/port.js';

export interface WriterWorkerData {
  file: string;
  synchronous: 'FULL' | 'NORMAL' | 'OFF';
}

/** Main → worker: one append. `id` pairs it with its answer. */
export interface AppendRequest {
  id: number;
  stream: string;
  events: NewEvent[];
  expected: ExpectedRevision;
}

/** A typed store error, flattened for postMessage (classes do not survive structured clone). */
export interface WireError {
  name: string;
  message: string;
  stream?: string;
  expected?: ExpectedRevision;
  actual?: number;
  eventId?: string;
  retryAfterSeconds?: number;
  index?: number;
  problems?: Array<{ path: string; message: string }>;
}

/** One append's answer. */
export type AppendAnswer =
  { id: number; ok: true; result: AppendResult } | { id: number; ok: false; error: WireError };

/**
 * Main → worker: the appends of one main-thread tick, in one message (so that they land in one
 * group commit, as they do on the main thread), or 'close'.
 */
export type ToWriter = AppendRequest[] | 'close';

/** Worker → main: `ready` once the connection is open, then the answers of each commit. */
export type WriterMessage =
  | { kind: 'ready' }
  | { kind: 'fatal'; error: WireError }
  | { kind: 'done'; answers: AppendAnswer[] };
