/**
 * `replayKnownAt` on the embedded store reads the log stream by stream (the rebuild's reader); it
 * must give exactly what the generic position-ordered replay gives, for random logs and instants.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { fixedClock } from '../../../src/domain/clock.js';
import { replayKnownAt } from '../../../src/read-model/audit.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';
import type { ReplayResult } from '../../../src/app/types.js';
import {
  corrected,
  day,
  deadlineRevised,
  outcome,
  prng,
  progress,
  recorded,
  review,
  sourceAdded,
  superseded,
  targetRevised,
  tempDir,
  withdrawn,
  type Ev,
} from './helpers.js';

const IDS = ['aa-1', 'bb-2', 'cc-3', 'dd-4', 'ee-5', 'ff-6', 'gg-7'];
const START = Date.UTC(2024, 0, 1);

function randomEvent(r: () => number, id: string): Ev {
  const d = day(Math.floor(r() * 2000));
  const n = Math.floor(r() * 100);
  switch (Math.floor(r() * 11)) {
    case 0:
    case 1:
      return recorded(id, {
        madeAt: d,
        dueLatest: r() < 0.2 ? null : day(2000 + n),
        metric: n % 2 === 0,
      });
    case 2:
    case 3:
      return progress(d, n % 3 === 0 ? undefined : n * 1e8);
    case 4:
      return review(d, (['on_track', 'at_risk', 'stalled'] as const)[n % 3]!);
    case 5:
      return deadlineRevised(day(2000 + n));
    case 6:
      return targetRevised(n * 1e9);
    case 7:
      return outcome((['fulfilled', 'partially_fulfilled', 'missed'] as const)[n % 3]!, d);
    case 8:
      return n % 2 ? withdrawn(d) : superseded(IDS[n % IDS.length]!, d);
    case 9:
      return sourceAdded(`Agency ${n}`, d);
    default:
      return corrected(
        n % 2 ? { title: `Corrected ${n}` } : { parties: ['KZ', 'TJ'], tags: ['aid'] },
      );
  }
}

async function settle(p: Promise<ReplayResult>): Promise<ReplayResult | { error: string }> {
  try {
    return await p;
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe('replayKnownAt stream by stream (embedded store)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('replay-by-stream-');
  });
  afterEach(() => tmp.cleanup());

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`equals the position-ordered replay (seed ${seed})`, async () => {
      const r = prng(seed);
      const clock = fixedClock(new Date(START));
      const store = SqliteEventStore.open({
        file: dataFile(`${tmp.dir}/s${seed}`),
        synchronous: 'OFF',
        clock,
      });
      try {
        const instants: string[] = [];
        const count = 60 + Math.floor(r() * 140);
        for (let i = 0; i < count; i += 1) {
          // Mostly forwards, sometimes backwards (a skewed clock): the filter is per event.
          clock.advance(r() < 0.1 ? -3_600_000 : Math.floor(r() * 7_200_000));
          const now = clock.now().toISOString();
          if (r() < 0.1) instants.push(now);
          if (r() < 0.03) {
            await store.append(
              'other-stream',
              [{ type: 'Note', data: {}, metadata: { recordedBy: 't' } }],
              {
                expectedRevision: 'any',
              },
            );
            continue;
          }
          const id = IDS[Math.floor(r() * IDS.length)]!;
          const ev = randomEvent(r, id);
          await store.append(
            `commitment-${id}`,
            [{ type: ev.type, data: ev.data, metadata: { recordedBy: 't' } }],
            { expectedRevision: 'any' },
          );
        }
        instants.push(new Date(START - 1).toISOString(), clock.now().toISOString());
        const generic = { readAll: store.readAll.bind(store) };
        let nonEmpty = 0;
        for (const knownAt of instants) {
          for (const asOf of [day(500), day(2500)]) {
            for (const pageSize of [3, 5000]) {
              const byStream = await settle(replayKnownAt(store, { knownAt, asOf, pageSize }));
              const byPosition = await settle(replayKnownAt(generic, { knownAt, asOf, pageSize }));
              expect(byStream).toEqual(byPosition);
              if ('commitments' in byStream && byStream.commitments.length > 0) nonEmpty += 1;
            }
          }
        }
        expect(nonEmpty).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    });
  }
});
