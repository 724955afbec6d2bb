/**
 * Bench child: the real HTTP app (startServer) on DATA_DIR with durable settings
 * (SQLITE_SYNCHRONOUS=FULL), logs silenced. Sends `{url}` to the parent once listening;
 * SIGTERM shuts it down gracefully. For the issue-18 experiment (bench/experiments/worker-writer):
 * with `SQLITE_WRITER=worker` the appends run in a writer worker thread (`SQLITE_WRITER_POST=each`:
 * one message per append, the first prototype); with `SQLITE_WRITER=main` the product's
 * `openTracker`, exactly what `startServer` opens, and its group-commit counts printed at exit.
 */
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/http/logger.js';
import { openTracker, startServer, trackerConfigOf } from '../../src/bootstrap.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.js';
import { startServer as startHttpServer } from '../../src/http/server.js';
import { openWorkerTracker } from '../experiments/worker-writer/open-worker-tracker.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: app-server.js <dataDir>');
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  SQLITE_SYNCHRONOUS: 'FULL',
  LOG_LEVEL: 'silent',
});
const logger = createLogger({ level: 'silent' });
// SQLITE_WRITER=worker: the issue-18 experiment, appends in a writer worker thread
// (bench/experiments/worker-writer); otherwise the product's startServer, untouched.
let product: SqliteEventStore | null = null;
const writer = process.env.SQLITE_WRITER;
const running =
  writer === 'main'
    ? await startHttpServer({
        config,
        logger,
        clock: systemClock,
        handleSignals: true,
        open: async () => {
          const t = await openTracker(trackerConfigOf(config, systemClock, logger));
          if (t.store instanceof SqliteEventStore) product = t.store;
          return t;
        },
      })
    : writer === 'worker'
      ? await startHttpServer({
          config,
          logger,
          clock: systemClock,
          handleSignals: true,
          open: () =>
            openWorkerTracker({
              dataDir,
              clock: systemClock,
              synchronous: 'FULL',
              perAppend: process.env.SQLITE_WRITER_POST === 'each',
            }),
        })
      : await startServer({ config, logger, clock: systemClock, handleSignals: true });
process.send?.({ url: running.url });

// CPU time of this server over its life (user + system), for CPU per request in the log.
process.on('exit', () => {
  if (product) {
    const { appends, failedAppends, commits, largestBatch } = product.stats;
    process.stderr.write(
      `[bench] main-thread writer: ${appends} appends (${failedAppends} failed) in ${commits} commits, largest batch ${largestBatch}\n`,
    );
  }
  const u = process.cpuUsage();
  process.stderr.write(`[bench] app-server CPU ${Math.round((u.user + u.system) / 1000)} ms\n`);
});
