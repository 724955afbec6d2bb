/**
 * Bench child: the real HTTP app (startServer) on DATA_DIR with durable settings
 * (SQLITE_SYNCHRONOUS=FULL), logs silenced. Sends `{url}` to the parent once listening;
 * SIGTERM shuts it down gracefully. With `SQLITE_WRITER=worker` in its environment the appends run
 * in a writer worker thread (the issue-18 experiment, bench/experiments/worker-writer).
 */
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/bootstrap.js';
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
const running =
  process.env.SQLITE_WRITER === 'worker'
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
  const u = process.cpuUsage();
  process.stderr.write(`[bench] app-server CPU ${Math.round((u.user + u.system) / 1000)} ms\n`);
});
