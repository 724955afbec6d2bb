/**
 * Rebuilding the read model from the log. Over the store's own file (a `LocalLog` sharing the
 * connection) the events are read stream by stream and each commitment is written once, in ONE
 * transaction: the read model is never seen half built, an interrupted rebuild leaves the old one
 * in place, and other writers wait (busy timeout). Otherwise the log is applied page by page from
 * the checkpoint, each page in its own transaction, so an interrupted rebuild resumes.
 */
import type { Database } from 'better-sqlite3';

import { envelopeOf, evolveStored } from '../../projections/index.js';
import type { CommitmentState } from '../../projections/types.js';
import { COMMITMENT_STREAM_PREFIX } from '../store/port.js';
import type { EventStore, LocalLog, StoredEvent } from '../store/port.js';
import {
  CHECKPOINT_NAME,
  createReadModel,
  createReadModelIndexes,
  dropReadModel,
} from './schema.js';
import { replayMetadata } from './replay.js';
import { projectBatch, readCheckpoint, statements, writeRow } from './sqlite-read-model.js';

export interface RebuildOptions {
  /** Events per transaction. Default 10 000. */
  batchSize?: number;
  onProgress?(p: { events: number; position: number }): void;
}

export interface RebuildResult {
  events: number;
  position: number;
  commitments: number;
}

/**
 * Apply everything in the log after the checkpoint, page by page, one transaction per page.
 * Used by `rebuild` (from 0) and by `catchUp` (from the stored checkpoint).
 */
export async function applyLog(
  db: Database,
  store: Pick<EventStore, 'readAll'>,
  opts: RebuildOptions = {},
): Promise<{ events: number; position: number }> {
  const limit = Math.max(1, opts.batchSize ?? 10_000);
  let after = readCheckpoint(db);
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, limit, streamPrefix: COMMITMENT_STREAM_PREFIX });
    if (page.length === 0) break;
    events += projectBatch(db, page);
    after = Math.max(after, (page[page.length - 1] as StoredEvent).position, readCheckpoint(db));
    opts.onProgress?.({ events, position: after });
    if (page.length < limit) break;
  }
  return { events, position: readCheckpoint(db) };
}

/** The store's log lives in `db` itself: the rebuild can read it by stream on that connection. */
export function sameFileStore(db: Database, store: Pick<EventStore, 'local'>): boolean {
  return store.local?.sharesConnection(db) ?? false;
}

/**
 * Rebuild from the events table in the same file, stream by stream (`readCommitmentsByStream`): each
 * commitment is folded completely in memory and written ONCE (the position-ordered replay writes
 * a commitment's row once per page it appears in, which is nearly every page: ~30k commitments
 * are active at once). Commitments are independent, so the rows are the same; the checkpoint is
 * set at the end to the greatest position applied. The whole rebuild is ONE transaction, so the
 * read model is never seen half built and an interrupted rebuild leaves the old one in place;
 * other writers wait for it (busy timeout).
 */
function rebuildByStream(db: Database, log: LocalLog, opts: RebuildOptions): RebuildResult {
  const run = db.transaction((): RebuildResult => {
    dropReadModel(db);
    createReadModel(db, false);
    const st = statements(db);
    let events = 0;
    let maxPosition = 0;
    let commitments = 0;
    let current: string | null = null;
    let state: CommitmentState | null = null;
    let statePosition = 0;
    const flush = (): void => {
      if (current !== null && state !== null) {
        writeRow(st, current, null, state, statePosition);
        commitments += 1;
      }
      state = null;
      statePosition = 0;
    };
    log.readCommitmentsByStream(
      opts.batchSize ?? 10_000,
      ([position, stream, revision, type, dataJson, metadataJson]) => {
        const id = stream.slice(COMMITMENT_STREAM_PREFIX.length);
        if (id !== current) {
          flush();
          current = id;
        }
        // Only recordedAt and schemaVersion are needed: no JSON.parse of the metadata.
        const metadata = replayMetadata(metadataJson);
        const next = evolveStored(
          state,
          envelopeOf({ stream, revision, type, data: JSON.parse(dataJson) as unknown, metadata }),
        );
        events += 1;
        if (position > maxPosition) maxPosition = position;
        if (next !== null) {
          state = next;
          statePosition = position;
        }
      },
      () => opts.onProgress?.({ events, position: maxPosition }),
    );
    flush();
    if (maxPosition > 0) st.setCheckpoint.run(CHECKPOINT_NAME, maxPosition);
    createReadModelIndexes(db);
    return { events, position: maxPosition, commitments };
  });
  return run.immediate();
}

/** Drop the read model and replay the whole log into it. */
export async function rebuild(
  db: Database,
  store: Pick<EventStore, 'readAll' | 'local'>,
  opts: RebuildOptions = {},
): Promise<RebuildResult> {
  if (store.local?.sharesConnection(db)) return rebuildByStream(db, store.local, opts);
  const reset = db.transaction(() => {
    dropReadModel(db);
    // Secondary indexes come after the bulk load; an interrupted rebuild gets them back from
    // ensureReadModelSchema on the next open (and resumes from its checkpoint).
    createReadModel(db, false);
  });
  reset.immediate();
  const r = await applyLog(db, store, opts);
  createReadModelIndexes(db);
  const row = db.prepare('SELECT count(*) AS n FROM rm_commitments').get() as { n: number };
  return { ...r, commitments: row.n };
}
