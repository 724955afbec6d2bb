/**
 * The shared event-store contract suite against a live EventStoreDB (or KurrentDB).
 * Runs only when EVENTSTORE_URL is set; no ESDB runs on the build machine, so it is skipped there.
 *
 *   docker compose up -d eventstore
 *   EVENTSTORE_URL=esdb://localhost:2113?tls=false npx vitest run test/contract
 *
 * The node must run with the compose file's EVENTSTORE_MAX_APPEND_SIZE (4 MiB): the suite stores a
 * ~1.1 MB event, over the server's default limit of 1 MiB. The adapter is told the same limit.
 */
import { describe } from 'vitest';
import { EsdbEventStore } from '../../src/store/esdb/esdb-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';
import { COMPOSE_MAX_APPEND_SIZE } from './fake-esdb-client.js';

const url = process.env.EVENTSTORE_URL;

if (!url) {
  console.info(
    '[esdb contract] skipped: EVENTSTORE_URL is not set, so no EventStoreDB is reachable. ' +
      'To run it: `docker compose up -d eventstore` then `EVENTSTORE_URL=esdb://localhost:2113?tls=false npm test`.',
  );
}

describe.skipIf(!url)('EventStoreDB adapter (live, EVENTSTORE_URL)', () => {
  describeEventStoreContract('eventstoredb', async () => {
    const store = await EsdbEventStore.connect(url as string, {
      deadlineMs: 10_000,
      maxAppendBytes: Number(process.env.EVENTSTORE_MAX_APPEND_SIZE ?? COMPOSE_MAX_APPEND_SIZE),
    });
    return {
      store,
      cleanup: async () => {
        // ESDB keeps every event in $all; the suite isolates itself with fresh stream names.
        await store.close();
      },
    };
  });
});
