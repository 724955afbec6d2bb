/**
 * Tamper evidence (issue 8): edit one byte of a stored event in the SQLite file, delete an
 * event in the middle of a stream, swap two events. GET /audit/verify and `commitments verify`
 * (exit code 1) report each case and name the stream and the revision.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openTracker } from '../../src/bootstrap.js';
import { fixedClock } from '../../src/domain/clock.js';
import {
  getJson,
  inProcessServer,
  removeDir,
  runCli,
  tempDir,
  type VerifyBody,
} from './helpers.js';
import { commitmentBody, progressBody } from './helpers.js';

const DB = 'commitments.db';
const MARK = 'tamper-marker-request-0042';

/** A data dir with three commitments of four events each; revision 3 of `t-two` carries MARK. */
async function makeLog(dir: string): Promise<void> {
  const clock = fixedClock('2026-01-10T12:00:00.000Z');
  const tracker = await openTracker({ dataDir: dir, clock, synchronous: 'FULL' });
  const ctx = { recordedBy: 'alice' };
  for (const id of ['t-one', 't-two', 't-three']) {
    await tracker.record(commitmentBody(id) as never, ctx);
    for (let i = 1; i <= 3; i += 1) {
      clock.advance(60_000);
      const requestId = id === 't-two' && i === 2 ? MARK : `req-${id}-${i}`;
      await tracker.execute(
        id,
        'ReportProgress',
        progressBody(`${id} note ${i}`, 1000 * i) as never,
        {
          ...ctx,
          requestId,
        },
      );
    }
  }
  await tracker.close();
}

function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

function sql(dir: string, fn: (db: Database.Database) => void): void {
  const db = new Database(path.join(dir, DB));
  try {
    fn(db);
  } finally {
    db.close();
  }
}

async function httpVerify(dir: string): Promise<VerifyBody> {
  const app = await inProcessServer({ dir });
  try {
    const r = await getJson<VerifyBody>(`${app.url}/audit/verify`);
    expect(r.status).toBe(200);
    return r.body;
  } finally {
    await app.close();
  }
}

async function cliVerify(dir: string): Promise<{ code: number | null; out: string }> {
  const r = await runCli(['verify'], { dataDir: dir, timeoutMs: 60_000 });
  return { code: r.code, out: r.stdout + r.stderr };
}

