/**
 * A kill in the middle of a bulk import into an empty store (src/store/sqlite/bulk-load.ts)
 * leaves the store as it was: one transaction, the dropped unique indexes included. A child
 * process (`dist/`, built by `npm test`) imports a generated log and SIGKILLs itself either in
 * the middle of the load (after its indexes were dropped and rows written, with a tiny page
 * cache so pages spill into the WAL before the commit) or after the load, the index build and
 * the read-model rows, just before the COMMIT. The store is then opened again: empty, the same
 * schema, intact, and the same import then succeeds and verifies.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { importChunks } from '../../bench/generate.js';
import { QueueClock, toAppendBatches } from '../../bench/seed.js';
import { verify } from '../../src/read-model/audit.js';
import { ensureReadModelSchema, inlineProjection } from '../../src/read-model/sqlite-read-model.js';
import type { StoredEvent } from '../../src/store/port.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILT = fs.existsSync(path.join(ROOT, 'dist/src/store/sqlite/bulk-load.js'));
if (!BUILT)
  console.log('[bulk-import-crash] skipped: dist/ is not built (npm test builds it first)');

const CHILD = `
import fs from 'node:fs';
const root = process.env.ROOT;
const { SqliteEventStore } = await import(root + '/dist/src/store/sqlite/sqlite-event-store.js');
const rm = await import(root + '/dist/src/read-model/sqlite-read-model.js');
const s = SqliteEventStore.open({ file: process.env.FILE, synchronous: 'FULL' });
rm.ensureReadModelSchema(s.db);
s.registerInlineProjection(rm.inlineProjection(s));
const events = JSON.parse(fs.readFileSync(process.env.EVENTS, 'utf8'));
const die = () => process.kill(process.pid, 'SIGKILL');
if (process.env.WHEN === 'mid-load') {
  s.db.pragma('cache_size = 20');
  const e = events[Math.floor(events.length * 0.8)];
  const data = e.data;
  Object.defineProperty(e, 'data', { get() { die(); return data; } });
} else {
  s.registerInlineProjection(die);
}
s.importEvents(events);
console.log('imported: the kill did not happen');
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-bulk-crash-'));
  dirs.push(d);
  return d;
}

function open(file: string): SqliteEventStore {
  const s = SqliteEventStore.open({ file, synchronous: 'FULL' });
  ensureReadModelSchema(s.db);
  s.registerInlineProjection(inlineProjection(s));
  return s;
}

/** A generated log of real commitment events, as exported events (ids, metadata, hashes). */
function exportedLog(file: string, events: number): StoredEvent[] {
  const clock = new QueueClock();
  const s = SqliteEventStore.open({ file, synchronous: 'OFF', clock });
  for (const chunk of importChunks({ seed: 8, events, chunkEvents: 200 })) {
    clock.set(chunk.map((b) => b.recordedAt));
    s.appendMany(toAppendBatches(chunk));
  }
  const all = s.readAllSync({ after: 0, limit: events + 1 });
  s.db.close();
  return all;
}

const schemaOf = (s: SqliteEventStore): unknown =>
  s.db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();

describe.skipIf(!BUILT)('a kill during a bulk import into an empty store', () => {
  for (const when of ['mid-load', 'before-commit'] as const) {
    it(`${when}: the store is as before, and the import then succeeds`, async () => {
      const dir = tmp();
      const events = exportedLog(path.join(dir, 'source.db'), 4000);
      const eventsFile = path.join(dir, 'events.json');
      fs.writeFileSync(eventsFile, JSON.stringify(events));
      const file = path.join(dir, 'commitments.db');

      const fresh = open(file);
      const schema = schemaOf(fresh);
      fresh.db.close();

      const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
        env: { ...process.env, ROOT, FILE: file, EVENTS: eventsFile, WHEN: when },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(child.stdout).not.toContain('the kill did not happen');
      expect(child.stderr).toBe('');
      expect(child.signal).toBe('SIGKILL');
      if (when === 'mid-load') {
        // Pages of the unfinished transaction spilled into the WAL: recovery must ignore them.
        expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(100_000);
      }

      const after = open(file);
      try {
        expect(after.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const n = (t: string): number =>
          (after.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
        expect([n('events'), n('streams'), n('rm_commitments')]).toEqual([0, 0, 0]);
        expect(schemaOf(after)).toEqual(schema);

        after.importEvents(events);
        expect(n('events')).toBe(4000);
        expect((await verify(after, after.db)).ok).toBe(true);
      } finally {
        await after.close();
      }
    });
  }
});
