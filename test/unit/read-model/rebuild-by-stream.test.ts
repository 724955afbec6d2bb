/**
 * The same-file rebuild (events read by stream, each commitment folded and written once) gives
 * exactly the rows of the inline projection and of the position-ordered replay, including after
 * corrections (which rewrite the denormalised agenda rows) and closures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  ensureReadModelSchema,
  inlineProjection,
  readCheckpoint,
  rebuild,
} from '../../../src/read-model/sqlite-read-model.js';
import * as q from '../../../src/read-model/queries.js';
import { verify } from '../../../src/read-model/audit.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';
import { BY_STREAM_PAGE_SQL } from '../../../src/store/sqlite/local-log.js';
import {
  corrected,
  deadlineRevised,
  dumpReadModel,
  openReadModelDb,
  outcome,
  progress,
  recorded,
  review,
  tempDir,
  withdrawn,
  type Ev,
} from './helpers.js';

describe('rebuild from the same file, stream by stream', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;

  async function put(id: string, ev: Ev): Promise<number> {
    const r = await store.append(
      `commitment-${id}`,
      [{ type: ev.type, data: ev.data, metadata: { recordedBy: 'test' } }],
      { expectedRevision: 'any' },
    );
    return r.position;
  }

  beforeEach(async () => {
    tmp = tempDir('rm-by-stream-');
    store = SqliteEventStore.open({ file: dataFile(tmp.dir), synchronous: 'OFF' });
    ensureReadModelSchema(store.db);
    store.registerInlineProjection(inlineProjection(store));
    const ids = ['aa-one', 'bb-two', 'cc-three', 'dd-four'];
    for (const id of ids) await put(id, recorded(id, { parties: ['UZ', 'KZ'], metric: true }));
    // Interleaved streams, as in a real log.
    for (let i = 0; i < 6; i += 1) {
      for (const id of ids) await put(id, progress(`2026-0${1 + (i % 6)}-01`, 5e9 + i));
    }
    await put('bb-two', corrected({ title: 'A corrected title', parties: ['KZ', 'TJ'] }));
    await put('cc-three', review('2026-03-05', 'stalled'));
    await put('cc-three', deadlineRevised('2031-06-30'));
    await put('dd-four', outcome('missed', '2026-06-01'));
    await put('aa-one', withdrawn('2026-06-02'));
    // An event of another stream only moves the checkpoint.
    await store.append(
      'other-stream',
      [{ type: 'Note', data: {}, metadata: { recordedBy: 'test' } }],
      { expectedRevision: 'any' },
    );
    await put('bb-two', progress('2026-07-01', 6e9));
  });

  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  it('gives the rows of the inline projection and of the position-ordered rebuild', async () => {
    const inline = dumpReadModel(store.db);
    const fresh = openReadModelDb();
    await rebuild(fresh, store, { batchSize: 3 });
    const byPosition = dumpReadModel(fresh);
    fresh.close();

    const r = await rebuild(store.db, store, { batchSize: 4 });
    expect(r.commitments).toBe(4);
    expect(r.position).toBe(readCheckpoint(store.db));
    expect(dumpReadModel(store.db)).toEqual(inline);
    expect(dumpReadModel(store.db)).toEqual(byPosition);
    expect((await verify(store, store.db)).ok).toBe(true);
  });

  it('agenda answers carry the corrected title and parties', () => {
    const items = q.upcoming(store.db, { asOf: '2026-01-01', until: '2040-01-01', party: 'tj' });
    expect(items.map((i) => i.commitmentId)).toEqual(['bb-two', 'bb-two']);
    expect(items[0]?.title).toBe('A corrected title');
    expect(items[0]?.parties).toEqual(['KZ', 'TJ']);
    expect(
      q
        .upcoming(store.db, { asOf: '2026-01-01', until: '2040-01-01', party: 'UZ' })
        .map((i) => i.commitmentId),
    ).not.toContain('bb-two');
  });

  it('seeks each page on (stream, revision), so a rebuild stays linear in the log', () => {
    const plan = store.db
      .prepare(`EXPLAIN QUERY PLAN ${BY_STREAM_PAGE_SQL}`)
      .all('commitment-bb-two', 3, 'commitment.', 10) as Array<{ detail: string }>;
    const detail = plan.map((p) => p.detail).join('\n');
    // Seeking on `stream>?` alone would restart every page at the first commitment stream.
    expect(detail).toMatch(/USING (COVERING )?INDEX \S+ \(\(stream,revision\)>\(\?,\?\)/);
  });
});
