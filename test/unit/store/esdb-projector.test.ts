/**
 * The projector (the read model of an API instance on EventStoreDB) following the EventStoreDB
 * adapter over the fake 24.10 client, on a server shared with another application and holding a
 * hard-deleted stream: it catches up, follows live appends, and equals a rebuild from the log.
 */
import { jsonEvent } from '@eventstore/db-client';
import { afterEach, expect, it } from 'vitest';
import { Projector } from '../../../src/read-model/projector.js';
import * as q from '../../../src/read-model/queries.js';
import { readCheckpoint, rebuild } from '../../../src/read-model/sqlite-read-model.js';
import { EsdbEventStore } from '../../../src/store/esdb/esdb-event-store.js';
import { FakeEsdbClient } from '../../contract/fake-esdb-client.js';
import {
  dumpReadModel,
  openReadModelDb,
  progress,
  recorded,
  type Ev,
} from '../read-model/helpers.js';

const fake = new FakeEsdbClient();
const store = new EsdbEventStore(fake.asClient(), 'fake-esdb', { deadlineMs: 2000 });
const db = openReadModelDb();
let projector: Projector | null = null;

afterEach(async () => {
  await projector?.stop();
  await store.close();
  db.close();
});

async function put(id: string, ev: Ev): Promise<number> {
  const r = await store.append(
    `commitment-${id}`,
    [{ type: ev.type, data: ev.data, metadata: { recordedBy: 'test' } }],
    { expectedRevision: 'any' },
  );
  return r.position;
}

async function foreign(): Promise<void> {
  await fake
    .asClient()
    .appendToStream('orders-1', jsonEvent({ type: 'OrderPlaced', data: { n: 1 } }));
}

it('follows the log past foreign events and tombstones, and equals a rebuild', async () => {
  await put('uz-kz-trade-10b', recorded('uz-kz-trade-10b'));
  await foreign();
  await put('ru-cn-gas-2025', recorded('ru-cn-gas-2025', { parties: ['RU', 'CN'] }));
  fake.tombstone('commitment-some-deleted-one');
  await foreign();
  const errors: string[] = [];
  projector = new Projector(store, db, {
    info: () => undefined,
    warn: (m) => errors.push(m),
    error: (m) => errors.push(m),
  });
  projector.start();
  const head = await store.headPosition();
  expect(await projector.waitFor(head, 5000)).toBe(true);

  const p = await put('uz-kz-trade-10b', progress('2026-03-01'));
  await foreign();
  expect(await projector.waitFor(p, 5000)).toBe(true);
  expect(q.getState(db, 'uz-kz-trade-10b')?.status).toBe('in_progress');
  expect(readCheckpoint(db)).toBe(p);
  expect(errors).toEqual([]);

  const fresh = openReadModelDb();
  await rebuild(fresh, store);
  expect(dumpReadModel(db)).toEqual(dumpReadModel(fresh));
  fresh.close();
});
