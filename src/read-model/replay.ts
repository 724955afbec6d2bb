/**
 * The tracker as known at an instant, replayed from the log: one commitment (`stateKnownAt`) or
 * all of them (`replayKnownAt`). Only events with `metadata.recordedAt ≤ knownAt` count (compared
 * as instants); the live read model is never read. With a `LocalLog` the events are read stream
 * by stream, so memory holds the views, not every state; the result is the same.
 */
import { envelopeOf, evolveStored, InMemoryModel, toView } from '../../projections/index.js';
import type { CommitmentState, CommitmentView } from '../../projections/types.js';
import { COMMITMENT_STREAM_PREFIX, commitmentStream } from '../store/port.js';
import type { EventStore, LocalLog, StoredEvent } from '../store/port.js';
import type { ReplayResult } from './types.js';

const PAGE = 5_000;

function instant(s: string, what: string): number {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new RangeError(`${what} is not an instant: ${s}`);
  return t;
}

export async function stateKnownAt(
  store: Pick<EventStore, 'readStream'>,
  id: string,
  knownAt: string,
): Promise<CommitmentState | null> {
  const limit = instant(knownAt, 'knownAt');
  const events = await store.readStream(commitmentStream(id));
  let state: CommitmentState | null = null;
  for (const e of events) {
    if (instant(e.metadata.recordedAt, 'recordedAt') <= limit)
      state = evolveStored(state, envelopeOf(e));
  }
  return state;
}

export async function replayKnownAt(
  store: Pick<EventStore, 'readAll' | 'local'>,
  opts: { knownAt: string; asOf: string; pageSize?: number },
): Promise<ReplayResult> {
  const limit = instant(opts.knownAt, 'knownAt');
  if (store.local) return replayByStream(store.local, opts, limit);
  const { model, position } = await foldKnownAt(store, opts.knownAt, opts.pageSize);
  return { knownAt: opts.knownAt, asOf: opts.asOf, position, commitments: model.views(opts.asOf) };
}

/**
 * The commitment events recorded at or before `knownAt`, read page by page in position order and
 * folded into an InMemoryModel; `position` is the greatest included position (0 for none).
 */
export async function foldKnownAt(
  store: Pick<EventStore, 'readAll'>,
  knownAt: string,
  pageSize: number = PAGE,
): Promise<{ model: InMemoryModel; position: number }> {
  const limit = instant(knownAt, 'knownAt');
  const model = new InMemoryModel();
  let after = 0;
  let position = 0;
  for (;;) {
    const page = await store.readAll({
      after,
      limit: pageSize,
      streamPrefix: COMMITMENT_STREAM_PREFIX,
    });
    for (const e of page) {
      // recordedAt grows with position on one store, but is checked per event all the same.
      if (instant(e.metadata.recordedAt, 'recordedAt') > limit) continue;
      model.applyStored(e);
      position = e.position;
    }
    if (page.length < pageSize) break;
    after = (page[page.length - 1] as StoredEvent).position;
  }
  return { model, position };
}

/**
 * `replayKnownAt` on the embedded store: the events are read in (stream, revision) order (the
 * reader of the stream-by-stream rebuild), each commitment is folded from its events recorded at
 * or before `limit`, and only its view is kept, so memory holds the views, not every state. The
 * result is that of the position-ordered replay: commitments are independent, `position` is the
 * greatest included position, and the views are sorted by id. If two streams ever recorded the
 * same id, the one updated last in the log wins, as in the InMemoryModel.
 */
function replayByStream(
  log: LocalLog,
  opts: { knownAt: string; asOf: string; pageSize?: number },
  limit: number,
): ReplayResult {
  const byId = new Map<string, { view: CommitmentView; at: number }>();
  let position = 0;
  let current = '';
  let state: CommitmentState | null = null;
  let stateAt = 0;
  const flush = (): void => {
    if (state !== null) {
      const prev = byId.get(state.id);
      if (prev === undefined || prev.at < stateAt) {
        byId.set(state.id, { view: toView(state, opts.asOf), at: stateAt });
      }
    }
    state = null;
    stateAt = 0;
  };
  log.readCommitmentsByStream(
    opts.pageSize ?? PAGE * 2,
    ([pos, stream, revision, type, dataJson, metadataJson]) => {
      if (stream !== current) {
        flush();
        current = stream;
      }
      const metadata = replayMetadata(metadataJson);
      if (instant(metadata.recordedAt, 'recordedAt') > limit) return;
      const next = evolveStored(
        state,
        envelopeOf({ stream, revision, type, data: JSON.parse(dataJson) as unknown, metadata }),
      );
      if (pos > position) position = pos;
      if (next !== null) {
        state = next;
        stateAt = pos;
      }
    },
  );
  flush();
  const commitments = [...byId.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => v.view);
  return { knownAt: opts.knownAt, asOf: opts.asOf, position, commitments };
}

/**
 * `recordedAt` and `schemaVersion` from the metadata JSON of the embedded store, without
 * parsing the rest (the replay needs nothing else). The store writes canonical JSON, in which a
 * key is `"name":` and a quote inside a string value is escaped, so the first match is the key.
 * Anything unexpected falls back to `JSON.parse`.
 */
