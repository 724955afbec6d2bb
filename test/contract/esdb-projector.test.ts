/**
 * The projector against a live EventStoreDB (runs only when EVENTSTORE_URL is set; `npm run
 * test:esdb` in CI's EventStoreDB job). The same scenario as test/unit/store/esdb-projector.test.ts
 * runs over the fake client on every machine; here the real client's catch-up subscription to
 * `$all` drives it: it catches up past whatever the node already holds (other tests' streams,
 * system events), follows a live append, and its rows for this run's commitments equal those of a
 * rebuild from the log. Other files may append to the same node meanwhile, so the comparison is
 * limited to this run's commitments (fresh ids).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Projector } from '../../src/read-model/projector.js';
import * as q from '../../src/read-model/queries.js';
import { rebuild } from '../../src/read-model/sqlite-read-model.js';
import { EsdbEventStore } from '../../src/store/esdb/esdb-event-store.js';
import {
  dumpReadModel,
  openReadModelDb,
  progress,
  recorded,
  type Ev,
} from '../unit/read-model/helpers.js';
import { COMPOSE_MAX_APPEND_SIZE } from './fake-esdb-client.js';

const url = process.env.EVENTSTORE_URL;

if (!url) {
  console.info(
    '[esdb projector] skipped: EVENTSTORE_URL is not set, so no EventStoreDB is reachable. ' +
      'To run it: `docker compose up -d eventstore` then `EVENTSTORE_URL=esdb://localhost:2113?tls=false npm run test:esdb`.',
  );
}

/** Rows of the read model that belong to the given commitments (checkpoint left out). */
function rowsOf(dump: Record<string, unknown[]>, ids: readonly string[]): unknown {
  const mine = (row: unknown): boolean => {
    const r = row as { id?: string; commitment_id?: string };
    return ids.includes(r.id ?? r.commitment_id ?? '');
  };
  return {
    commitments: dump.commitments?.filter(mine),
    parties: dump.parties?.filter(mine),
    tags: dump.tags?.filter(mine),
    agenda: dump.agenda?.filter(mine),
  };
}

describe.skipIf(!url)('the projector on a live EventStoreDB (EVENTSTORE_URL)', () => {
  let store: EsdbEventStore | null = null;
  let projector: Projector | null = null;
  const db = openReadModelDb();

  afterAll(async () => {
    await projector?.stop();
    await store?.close();
    db.close();
  });

  it('catches up, follows a live append, and equals a rebuild for its commitments', async () => {
    store = await EsdbEventStore.connect(url as string, {
      deadlineMs: 10_000,
      maxAppendBytes: Number(process.env.EVENTSTORE_MAX_APPEND_SIZE ?? COMPOSE_MAX_APPEND_SIZE),
    });
    const s = store;
    const run = randomUUID().slice(0, 8);
    const a = `live-${run}-trade`;
    const b = `live-${run}-gas`;
    const put = async (id: string, ev: Ev): Promise<number> =>
      (
        await s.append(
          `commitment-${id}`,
          [{ type: ev.type, data: ev.data, metadata: { recordedBy: 'test' } }],
          { expectedRevision: 'any' },
        )
      ).position;

    await put(a, recorded(a));
    await put(b, recorded(b, { parties: ['RU', 'CN'] }));
    const problems: string[] = [];
    projector = new Projector(s, db, {
      info: () => undefined,
      warn: (m) => problems.push(m),
      error: (m) => problems.push(m),
    });
    projector.start();
    expect(await projector.waitFor(await s.headPosition(), 60_000)).toBe(true);
    expect(q.getState(db, a)?.status).toBe('open');

    const p = await put(a, progress('2026-03-01'));
    expect(await projector.waitFor(p, 30_000)).toBe(true);
    expect(q.getState(db, a)?.status).toBe('in_progress');
    expect(problems).toEqual([]);

    const fresh = openReadModelDb();
    await rebuild(fresh, s);
    expect(rowsOf(dumpReadModel(db), [a, b])).toEqual(rowsOf(dumpReadModel(fresh), [a, b]));
    fresh.close();
  }, 120_000);
});
