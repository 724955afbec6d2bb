/**
 * Torn state, long run (issue 8): SIGKILL `commitments rebuild` of a 25 500-event log at several
 * points. The embedded rebuild runs in one transaction, so a kill must leave the previous read
 * model whole, row for row, and the real server started next must verify and serve it.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { openTracker } from '../../src/bootstrap.js';
import { fixedClock } from '../../src/domain/clock.js';
import {
  commitmentBody,
  getJson,
  removeDir,
  runCli,
  snapshot,
  spawnServer,
  tempDir,
  type VerifyBody,
} from '../reliability/helpers.js';

const COMMITMENTS = 500;
const ROUNDS = 50; // 500 records + 50 × 500 progress reports = 25 500 events

describe('torn rebuild (soak)', () => {
  const dir = tempDir('torn-rebuild-soak');
  const file = path.join(dir, 'commitments.db');
  afterAll(() => removeDir(dir));

  it('a rebuild killed part-way leaves a whole read model, and the next start serves it', async () => {
    const tracker = await openTracker({
      dataDir: dir,
      clock: fixedClock('2026-01-10T12:00:00.000Z'),
      synchronous: 'OFF', // only to write the fixture fast; the server below runs with FULL
    });
    const ctx = { recordedBy: 'alice' };
    await Promise.all(
      Array.from({ length: COMMITMENTS }, (_, i) =>
        tracker.record(commitmentBody(`big-${i}`) as never, ctx),
      ),
    );
    for (let round = 0; round < ROUNDS; round += 1) {
      await Promise.all(
        Array.from({ length: COMMITMENTS }, (_, i) =>
          tracker.execute(
            `big-${i}`,
            'ReportProgress',
            { asOf: '2025-12-31', value: round } as never,
            ctx,
          ),
        ),
      );
    }
    const head = await tracker.store.headPosition();
    await tracker.close();
    expect(head).toBe(COMMITMENTS * (ROUNDS + 1));

    // A complete rebuild: the reference, and how long one takes.
    const t0 = Date.now();
    const full = await runCli(['rebuild'], { dataDir: dir, timeoutMs: 120_000 });
    const took = Date.now() - t0;
    expect(full.code, full.stderr).toBe(0);
    const reference = snapshot(file);

    // The SQLite rebuild is one transaction: a kill part-way must leave the previous read model
    // whole (checkpoint at the head), never a half-built one, and the next start serves it as is.
    let killedPartWay = 0;
    for (let fraction = 0.3; fraction < 1 && killedPartWay < 3; fraction += 0.05) {
      const killAfterMs = Math.round(took * fraction);
      const r = await runCli(['rebuild'], { dataDir: dir, killAfterMs, timeoutMs: 120_000 });
      const db = new Database(file, { readonly: true });
      const cp =
        (db.prepare('SELECT position FROM rm_checkpoint').pluck().get() as number | undefined) ?? 0;
      db.close();
      if (r.signal === 'SIGKILL') killedPartWay += 1;
      console.log(
        `rebuild killed at ${killAfterMs} ms (${r.signal ?? `exit ${r.code}`}): checkpoint ${cp} of ${head}`,
      );
      expect(cp).toBe(head);
      expect(snapshot(file)).toEqual(reference);

      const srv = await spawnServer({ dataDir: dir, readyTimeoutMs: 120_000 });
      try {
        const v = await getJson<VerifyBody>(`${srv.url}/audit/verify`);
        expect(v.body.ok, JSON.stringify(v.body).slice(0, 500)).toBe(true);
      } finally {
        expect((await srv.stop()).code).toBe(0);
      }
      expect(snapshot(file)).toEqual(reference);
    }
    // The sweep did kill rebuilds part-way (otherwise this test proved nothing).
    expect(killedPartWay).toBeGreaterThan(0);
  }, 290_000);
});