describe('tamper evidence', () => {
  let pristine: string;
  const dirs: string[] = [];
  const fresh = (name: string): string => {
    const d = tempDir(`tamper-${name}`);
    dirs.push(d);
    copyDir(pristine, d);
    return d;
  };

  beforeAll(async () => {
    pristine = tempDir('tamper-pristine');
    dirs.push(pristine);
    await makeLog(pristine);
    // The store closed cleanly: no WAL left, every byte is in the main file.
    expect(
      fs.existsSync(path.join(pristine, `${DB}-wal`))
        ? fs.statSync(path.join(pristine, `${DB}-wal`)).size
        : 0,
    ).toBe(0);
  });
  afterAll(() => {
    for (const d of dirs) removeDir(d);
  });

  it('an untouched log verifies (HTTP and CLI exit 0)', async () => {
    const dir = fresh('clean');
    const v = await httpVerify(dir);
    expect(v.ok).toBe(true);
    expect(v.events).toBe(12);
    const c = await cliVerify(dir);
    expect(c.code, c.out).toBe(0);
  });

  it('one byte edited in the file (server stopped) is reported with stream and revision', async () => {
    const dir = fresh('byte');
    const file = path.join(dir, DB);
    const buf = fs.readFileSync(file);
    // The marker is only in that event's metadata; SQLite may keep a stale copy of the page
    // (a free page), so the same byte is changed in every copy.
    let at = buf.indexOf(Buffer.from(MARK));
    expect(at).toBeGreaterThan(0);
    while (at >= 0) {
      buf[at + MARK.length - 1] = '7'.charCodeAt(0); // ...0042 → ...0047
      at = buf.indexOf(Buffer.from(MARK), at + 1);
    }
    fs.writeFileSync(file, buf);

    const v = await httpVerify(dir);
    expect(v.ok).toBe(false);
    expect(v.chain.ok).toBe(false);
    expect(v.chain.brokenAt).toMatchObject({ stream: 'commitment-t-two', revision: 3 });
    const c = await cliVerify(dir);
    expect(c.code, c.out).toBe(1);
    expect(c.out).toContain('commitment-t-two');
    expect(c.out).toMatch(/\b3\b/);
  });

  it("an edit of an event's data (raw SQL) is reported with stream and revision", async () => {
    const dir = fresh('data');
    sql(dir, (db) => {
      const row = db
        .prepare(
          "SELECT position, data FROM events WHERE stream = 'commitment-t-one' AND revision = 2",
        )
        .get() as { position: number; data: string };
      const edited = row.data.replace('"value":1000', '"value":9000');
      expect(edited).not.toBe(row.data);
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(edited, row.position);
    });
    const v = await httpVerify(dir);
    expect(v.ok).toBe(false);
    expect(v.chain.brokenAt).toMatchObject({ stream: 'commitment-t-one', revision: 2 });
    const c = await cliVerify(dir);
    expect(c.code, c.out).toBe(1);
    expect(c.out).toContain('commitment-t-one');
    expect(c.out).toMatch(/\b2\b/);
  });

  it('a deleted middle event is reported with stream and revision', async () => {
    const dir = fresh('delete');
    sql(dir, (db) => {
      const r = db
        .prepare("DELETE FROM events WHERE stream = 'commitment-t-three' AND revision = 2")
        .run();
      expect(r.changes).toBe(1);
    });
    const v = await httpVerify(dir);
    expect(v.ok).toBe(false);
    expect(v.chain.brokenAt).toMatchObject({ stream: 'commitment-t-three', revision: 2 });
    const c = await cliVerify(dir);
    expect(c.code, c.out).toBe(1);
    expect(c.out).toContain('commitment-t-three');
    expect(c.out).toMatch(/\b2\b/);
  });

  it('a deleted last event (the stream head) is reported too', async () => {
    const dir = fresh('delete-last');
    sql(dir, (db) => {
      db.prepare("DELETE FROM events WHERE stream = 'commitment-t-one' AND revision = 4").run();
    });
    const v = await httpVerify(dir);
    expect(v.ok).toBe(false);
    expect(v.chain.brokenAt?.stream).toBe('commitment-t-one');
    const c = await cliVerify(dir);
    expect(c.code, c.out).toBe(1);
    expect(c.out).toContain('commitment-t-one');
  });

  it('two swapped events of a stream are reported with stream and revision', async () => {
    const dir = fresh('swap');
    sql(dir, (db) => {
      const pos = db
        .prepare(
          "SELECT position FROM events WHERE stream = 'commitment-t-two' AND revision IN (2, 3) ORDER BY revision",
        )
        .pluck()
        .all() as number[];
      const [p2, p3] = pos as [number, number];
      db.transaction(() => {
        db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(p2);
        db.prepare('UPDATE events SET position = ? WHERE position = ?').run(p2, p3);
        db.prepare('UPDATE events SET position = ? WHERE position = -1').run(p3);
      })();
    });
    const v = await httpVerify(dir);
    expect(v.ok).toBe(false);
    expect(v.chain.brokenAt).toMatchObject({ stream: 'commitment-t-two', revision: 2 });
    const c = await cliVerify(dir);
    expect(c.code, c.out).toBe(1);
    expect(c.out).toContain('commitment-t-two');
    expect(c.out).toMatch(/\b2\b/);
  });

  it('two events swapped in content (revisions kept) are reported too', async () => {
    const dir = fresh('swap-content');
    sql(dir, (db) => {
      const rows = db
        .prepare(
          "SELECT position, id, type, data, metadata, hash FROM events WHERE stream = 'commitment-t-three' AND revision IN (3, 4) ORDER BY revision",
        )
        .all() as Array<Record<string, unknown>>;
      const [a, b] = rows as [Record<string, unknown>, Record<string, unknown>];
      const put = db.prepare(
        'UPDATE events SET id = ?, type = ?, data = ?, metadata = ?, hash = ? WHERE position = ?',
      );
      db.transaction(() => {
        put.run(`tmp-${String(a.id)}`, a.type, a.data, a.metadata, a.hash, a.position);
        put.run(a.id, b.type, b.data, b.metadata, b.hash, b.position);
        put.run(b.id, a.type, a.data, a.metadata, a.hash, a.position);
      })();
    });
    const v = await httpVerify(dir);
    expect(v.ok).toBe(false);
    expect(v.chain.brokenAt).toMatchObject({ stream: 'commitment-t-three', revision: 3 });
    const c = await cliVerify(dir);
    expect(c.code, c.out).toBe(1);
    expect(c.out).toContain('commitment-t-three');
  });
});
