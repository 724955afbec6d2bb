/**
 * `npm run demo`: a throwaway data dir loaded with examples/uz-kz-2025-11-15.ndjson (the
 * commitments of the Uzbek-Kazakh talks of 15 November 2025), the HTTP API on it, and a few
 * curl commands to try. Ctrl-C stops the server and deletes the data dir.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../clock.js';
import { loadConfig } from '../config.js';
import { utcDate } from '../domain/clock.js';
import { createLogger, openTracker, startServer } from '../bootstrap.js';
import { applyImport } from './import/apply.js';
import { planImport } from './import/plan.js';
import { formatLineError } from './import/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/src/cli → the repository root. */
const EXAMPLE = path.resolve(here, '..', '..', '..', 'examples', 'uz-kz-2025-11-15.ndjson');

async function demo(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-demo-'));
  const cleanup = (): void => fs.rmSync(dataDir, { recursive: true, force: true });

  const tracker = await openTracker({ dataDir, clock: systemClock });
  try {
    const plan = await planImport(fs.readFileSync(EXAMPLE, 'utf8'), tracker.store, {
      today: utcDate(systemClock.now()),
    });
    if (plan.invalid.length > 0) {
      for (const e of plan.invalid) console.error(formatLineError(e));
      throw new Error(`${EXAMPLE} is not valid`);
    }
    const noProgress = { setTotal() {}, update() {}, increment() {}, stop() {} };
    await applyImport(plan, tracker, { recordedBy: 'demo', progress: noProgress });
  } finally {
    await tracker.close();
  }

  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: process.env['PORT'] ?? '3000',
    API_KEYS: '',
    EVENTSTORE_URL: '',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
  });
  const logger = createLogger({ level: config.logLevel });
  const server = await startServer({ config, logger, clock: systemClock, handleSignals: false });
  const u = server.url;
  const lines = [
    '',
    `Dashboard: ${u}/app/`,
    `Commitments Tracker demo: ${u}`,
    `data dir (deleted on exit): ${dataDir}`,
    `loaded: ${path.relative(process.cwd(), EXAMPLE)} (Uzbekistan-Kazakhstan talks, Tashkent, 15 Nov 2025)`,
    '',
    'Try:',
    `  curl -s ${u}/commitments | jq '.items[] | {id, kind, status, timing}'`,
    `  curl -s ${u}/commitments/uz-kz-trade-10b | jq '{title, due, metric, sources}'`,
    `  curl -s ${u}/commitments/uz-kz-trade-10b/history | jq '.events[] | {revision, type, hash}'`,
    `  curl -s "${u}/overdue" | jq`,
    `  curl -s "${u}/upcoming?within=P1Y&party=KZ" | jq`,
    `  curl -s -X POST ${u}/commitments/uz-kz-trade-10b/progress -H 'Content-Type: application/json' \\`,
    `       -d '{"asOf":"2026-06-30","value":5200000000,"note":"half-year figure"}' | jq '.metric'`,
    `  curl -s ${u}/audit/verify | jq`,
    `  curl -s ${u}/calendar.ics`,
    `  curl -s ${u}/commitments.csv`,
    `  open ${u}/docs`,
    '',
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server
      .close()
      .catch((err: unknown) => console.error(err))
      .finally(() => {
        cleanup();
        process.exit(0);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

demo().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
