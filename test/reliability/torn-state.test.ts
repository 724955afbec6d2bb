/**
 * Torn state (issue 8): the process died after events were appended but before the read
 * model applied them, or between two batches of a rebuild. On start, the projector catches up
 * from its checkpoint: nothing is applied twice and nothing is skipped, so the read model
 * equals a fresh rebuild, row for row.
 *
 * With the embedded store the projection commits in the append's transaction, so the tear
 * cannot happen by itself; it is made here with raw SQL on the read-model tables (names from
 * src/read-model/schema.ts), exactly as a crash would leave them. The SIGKILL during
 * `commitments rebuild` of a large log is in test/soak/torn-rebuild.soak.test.ts (and a short
 * one below).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { openTracker } from '../../src/bootstrap.js';
import { fixedClock } from '../../src/domain/clock.js';
import { CHECKPOINT_NAME } from '../../src/read-model/schema.js';
import {
  commitmentBody,
  removeDir,
  RM_TABLES,
  runCli,
  snapshot,
  tempDir,
  type Snapshot,
} from './helpers.js';

/** Replace the read model with `snap` (rows and checkpoint), as a crash would have left it. */
function restore(file: string, snap: Snapshot): void {
  const db = new Database(file);
  try {
    db.transaction(() => {
      for (const t of RM_TABLES) {
        db.exec(`DELETE FROM ${t}`);
        for (const row of snap[t] as Array<Record<string, unknown>>) {
          const cols = Object.keys(row);
          db.prepare(
            `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
          ).run(...cols.map((c) => row[c]));
        }
      }
    })();
  } finally {
    db.close();
  }
}

async function withTracker<T>(
  dir: string,
  fn: (t: Awaited<ReturnType<typeof openTracker>>) => Promise<T>,
): Promise<T> {
  const clock = fixedClock('2026-01-10T12:00:00.000Z');
  const t = await openTracker({ dataDir: dir, clock, synchronous: 'NORMAL' });
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

/** Writes of every kind that change list-shaped state (sources, tags, parties), so a double apply shows. */
async function phase(
  t: Awaited<ReturnType<typeof openTracker>>,
  ids: string[],
  n: number,
): Promise<void> {
  const ctx = { recordedBy: 'alice' };
  for (const id of ids) {
    const exists = (await t.history(id)) !== null;
    if (!exists) await t.record(commitmentBody(id) as never, ctx);
    await t.execute(
      id,
      'AddSource',
      {
        source: { publisher: `Trend ${n}`, publishedAt: '2025-11-16' },
        note: `phase ${n}`,
      } as never,
      ctx,
    );
    await t.execute(id, 'ReportProgress', { asOf: '2025-12-31', value: 1000 * n } as never, ctx);
    await t.execute(
      id,
      'CorrectRecord',
      {
        fields: { tags: ['trade', `phase-${n}`], parties: ['UZ', 'KZ', `Org ${n}`] },
        reason: 'fix',
      } as never,
      ctx,
    );
    await t.execute(
      id,
      'RecordReview',
      { reviewedAt: '2026-01-05', assessment: 'at_risk' } as never,
      ctx,
    );
  }
}

describe('torn state', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) removeDir(d);
  });

  it('events appended after the read model stopped are applied once on start', async () => {
    const dir = tempDir('torn-append');
    dirs.push(dir);
    const file = path.join(dir, 'commitments.db');
    const ids = ['torn-a', 'torn-b', 'torn-c'];

    await withTracker(dir, (t) => phase(t, ids, 1));
    const early = snapshot(file); // the read model as it stood at the "crash"
    const earlyCheckpoint = (early.rm_checkpoint as Array<{ position: number }>)[0]?.position;
    await withTracker(dir, (t) => phase(t, [...ids, 'torn-d'], 2));
    const full = snapshot(file);
    expect(full).not.toEqual(early);

    // The tear: the events of phase 2 are in the log, the read model is back at phase 1.
    restore(file, early);
    expect(snapshot(file)).toEqual(early);

    await withTracker(dir, async (t) => {
      const v = await t.verify();
      expect(v.chain.ok).toBe(true);
      expect(v.readModel).toEqual({ ok: true, mismatches: [] });
      expect(v.ok).toBe(true);
    });
    const caughtUp = snapshot(file);
    expect(caughtUp).toEqual(full);
    expect((caughtUp.rm_checkpoint as Array<{ name: string; position: number }>)[0]).toMatchObject({
      name: CHECKPOINT_NAME,
    });
    expect((caughtUp.rm_checkpoint as Array<{ position: number }>)[0]?.position).toBeGreaterThan(
      earlyCheckpoint ?? 0,
    );

    // And it equals a rebuild from scratch.
    await withTracker(dir, async (t) => {
      const { rebuild } = await import('../../src/read-model/sqlite-read-model.js');
      await rebuild(t.localDb, t.store);
    });
    expect(snapshot(file)).toEqual(full);
  });

  it('a read model that lost every row (checkpoint 0) is rebuilt on start, each event once', async () => {
    const dir = tempDir('torn-empty');
    dirs.push(dir);
    const file = path.join(dir, 'commitments.db');
    await withTracker(dir, (t) => phase(t, ['empty-a', 'empty-b'], 1));
    await withTracker(dir, (t) => phase(t, ['empty-a', 'empty-b'], 2));
    const full = snapshot(file);
    const db = new Database(file);
    for (const t of RM_TABLES) db.exec(`DELETE FROM ${t}`);
    db.close();
    await withTracker(dir, async (t) => {
      expect((await t.verify()).ok).toBe(true);
    });
    expect(snapshot(file)).toEqual(full);
  });

  it('a tear at every position of a small log catches up to the same read model', async () => {
    const dir = tempDir('torn-every');
    dirs.push(dir);
    const file = path.join(dir, 'commitments.db');
    const snaps: Snapshot[] = [];
    // One snapshot after each write: all the states a crash could leave behind.
    const clock = fixedClock('2026-01-10T12:00:00.000Z');
    const t = await openTracker({ dataDir: dir, clock, synchronous: 'NORMAL' });
    const ctx = { recordedBy: 'alice' };
    const snapNow = (): void => {
      t.localDb.pragma('wal_checkpoint(FULL)');
      snaps.push(snapshot(file));
    };
    snapNow();
    for (const id of ['every-a', 'every-b']) {
      await t.record(commitmentBody(id) as never, ctx);
      snapNow();
      for (let i = 0; i < 3; i += 1) {
        await t.execute(
          id,
          'AddSource',
          { source: { publisher: `P${i}`, publishedAt: '2025-11-16' } } as never,
          ctx,
        );
        snapNow();
      }
    }
    await t.close();
    const full = snapshot(file);
    expect(snaps[snaps.length - 1]).toEqual(full);
    for (const [i, snap] of snaps.entries()) {
      restore(file, snap);
      await withTracker(dir, async (tr) => {
        const v = await tr.verify();
        expect(v.ok, `tear after write ${i}: ${JSON.stringify(v)}`).toBe(true);
      });
      expect(snapshot(file), `tear after write ${i}`).toEqual(full);
    }
  });

  it('SIGKILL during `commitments rebuild`: the next start catches up to the full read model', async () => {
    const dir = tempDir('torn-rebuild');
    dirs.push(dir);
    const file = path.join(dir, 'commitments.db');
    // A log of some size, written fast (one group commit per round).
    await withTracker(dir, async (t) => {
      const ctx = { recordedBy: 'alice' };
      await Promise.all(
        Array.from({ length: 300 }, (_, i) => t.record(commitmentBody(`rb-${i}`) as never, ctx)),
      );
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(
          Array.from({ length: 300 }, (_, i) =>
            t.execute(
              `rb-${i}`,
              'ReportProgress',
              { asOf: '2025-12-31', value: round } as never,
              ctx,
            ),
          ),
        );
      }
    });
    const full = snapshot(file);
    // Kill the rebuild at a few points (some may land before, during or after the batches).
    for (const killAfterMs of [150, 300, 600]) {
      const r = await runCli(['rebuild'], { dataDir: dir, killAfterMs, timeoutMs: 60_000 });
      expect(r.code === 0 || r.signal === 'SIGKILL', `${r.code} ${r.signal} ${r.stderr}`).toBe(
        true,
      );
      await withTracker(dir, async (t) => {
        const v = await t.verify();
        expect(v.ok, JSON.stringify(v).slice(0, 500)).toBe(true);
      });
      expect(snapshot(file)).toEqual(full);
    }
    expect(fs.existsSync(file)).toBe(true);
  });
});
