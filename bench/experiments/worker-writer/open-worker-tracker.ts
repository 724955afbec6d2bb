/**
 * `openTracker` (src/bootstrap.ts, embedded SQLite) with the appends in a writer worker: the
 * same read model, inline projection and application service, but `store.append` posts to
 * writer-worker.ts. Prototype for the experiment of issue 18; the bench's app server uses it
 * when `SQLITE_WRITER=worker`.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Clock } from '../../../src/domain/clock.js';
import { createTracker } from '../../../src/app/tracker.js';
import type { ServedTracker } from '../../../src/http/server.js';
import { catchUp } from '../../../src/read-model/projector.js';
import { sqliteResponseRecords } from '../../../src/read-model/response-records.js';
import {
  ensureReadModelSchema,
  inlineProjection,
} from '../../../src/read-model/sqlite-read-model.js';
import { sqliteReadModel } from '../../../src/read-model/sqlite-port.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';
import { WorkerWriterStore } from './worker-store.js';

/** The compiled worker next to this module (the experiment runs from dist/ only). */
export function writerWorkerFile(): string {
  const file = fileURLToPath(new URL('./writer-worker.js', import.meta.url));
  if (!fs.existsSync(file)) throw new Error(`no compiled writer worker at ${file}: npm run build`);
  return file;
}

export async function openWorkerTracker(opts: {
  dataDir: string;
  clock: Clock;
  synchronous: 'FULL' | 'NORMAL' | 'OFF';
  /** Post each append to the worker on its own (the first prototype) instead of per tick. */
  perAppend?: boolean;
}): Promise<ServedTracker> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const reader = SqliteEventStore.open({
    file: dataFile(opts.dataDir),
    synchronous: opts.synchronous,
    clock: opts.clock,
  });
  const localDb = reader.db;
  ensureReadModelSchema(localDb);
  await catchUp(localDb, reader);
  // Appends made on this connection (appendMany, importEvents) still project inline.
  reader.registerInlineProjection(inlineProjection(reader));
  const store = await WorkerWriterStore.start(
    reader,
    writerWorkerFile(),
    opts.synchronous,
    opts.perAppend ?? false,
  );
  const tracker = createTracker({
    store,
    readModel: sqliteReadModel(localDb, store),
    clock: opts.clock,
    // The worker projects inline in the append's own transaction and answers after COMMIT, so
    // a read on this connection after the answer sees the row.
    readModelIsCurrent: true,
    close: () => store.close(),
  });
  return { ...tracker, responses: sqliteResponseRecords(localDb) };
}
