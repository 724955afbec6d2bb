/** SqliteEventStore.importEvents: the additive method behind `import` of an event export and `migrate`. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import {
  ChainMismatchError,
  DuplicateEventError,
  WrongExpectedRevisionError,
} from '../../src/store/errors.js';
import { eventHash, verifyStreamChain } from '../../src/store/hash-chain.js';
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.js';

const dirs: string[] = [];
const stores: SqliteEventStore[] = [];
function open(): SqliteEventStore {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'commitments-import-events-'));
  dirs.push(d);
  const s = SqliteEventStore.open({
    file: path.join(d, 'x.db'),
    synchronous: 'OFF',
    clock: fixedClock('2025-11-15T10:00:00.000Z'),
  });
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function source() {
  const s = open();
  await s.append(
    'a',
    [{ type: 'T', data: { n: 1 }, metadata: { recordedBy: 'x', requestId: 'r1' } }],
    { expectedRevision: 'no_stream' },
  );
  await s.append('b', [{ type: 'T', data: { n: 2 }, metadata: { recordedBy: 'y' } }], {
    expectedRevision: 'no_stream',
  });
  await s.append('a', [{ type: 'T', data: { n: 3 }, metadata: { recordedBy: 'z' } }], {
    expectedRevision: 1,
  });
  return s.readAll({ after: 0, limit: 100 });
}

describe('SqliteEventStore.importEvents', () => {
  it('keeps id, data, metadata and hash, assigns positions anew, and the chains verify', async () => {
    const events = await source();
    const t = open();
    await t.append('other', [{ type: 'T', data: {}, metadata: { recordedBy: 'q' } }], {
      expectedRevision: 'no_stream',
    });
    const stored = t.importEvents(events);
    expect(stored.map((e) => e.position)).toEqual([2, 3, 4]);
    const strip = ({ position: _p, ...rest }: (typeof events)[number]) => rest;
    expect((await t.readAll({ after: 1, limit: 10 })).map(strip)).toEqual(events.map(strip));
    expect(verifyStreamChain(await t.readStream('a'))).toBeNull();
    expect(verifyStreamChain(await t.readStream('b'))).toBeNull();
  });

  it('refuses a broken chain, a gap, or a duplicate id, and writes nothing of the call', async () => {
    const events = await source();
    const t = open();
    const altered = events.map((e, i) => (i === 2 ? { ...e, data: { n: 4 } } : e));
    expect(() => t.importEvents(altered)).toThrow(ChainMismatchError);
    expect(await t.headPosition()).toBe(0);
    expect(() => t.importEvents([events[0]!, events[2]!].slice(1))).toThrow(
      WrongExpectedRevisionError,
    );
    t.importEvents(events.slice(0, 1));
    const moved = { ...events[0]!, stream: 'c' };
    moved.hash = eventHash('', moved); // a valid chain in stream c, but an id already stored
    expect(() => t.importEvents([moved])).toThrow(DuplicateEventError);
    expect(await t.headPosition()).toBe(1);
  });
});
