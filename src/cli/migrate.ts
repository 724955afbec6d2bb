/**
 * `commitments migrate --to <esdb-url | data dir>`: copy the whole log from the configured store
 * into another store behind the same port, in position order, keeping each event's id, type,
 * data, metadata and hash (the target's `importEvents`), so the audit holds on the target.
 *
 * Resumable: for every stream the target's events are compared first; events the target already
 * holds (same id and hash at the same revision) are skipped, the rest are appended at its head.
 * A target holding another event at one of those revisions stops the migration (UsageError).
 */
import path from 'node:path';
import type { Clock } from '../domain/clock.js';
import type { EventStore, StoredEvent } from '../store/port.js';
import { EsdbEventStore } from '../store/esdb/esdb-event-store.js';
import { openTracker } from '../bootstrap.js';
import { importerOf, type EventImporter } from './import/types.js';
import { UsageError } from './context.js';
import type { Progress } from './output.js';

export const ESDB_URL_RE = /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover|kdb):\/\//;

export interface MigrateResult {
  to: string;
  targetKind: 'sqlite' | 'eventstoredb';
  /** Events read from the source. */
  events: number;
  copied: number;
  /** Already in the target (a resumed migration). */
  skipped: number;
}

export interface MigrateTarget {
  kind: 'sqlite' | 'eventstoredb';
  store: EventStore;
  importer: EventImporter;
  close(): Promise<void>;
}

export async function openTarget(
  to: string,
  opts: { clock: Clock; sourceDataDir?: string; synchronous?: 'FULL' | 'NORMAL' | 'OFF' },
): Promise<MigrateTarget> {
  if (ESDB_URL_RE.test(to)) {
    const store = await EsdbEventStore.connect(to, { clock: opts.clock });
    await store.headPosition(); // fail fast when unreachable
    return { kind: 'eventstoredb', store, importer: store, close: () => store.close() };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(to)) {
    throw new UsageError(`--to: ${to} is neither an esdb:// connection string nor a directory`);
  }
  if (opts.sourceDataDir !== undefined && path.resolve(to) === path.resolve(opts.sourceDataDir)) {
    throw new UsageError('--to names the data dir being migrated from');
  }
  // The target's own tracker keeps its read model current as events arrive.
  const tracker = await openTracker({
    dataDir: to,
    clock: opts.clock,
    synchronous: opts.synchronous ?? 'FULL',
  });
  const importer = importerOf(tracker.store);
  if (!importer) throw new Error('the target store cannot import events');
  return { kind: 'sqlite', store: tracker.store, importer, close: () => tracker.close() };
}

export async function migrate(
  source: EventStore,
  target: MigrateTarget,
  opts: {
    to: string;
    progress: Progress;
    batchSize?: number;
    /** Tests only: stop (SIGKILL) after this many copied events, to exercise resuming. */
    stopAfter?: number;
  },
): Promise<MigrateResult> {
  const limit = Math.max(1, opts.batchSize ?? 500);
  const head = await source.headPosition();
  opts.progress.setTotal(head);
  const heads = new Map<string, { target: StoredEvent[]; rev: number }>();
  let after = 0;
  let events = 0;
  let copied = 0;
  let skipped = 0;
  for (;;) {
    const page = await source.readAll({ after, limit });
    if (page.length === 0) break;
    let batch: StoredEvent[] = [];
    for (const e of page) {
      events += 1;
      let h = heads.get(e.stream);
      if (!h) {
        const t = await target.store.readStream(e.stream);
        h = { target: t, rev: t.length };
        heads.set(e.stream, h);
      }
      if (e.revision <= h.target.length) {
        const t = h.target[e.revision - 1] as StoredEvent;
        if (t.id !== e.id || t.hash !== e.hash) {
          throw new UsageError(
            `the target holds another event at ${e.stream} revision ${e.revision}; it is not a copy of this log`,
          );
        }
        skipped += 1;
        continue;
      }
      if (e.revision !== h.rev + 1) {
        throw new Error(`the source log skips from ${e.stream} revision ${h.rev} to ${e.revision}`);
      }
      h.rev = e.revision;
      batch.push(e);
    }
    let stop = false;
    if (opts.stopAfter !== undefined && copied + batch.length >= opts.stopAfter) {
      batch = batch.slice(0, Math.max(0, opts.stopAfter - copied));
      stop = true;
    }
    if (batch.length > 0) {
      await target.importer.importEvents(batch);
      copied += batch.length;
    }
    if (stop) {
      // Simulate a crash at this point: no cleanup, no close.
      process.kill(process.pid, 'SIGKILL');
    }
    after = (page[page.length - 1] as StoredEvent).position;
    opts.progress.update(after);
    if (page.length < limit) break;
  }
  opts.progress.update(head);
  return { to: opts.to, targetKind: target.kind, events, copied, skipped };
}
