/**
 * The shared event-store contract suite against the EventStoreDB adapter over a fake client that
 * answers as a 24.10 server does (fake-esdb-client.ts). Runs everywhere, with no node. The server
 * limit is the compose file's EVENTSTORE_MAX_APPEND_SIZE, which the adapter is told too.
 */
import { EsdbEventStore } from '../../src/store/esdb/esdb-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';
import { COMPOSE_MAX_APPEND_SIZE, FakeEsdbClient } from './fake-esdb-client.js';

describeEventStoreContract('eventstoredb (fake 24.10 client)', () => {
  const fake = new FakeEsdbClient({ maxAppendSize: COMPOSE_MAX_APPEND_SIZE });
  const store = new EsdbEventStore(fake.asClient(), 'fake-esdb', {
    deadlineMs: 2000,
    maxAppendBytes: COMPOSE_MAX_APPEND_SIZE,
  });
  return Promise.resolve({ store, cleanup: () => store.close() });
});
