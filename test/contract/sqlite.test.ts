import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { SqliteEventStore, dataFile } from '../../src/store/sqlite/sqlite-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-sqlite-'));
  const store = SqliteEventStore.open({ file: dataFile(path.join(dir, 'data')) });
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
