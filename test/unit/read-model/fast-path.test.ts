/**
 * Validate once, at the door; trust the verified log (issue 18). A stored event of the current
 * schemaVersion is folded without a zod parse; an older one goes through its upcaster and the
 * schema; a corrupted stored event is still caught, by verify (the hash chain) and by the
 * folds' sanity checks (unknown type, data that is not an object).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CURRENT_SCHEMA_VERSION } from '../../../src/domain/events.js';
import { verify } from '../../../src/read-model/audit.js';
import * as q from '../../../src/read-model/queries.js';
import {
  ensureReadModelSchema,
  inlineProjection,
  rebuild,
} from '../../../src/read-model/sqlite-read-model.js';
import { eventHash, GENESIS_HASH } from '../../../src/store/hash-chain.js';
import type { StoredEvent } from '../../../src/store/port.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';
import { progress, recorded, tempDir } from './helpers.js';

describe('the fold fast path', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;

  beforeEach(async () => {
    tmp = tempDir('rm-fast-path-');
    store = SqliteEventStore.open({ file: dataFile(tmp.dir), synchronous: 'OFF' });
    ensureReadModelSchema(store.db);
    store.registerInlineProjection(inlineProjection(store));
    for (const id of ['aa-one', 'bb-two']) {
      const r = recorded(id, { parties: ['UZ', 'KZ'], metric: true });
      const p = progress('2026-01-01', 5e9);
      await store.append(
        `commitment-${id}`,
        [r, p].map((e) => ({ type: e.type, data: e.data, metadata: { recordedBy: 't' } })),
        { expectedRevision: 'no_stream' },
      );
    }
  });
  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  /** An event with its own schemaVersion, chained but NOT through the door (importEvents). */
  function imported(id: string, schemaVersion: number, parties: string[]): StoredEvent {
    const part = {
      stream: `commitment-${id}`,
      revision: 1,
      id: `00000000-0000-4000-8000-00000000000${schemaVersion}`,
      type: 'CommitmentRecorded',
      data: recorded(id, { parties }).data,
      metadata: {
        recordedAt: '2026-01-01T00:00:00.000Z',
        recordedBy: 'old',
        schemaVersion,
      },
    };
    return { ...part, position: 0, hash: eventHash(GENESIS_HASH, part) };
  }

  it('stores new events at the current schemaVersion', async () => {
    const [e] = await store.readStream('commitment-aa-one');
    expect(e?.metadata.schemaVersion).toBe(CURRENT_SCHEMA_VERSION);
    expect(CURRENT_SCHEMA_VERSION).toBe(2);
  });

  it('upcasts and parses an older version; trusts the current one as stored (no parse)', async () => {
    // The same data, with a party the schema would normalise ('kz' → 'KZ'), once as version 1
    // and once as the current version, both imported without the door.
    store.importEvents([imported('cc-old', 1, ['kz', 'UZ'])]);
    store.importEvents([imported('dd-new', CURRENT_SCHEMA_VERSION, ['kz', 'UZ'])]);
    await rebuild(store.db, store);
    // Version 1 went through the upcaster and the schema: normalised.
    expect(q.getState(store.db, 'cc-old')?.parties).toEqual(['KZ', 'UZ']);
    // The current version was folded as stored: no schema ran (it would have normalised it).
    // This is why the door refuses such data (test/contract: "refuses data its schema would change").
    expect(q.getState(store.db, 'dd-new')?.parties).toEqual(['kz', 'UZ']);
    // The rows validated at the door are what they were.
    expect(q.getState(store.db, 'aa-one')?.parties).toEqual(['UZ', 'KZ']);
  });

  it('verify still catches an edited stored event (the hash chain), naming stream and revision', async () => {
    store.db
      .prepare(
        `UPDATE events SET data = json_set(data, '$.note', 'edited') WHERE stream = ? AND revision = 2`,
      )
      .run('commitment-bb-two');
    const report = await verify(store, store.db);
    expect(report.ok).toBe(false);
    expect(report.chain).toMatchObject({ ok: false, brokenAt: { stream: 'commitment-bb-two' } });
    const brokenAt = (report.chain as { brokenAt: { revision: number } }).brokenAt;
    expect(brokenAt.revision).toBe(2);
  });

  it('the folds refuse stored data that is not an object, and an unknown type', async () => {
    const edit = store.db.prepare(
      `UPDATE events SET data = ? WHERE stream = 'commitment-aa-one' AND revision = 2`,
    );
    edit.run('[1,2]');
    await expect(rebuild(store.db, store)).rejects.toThrow(/not an object/);
    edit.run('"text"');
    await expect(rebuild(store.db, store)).rejects.toThrow(/not an object/);
    store.db
      .prepare(
        `UPDATE events SET data = '{}', type = 'Bogus' WHERE stream = 'commitment-aa-one' AND revision = 2`,
      )
      .run();
    await expect(rebuild(store.db, store)).rejects.toThrow(/unknown event type Bogus/);
    // The failed rebuilds left the previous read model in place (one transaction each).
    expect(q.getState(store.db, 'aa-one')?.revision).toBe(2);
  });
});
