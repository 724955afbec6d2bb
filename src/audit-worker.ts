/**
 * The worker thread that runs one whole-log audit (verify or replay) away from the server's
 * event loop (issue 20). Started by src/audit-runner.ts with the store's settings; it opens its
 * own connections (SQLite in WAL lets it read while the server writes; EventStoreDB through its
 * own client), runs the one audit, posts the result and exits.
 *
 * A streamed replay (`job.stream`, issue 18) posts its JSON chunk by chunk (`{chunk}`), then
 * `{ok: true}`; it waits for the thread that started it to acknowledge chunks (`{ack: n}`, the
 * number taken so far) and never has more than `REPLAY_WINDOW` of them unacknowledged, so it
 * cannot run ahead of a slow client. That thread terminates it when the client goes away.
 */
import path from 'node:path';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';

import { systemClock } from './clock.js';
import { REPLAY_WINDOW, replayJson } from './audit-runner.js';
import { replayKnownAt } from './read-model/replay.js';
import { sqliteReadModel } from './read-model/sqlite-port.js';
import { StoreUnavailableError } from './store/errors.js';
import type { EventStore } from './store/port.js';
import { EsdbEventStore } from './store/esdb/esdb-event-store.js';
import { SqliteEventStore, dataFile } from './store/sqlite/sqlite-event-store.js';

export interface AuditWorkerData {
  dataDir: string;
  eventstoreUrl?: string;
  job: { kind: 'verify' } | { kind: 'replay'; knownAt: string; asOf: string; stream?: boolean };
}

export type AuditWorkerMessage =
  | { chunk: string }
  | { ok: true; result?: unknown }
  | { ok: false; name: string; message: string; retryAfterSeconds?: number };

async function open(
  data: AuditWorkerData,
): Promise<{ store: EventStore; db: Database.Database; close(): Promise<void> }> {
  if (data.eventstoreUrl) {
    const store = await EsdbEventStore.connect(data.eventstoreUrl, { clock: systemClock });
    const db = new Database(path.join(data.dataDir, 'read-model.db'), { readonly: true });
    db.pragma('busy_timeout = 5000');
    return {
      store,
      db,
      async close() {
        db.close();
        await store.close();
      },
    };
  }
  const store = SqliteEventStore.open({ file: dataFile(data.dataDir), clock: systemClock });
  return { store, db: store.db, close: () => store.close() };
}

/** Post the replay's chunks, keeping at most `REPLAY_WINDOW` of them unacknowledged. */
async function streamReplay(
  store: EventStore,
  job: { knownAt: string; asOf: string },
  port: MessagePort,
): Promise<void> {
  let acked = 0;
  let posted = 0;
  let wake: (() => void) | null = null;
  const onAck = (m: { ack?: number }): void => {
    if (typeof m.ack === 'number' && m.ack > acked) acked = m.ack;
    wake?.();
  };
  port.on('message', onAck);
  try {
    for await (const chunk of replayJson(store, job)) {
      port.postMessage({ chunk } satisfies AuditWorkerMessage);
      posted += 1;
      while (posted - acked >= REPLAY_WINDOW) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    }
  } finally {
    // The listener keeps the thread alive; without it the worker can exit when done.
    port.off('message', onAck);
  }
}

async function run(data: AuditWorkerData, port: MessagePort): Promise<AuditWorkerMessage> {
  const opened = await open(data);
  try {
    if (data.job.kind === 'replay' && data.job.stream === true) {
      await streamReplay(opened.store, data.job, port);
      return { ok: true };
    }
    const result =
      data.job.kind === 'verify'
        ? await sqliteReadModel(opened.db, opened.store).verify()
        : await replayKnownAt(opened.store, { knownAt: data.job.knownAt, asOf: data.job.asOf });
    return { ok: true, result };
  } finally {
    await opened.close();
  }
}

if (parentPort) {
  const port = parentPort;
  run(workerData as AuditWorkerData, port).then(
    (msg) => port.postMessage(msg),
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      port.postMessage({
        ok: false,
        name: e.name,
        message: e.message,
        ...(err instanceof StoreUnavailableError
          ? { retryAfterSeconds: err.retryAfterSeconds }
          : {}),
      } satisfies AuditWorkerMessage);
    },
  );
}