export function replayMetadata(json: string): { recordedAt: string; schemaVersion?: number } {
  const a = json.indexOf('"recordedAt":"');
  const v = json.indexOf('"schemaVersion":');
  if (a >= 0 && v >= 0) {
    const start = a + 14;
    const end = json.indexOf('"', start);
    const digits = /^\d+/.exec(json.slice(v + 16, v + 26));
    if (end > start && digits !== null) {
      return { recordedAt: json.slice(start, end), schemaVersion: Number(digits[0]) };
    }
  }
  const m = JSON.parse(json) as StoredEvent['metadata'];
  return m.schemaVersion === undefined
    ? { recordedAt: m.recordedAt }
    : { recordedAt: m.recordedAt, schemaVersion: m.schemaVersion };
}

/**
 * The replay as a stream: every commitment's view as known at `knownAt`, one at a time, sorted by
 * id; the generator's return value is the greatest included position. Memory stays flat with the
 * log's size on the embedded store (one page of events and one commitment's state at a time;
 * the event loop runs between pages). `upTo` cuts the log at a position (events after it are not
 * folded, so the views match a `position` announced before them: `openReplay`); `signal` stops
 * the replay between pages (a client that went away).
 * Without a `LocalLog` (EventStoreDB) the log is folded in position order into an in-memory model
 * first (memory grows with the number of commitments), then its views are yielded.
 * Views come per stream: a commitment recorded under another stream's name (never written by the
 * tracker) would be listed per stream, where `replayKnownAt` keeps the one updated last.
 */
export async function* replayViews(
  store: Pick<EventStore, 'readAll' | 'local'>,
  opts: { knownAt: string; asOf: string; pageSize?: number; upTo?: number; signal?: AbortSignal },
): AsyncGenerator<CommitmentView, number, undefined> {
  const limit = instant(opts.knownAt, 'knownAt');
  if (!store.local) {
    const r = await replayKnownAt({ readAll: store.readAll.bind(store) }, opts);
    for (const v of r.commitments) yield v;
    return r.position;
  }
  const upTo = opts.upTo ?? Number.POSITIVE_INFINITY;
  let position = 0;
  let current = '';
  let state: CommitmentState | null = null;
  const pending: CommitmentView[] = [];
  for (const rows of store.local.pagesOfCommitmentsByStream(opts.pageSize ?? PAGE * 2)) {
    opts.signal?.throwIfAborted();
    for (const [pos, stream, revision, type, dataJson, metadataJson] of rows) {
      if (stream !== current) {
        if (state !== null) pending.push(toView(state, opts.asOf));
        state = null;
        current = stream;
      }
      if (pos > upTo) continue;
      const m = replayMetadata(metadataJson);
      if (instant(m.recordedAt, 'recordedAt') > limit) continue;
      const next = evolveStored(
        state,
        envelopeOf({ stream, revision, type, data: JSON.parse(dataJson) as unknown, metadata: m }),
      );
      if (pos > position) position = pos;
      if (next !== null) state = next;
    }
    for (const v of pending) yield v;
    pending.length = 0;
    // Let the event loop run (and the consumer's output drain) between pages.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  opts.signal?.throwIfAborted();
  if (state !== null) yield toView(state, opts.asOf);
  return position;
}

/**
 * The position a replay as known at `knownAt` covers (the greatest position of a commitment
 * event recorded at or before it; 0 if none), found before any event is folded by reading the
 * embedded log backwards: one row when `knownAt` is now, the whole log's metadata (no data) at
 * worst. Null without a `LocalLog`.
 */
export function replayPosition(
  store: Pick<EventStore, 'local'>,
  opts: { knownAt: string },
): number | null {
  if (!store.local) return null;
  const limit = instant(opts.knownAt, 'knownAt');
  for (const [pos, metadataJson] of store.local.commitmentMetadataNewestFirst()) {
    if (instant(replayMetadata(metadataJson).recordedAt, 'recordedAt') <= limit) return pos;
  }
  return 0;
}

/**
 * A replay whose `position` is known before its views: what a streamed answer needs to write the
 * `ReplayResult` members in their order (`knownAt`, `asOf`, `position`, `commitments`). On the
 * embedded store the position comes from `replayPosition` and the views from `replayViews` cut
 * at it, so both describe the same prefix of the log even while writers append. Without a
 * `LocalLog` (EventStoreDB) the replay is folded in memory first (`replayKnownAt`), as before.
 */
export async function openReplay(
  store: Pick<EventStore, 'readAll' | 'local'>,
  opts: { knownAt: string; asOf: string; pageSize?: number; signal?: AbortSignal },
): Promise<{ position: number; views: AsyncGenerator<CommitmentView, number, undefined> }> {
  const position = replayPosition(store, opts);
  if (position === null) {
    const r = await replayKnownAt({ readAll: store.readAll.bind(store) }, opts);
    async function* views(): AsyncGenerator<CommitmentView, number, undefined> {
      for (const v of r.commitments) yield v;
      return r.position;
    }
    return { position: r.position, views: views() };
  }
  return { position, views: replayViews(store, { ...opts, upTo: position }) };
}
