/**
 * The worker thread that runs one whole-log audit (verify or replay) away from the server's
 * event loop (issue 20). Started by src/audit-runner.ts with the store's settings; it opens its
 * own connections (SQLite in WAL lets it read while the server writes; EventStoreDB through its
 * own client), runs the one audit, posts the result and exits.
 */
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

import { systemClock } from './clock.js';
import { replayKnownAt } from './read-model/replay.js';
import { sqliteReadModel } from './read-model/sqlite-port.js';
import { StoreUnavailableError } from './store/errors.js';
import type { EventStore } from './store/port.js';
import { EsdbEventStore } from './store/esdb/esdb-event-store.js';
import { SqliteEventStore, dataFile } from './store/sqlite/sqlite-event-store.js';

export interface AuditWorkerData {
  dataDir: string;
  eventstoreUrl?: string;
  job: { kind: 'verify' } | { kind: 'replay'; knownAt: string; asOf: string };
}

export type AuditWorkerMessage =
  | { ok: true; result: unknown }
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

async function run(data: AuditWorkerData): Promise<AuditWorkerMessage> {
  const opened = await open(data);
  try {
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
  run(workerData as AuditWorkerData).then(
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
