/**
 * `node dist/bench/wal-frames.js`: which pages one append dirties. Seeds 1000 commitments, gives
 * each a first progress report, checkpoints, then appends 300 more progress reports one by one
 * (each its own commit, as append.single does) and reads the WAL: every frame is one 4 KB page
 * written at a commit. Prints frames per append, by table or index (from `dbstat`). Deterministic,
 * unlike timings: use it to see what a change to the write path costs in I/O.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeWorkDir, tempDir } from './lib.js';
import { openProjectedStore, seedCommitments } from './seed.js';

const work = makeWorkDir();
try {
  const dir = tempDir(work, 'wal-frames');
  const ids = await seedCommitments(dir, 20260101, 1000);
  const store = openProjectedStore(dir);
  store.db.pragma('wal_autocheckpoint = 0');
  const revisions = new Map(ids.map((id) => [id, 1]));
  const appendOne = async (i: number): Promise<void> => {
    const id = ids[(i * 7919) % ids.length] as string;
    const rev = revisions.get(id) as number;
    await store.append(
      `commitment-${id}`,
      [
        {
          type: 'ProgressReported',
          data: { asOf: '2026-05-01', value: i * 1000, note: 'Quarterly figures published.' },
          metadata: { recordedBy: 'bench' },
        },
      ],
      { expectedRevision: rev },
    );
    revisions.set(id, rev + 1);
  };
  for (let i = 0; i < ids.length; i += 1) await appendOne(i);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const n = 300;
  for (let i = ids.length; i < ids.length + n; i += 1) await appendOne(i);

  // The WAL: a 32-byte header, then frames of a 24-byte header (page number first) and a page.
  const wal = fs.readFileSync(path.join(dir, 'commitments.db-wal'));
  const pageSize = wal.readUInt32BE(8);
  const owner = new Map<number, string>();
  const pages = store.db.prepare('SELECT name, pageno FROM dbstat').all() as Array<{
    name: string;
    pageno: number;
  }>;
  for (const p of pages) owner.set(p.pageno, p.name);
  const byName = new Map<string, number>();
  let frames = 0;
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) {
    const name = owner.get(wal.readUInt32BE(off)) ?? '(free or header)';
    byName.set(name, (byName.get(name) ?? 0) + 1);
    frames += 1;
  }
  await store.close();
  process.stdout.write(`WAL frames per append: ${(frames / n).toFixed(2)}\n`);
  for (const [name, count] of [...byName].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${name.padEnd(32)} ${(count / n).toFixed(2)}\n`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
