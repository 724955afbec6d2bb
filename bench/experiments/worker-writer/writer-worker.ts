/**
 * The writer worker: holds the SQLite connection that appends (the group commit, the hash
 * chain and the inline projection run here, exactly the embedded store's code), so the main
 * thread only parses, validates, decides and answers. An append is answered only after the
 * group commit that holds it has committed (WAL, synchronous as given: FULL in the bench).
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { markDecided, type DomainEvent } from '../../../src/domain/events.js';
import {
  ensureReadModelSchema,
  inlineProjection,
} from '../../../src/read-model/sqlite-read-model.js';
import {
  DuplicateEventError,
  InvalidEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../../src/store/errors.js';
import { SqliteEventStore } from '../../../src/store/sqlite/sqlite-event-store.js';
import type {
  AppendAnswer,
  AppendRequest,
  ToWriter,
  WireError,
  WriterMessage,
  WriterWorkerData,
} from './protocol.js';

function wire(err: unknown): WireError {
  if (err instanceof WrongExpectedRevisionError) {
    return {
      name: err.name,
      message: err.message,
      stream: err.stream,
      expected: err.expected,
      actual: err.actual,
    };
  }
  if (err instanceof DuplicateEventError)
    return { name: err.name, message: err.message, eventId: err.eventId };
  if (err instanceof StoreUnavailableError)
    return { name: err.name, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
  if (err instanceof InvalidEventError) {
    return {
      name: err.name,
      message: err.message,
      stream: err.stream,
      index: err.index,
      problems: [...err.problems],
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message };
}

const port = parentPort;
if (!port) throw new Error('writer-worker.js runs as a worker thread');
const data = workerData as WriterWorkerData;
const send = (m: WriterMessage): void => port.postMessage(m);

let store: SqliteEventStore;
try {
  store = SqliteEventStore.open({ file: data.file, synchronous: data.synchronous });
  ensureReadModelSchema(store.db);
  store.registerInlineProjection(inlineProjection(store));
} catch (err) {
  send({ kind: 'fatal', error: wire(err) });
  throw err;
}

// Answers settle together after each group commit; they go back in one message.
let outbox: AppendAnswer[] = [];
function answer(a: AppendAnswer): void {
  if (outbox.length === 0) {
    queueMicrotask(() => {
      const answers = outbox;
      outbox = [];
      send({ kind: 'done', answers });
    });
  }
  outbox.push(a);
}

function append(req: AppendRequest): void {
  // The main thread checked these events at the door (checkAtTheDoor) before posting them; the
  // clone lost the mark `decide` set, so it is set again rather than parsing twice.
  markDecided(req.events as unknown as DomainEvent[]);
  store.append(req.stream, req.events, { expectedRevision: req.expected }).then(
    (result) => answer({ id: req.id, ok: true, result }),
    (error: unknown) => answer({ id: req.id, ok: false, error: wire(error) }),
  );
}

port.on('message', (msg: ToWriter) => {
  if (msg === 'close') {
    const { commits, appends, failedAppends, largestBatch } = store.stats;
    const elu = performance.eventLoopUtilization();
    process.stderr.write(
      `[bench] writer worker: ${appends} appends (${failedAppends} failed) in ${commits} commits, largest batch ${largestBatch}` +
        `, busy ${Math.round(elu.active)} ms (${Math.round(elu.utilization * 100)}% of its life)` +
        '\n',
    );
    void store.close().then(() => port.close());
    return;
  }
  for (const req of msg) append(req);
});
send({ kind: 'ready' });
