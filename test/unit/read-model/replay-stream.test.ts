/**
 * The streaming replay (issue 18): `replayViews` gives exactly the views of `replayKnownAt`, in
 * the same order; it yields views before the whole log is read (memory holds a page, not the
 * answer); and `replayJsonChunks` writes the ReplayResult object as text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { CommitmentView } from '../../../projections/types.js';
import { replayJsonChunks } from '../../../src/export/index.js';
import {
  openReplay,
  replayKnownAt,
  replayMetadata,
  replayPosition,
  replayViews,
} from '../../../src/read-model/replay.js';
import type { LocalLog } from '../../../src/store/port.js';
import { SqliteEventStore, dataFile } from '../../../src/store/sqlite/sqlite-event-store.js';
import { progress, recorded, review, tempDir } from './helpers.js';

async function collect(
  g: AsyncGenerator<CommitmentView, number, undefined>,
): Promise<{ views: CommitmentView[]; position: number }> {
  const views: CommitmentView[] = [];
  for (;;) {
    const n = await g.next();
    if (n.done === true) return { views, position: n.value };
    views.push(n.value);
  }
}

describe('replay as a stream', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  const ids = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}-x`);
  let middle = '';

  beforeEach(async () => {
    tmp = tempDir('rm-replay-stream-');
    store = SqliteEventStore.open({ file: dataFile(tmp.dir), synchronous: 'OFF' });
    const put = (id: string, e: { type: string; data: unknown }) =>
      store.append(`commitment-${id}`, [{ ...e, metadata: { recordedBy: 't' } }], {
        expectedRevision: 'any',
      });
    for (const id of ids) await put(id, recorded(id, { metric: true }));
    for (const id of ids.slice(0, 6)) await put(id, progress('2026-01-01', 6e9));
    await new Promise((r) => setTimeout(r, 5));
    middle = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    for (const id of ids.slice(3)) await put(id, review('2026-02-01', 'stalled'));
  });
  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  for (const knownAt of ['now', 'middle', 'before']) {
    it(`gives the views, order and position of replayKnownAt (knownAt ${knownAt})`, async () => {
      const k =
        knownAt === 'now'
          ? new Date(Date.now() + 1000).toISOString()
          : knownAt === 'middle'
            ? middle
            : '2000-01-01T00:00:00.000Z';
      const opts = { knownAt: k, asOf: '2026-03-01', pageSize: 5 };
      const whole = await replayKnownAt(store, opts);
      const streamed = await collect(replayViews(store, opts));
      expect(streamed.views).toEqual(whole.commitments);
      expect(streamed.position).toBe(whole.position);
      // ... and the position-ordered replay (no LocalLog) agrees as well.
      const plain = await collect(replayViews({ readAll: (o) => store.readAll(o) }, opts));
      expect(plain).toEqual(streamed);
      // The position found first (reading the log backwards) is the replay's.
      expect(replayPosition(store, opts)).toBe(whole.position);
      // The JSON, compact and pretty, is byte for byte that of the whole result.
      for (const pretty of [false, true]) {
        const opened = await openReplay(store, opts);
        expect(opened.position).toBe(whole.position);
        let text = '';
        for await (const c of replayJsonChunks(
          { knownAt: k, asOf: opts.asOf, position: opened.position },
          opened.views,
          { pretty, viewsPerChunk: 5 },
        ))
          text += c;
        expect(text).toBe(pretty ? `${JSON.stringify(whole, null, 2)}\n` : JSON.stringify(whole));
      }
    });
  }

  it('cut at the position it announced: events appended after it are not folded', async () => {
    const opts = { knownAt: new Date(Date.now() + 60_000).toISOString(), asOf: '2026-03-01' };
    const before = await replayKnownAt(store, opts);
    const opened = await openReplay(store, { ...opts, pageSize: 4 });
    await store.append(
      'commitment-zz-late',
      [{ ...recorded('zz-late', { metric: true }), metadata: { recordedBy: 't' } }],
      { expectedRevision: 'any' },
    );
    await store.append(
      'commitment-c00-x',
      [{ ...review('2026-02-02', 'stalled'), metadata: { recordedBy: 't' } }],
      { expectedRevision: 'any' },
    );
    const got = await collect(opened.views);
    expect(got.position).toBe(opened.position);
    expect(got).toEqual({ views: before.commitments, position: before.position });
  });

  it('stops between pages when its signal aborts', async () => {
    const stop = new AbortController();
    const g = replayViews(store, {
      knownAt: new Date(Date.now() + 1000).toISOString(),
      asOf: '2026-03-01',
      pageSize: 3,
      signal: stop.signal,
    });
    expect((await g.next()).done).toBe(false);
    stop.abort(new Error('client gone'));
    await expect(collect(g)).rejects.toThrow('client gone');
  });

  it('yields the first view before the whole log is read', async () => {
    const local = store.local;
    let pages = 0;
    const counting: LocalLog = {
      ...local,
      *pagesOfCommitmentsByStream(size) {
        for (const p of local.pagesOfCommitmentsByStream(size)) {
          pages += 1;
          yield p;
        }
      },
    };
    const g = replayViews(
      { readAll: (o) => store.readAll(o), local: counting },
      { knownAt: new Date(Date.now() + 1000).toISOString(), asOf: '2026-03-01', pageSize: 3 },
    );
    const first = await g.next();
    expect(first.done).toBe(false);
    expect(pages).toBeLessThan(3);
    const rest = await collect(g);
    expect(rest.views).toHaveLength(ids.length - 1);
    expect(pages).toBeGreaterThan(5);
  });

  it('writes the ReplayResult object as JSON chunks', async () => {
    const opts = { knownAt: new Date(Date.now() + 1000).toISOString(), asOf: '2026-03-01' };
    let text = '';
    let chunks = 0;
    for await (const c of replayJsonChunks(opts, replayViews(store, opts))) {
      text += c;
      chunks += 1;
    }
    expect(chunks).toBeGreaterThan(0);
    expect(JSON.parse(text)).toEqual(await replayKnownAt(store, opts));
  });

  it('reads recordedAt and schemaVersion from canonical metadata without parsing it', () => {
    const m = {
      idempotencyKey: 'k "recordedAt":"1999"',
      recordedAt: '2026-01-02T03:04:05.006Z',
      recordedBy: 'x',
      schemaVersion: 12,
    };
    expect(replayMetadata(JSON.stringify(m))).toEqual({
      recordedAt: m.recordedAt,
      schemaVersion: 12,
    });
    expect(replayMetadata('{"recordedAt":"2026-01-01T00:00:00.000Z"}')).toEqual({
      recordedAt: '2026-01-01T00:00:00.000Z',
    });
  });
});
