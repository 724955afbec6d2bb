/**
 * The composition root: the one place that knows the concrete adapters. From the configuration
 * it opens the event store (embedded SQLite, or EventStoreDB when EVENTSTORE_URL is set), sets
 * the local database's pragmas, opens the read model and keeps it current (inline in the
 * append's transaction on SQLite; a projector following the log on EventStoreDB), then hands the
 * ports to the application service. `startServer` serves that application over HTTP.
 * Invariant: the read model has applied the whole log before the tracker is returned (embedded).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from 'pino';

import type { Clock } from './domain/clock.js';
import type { Config } from './config.js';
import { createTracker, type LogFollower } from './app/tracker.js';
import type { Tracker } from './app/types.js';
import type { EventStore } from './store/port.js';
import { SqliteEventStore, dataFile } from './store/sqlite/sqlite-event-store.js';
import { EsdbEventStore } from './store/esdb/esdb-event-store.js';
import { ensureReadModelSchema, inlineProjection } from './read-model/sqlite-read-model.js';
import { rebuild, type RebuildOptions, type RebuildResult } from './read-model/rebuild.js';
import { catchUp, Projector } from './read-model/projector.js';
import { sqliteReadModel } from './read-model/sqlite-port.js';
import {
  sqliteResponseRecords,
  type SqliteResponseRecords,
} from './read-model/response-records.js';
import { startServer as startHttpServer, type RunningServer } from './http/server.js';
import type { AuditRunner } from './app/audit-jobs.js';
import { compiledWorkerFile, inlineAuditRunner, workerAuditRunner } from './audit-runner.js';

export { createLogger } from './http/logger.js';
export { dataFile } from './store/sqlite/sqlite-event-store.js';

export interface TrackerConfig {
  dataDir: string;
  /** When set, events live in EventStoreDB; the read model stays in a local SQLite file. */
  eventstoreUrl?: string;
  clock: Clock;
  /** SQLite durability; FULL survives a power cut. */
  synchronous?: 'FULL' | 'NORMAL' | 'OFF';
  logger?: Logger;
  /** Bounded read-your-writes wait for an external store, ms. */
  projectionWaitMs?: number;
  /** Run verify and replay on the calling thread even when the compiled worker exists. */
  inlineAudits?: boolean;
}

export interface OpenTracker extends Tracker {
  /** SQLite database holding the read model (and, embedded, the events); for tools and tests. */
  readonly localDb: Database.Database;
  /** Responses to keyed HTTP writes, kept in `localDb`. */
  readonly responses: SqliteResponseRecords;
  readonly storeKind: 'sqlite' | 'eventstoredb';
  readonly store: EventStore;
  /** Where the server runs verify and replay: a worker thread when compiled, else inline. */
  readonly auditRunner: AuditRunner;
  /** Apply what the log holds beyond the read model's checkpoint (maintenance commands). */
  catchUpReadModel(): Promise<{ events: number; position: number }>;
  /** Drop the read model and rebuild it from the log. */
  rebuildReadModel(opts?: RebuildOptions): Promise<RebuildResult>;
}

interface Opened {
  store: EventStore;
  localDb: Database.Database;
  projector: Projector | null;
}

async function openEsdb(config: TrackerConfig & { eventstoreUrl: string }): Promise<Opened> {
  const log = config.logger;
  const store = await EsdbEventStore.connect(config.eventstoreUrl, {
    clock: config.clock,
    log: (msg: string, err?: unknown) => log?.warn({ err }, msg),
  });
  const localDb = new Database(path.join(config.dataDir, 'read-model.db'));
  localDb.pragma('journal_mode = WAL');
  localDb.pragma(`synchronous = ${config.synchronous ?? 'FULL'}`);
  localDb.pragma('busy_timeout = 5000');
  ensureReadModelSchema(localDb);
  const projector = new Projector(store, localDb, {
    info: (m) => log?.info(m),
    warn: (m, e) => log?.warn({ err: e }, m),
    error: (m, e) => log?.error({ err: e }, m),
  });
  projector.start();
  return { store, localDb, projector };
}

async function openEmbedded(config: TrackerConfig): Promise<Opened> {
  const sqlite = SqliteEventStore.open({
    file: dataFile(config.dataDir),
    synchronous: config.synchronous ?? 'FULL',
    clock: config.clock,
  });
  const localDb = sqlite.db;
  ensureReadModelSchema(localDb);
  // Torn state: anything appended but not projected (a crash, a deleted read model) is applied first.
  await catchUp(localDb, sqlite);
  sqlite.registerInlineProjection(inlineProjection(sqlite));
  return { store: sqlite, localDb, projector: null };
}

/** Open the store and read model the configuration names, and the application over them. */
export async function openTracker(config: TrackerConfig): Promise<OpenTracker> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const { store, localDb, projector } = config.eventstoreUrl
    ? await openEsdb({ ...config, eventstoreUrl: config.eventstoreUrl })
    : await openEmbedded(config);
  const follower: LogFollower | undefined = projector ?? undefined;
  const tracker = createTracker({
    store,
    readModel: sqliteReadModel(localDb, store),
    clock: config.clock,
    readModelIsCurrent: projector === null,
    ...(follower ? { follower } : {}),
    ...(config.projectionWaitMs !== undefined ? { projectionWaitMs: config.projectionWaitMs } : {}),
    warn: (fields, message) => config.logger?.warn(fields, message),
    async close() {
      if (projector) await projector.stop();
      await store.close();
      if (store.kind !== 'sqlite' && localDb.open) localDb.close();
    },
  });
  const workerFile = config.inlineAudits ? null : compiledWorkerFile();
  const auditRunner: AuditRunner = workerFile
    ? workerAuditRunner({
        file: workerFile,
        dataDir: config.dataDir,
        ...(config.eventstoreUrl ? { eventstoreUrl: config.eventstoreUrl } : {}),
      })
    : inlineAuditRunner(tracker, store);
  return {
    ...tracker,
    auditRunner,
    localDb,
    responses: sqliteResponseRecords(localDb),
    storeKind: store.kind,
    store,
    catchUpReadModel: () => catchUp(localDb, store),
    rebuildReadModel: (opts) => rebuild(localDb, store, opts),
  };
}

/** The tracker's settings from the service configuration. */
export function trackerConfigOf(config: Config, clock: Clock, logger?: Logger): TrackerConfig {
  return {
    dataDir: config.dataDir,
    ...(config.eventstoreUrl ? { eventstoreUrl: config.eventstoreUrl } : {}),
    clock,
    synchronous: config.sqliteSynchronous,
    ...(logger ? { logger } : {}),
  };
}

/** Serve the configured tracker over HTTP (see src/http/server.ts for timeouts and shutdown). */
export function startServer(opts: {
  config: Config;
  logger: Logger;
  clock: Clock;
  handleSignals?: boolean;
}): Promise<RunningServer> {
  const trackerConfig = trackerConfigOf(opts.config, opts.clock, opts.logger);
  return startHttpServer({ ...opts, open: () => openTracker(trackerConfig) });
}
