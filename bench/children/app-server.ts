/**
 * Bench child: the real HTTP app (startServer) on DATA_DIR with durable settings
 * (SQLITE_SYNCHRONOUS=FULL), logs silenced. Sends `{url}` to the parent once listening;
 * SIGTERM shuts it down gracefully.
 */
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/http/logger.js';
import { startServer } from '../../src/bootstrap.js';

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
const running = await startServer({ config, logger, clock: systemClock, handleSignals: true });
process.send?.({ url: running.url });

// CPU time of this server over its life (user + system), for CPU per request in the log.
process.on('exit', () => {
  const u = process.cpuUsage();
  process.stderr.write(`[bench] app-server CPU ${Math.round((u.user + u.system) / 1000)} ms\n`);
});
