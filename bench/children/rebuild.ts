/**
 * Bench child: one full-log pass in its own process, so that `maxRSS` is this pass's own.
 *   rebuild  <file>   drop the read model and replay the log into it (src/read-model `rebuild`)
 *   baseline <file>   read all rows + JSON.parse + fold into a Map (no read model writes)
 *   replay   <file> <knownAt> <asOf>   the tracker as known at an instant, streamed as JSON
 *            (`replayViews` → `replayJsonChunks`, what `commitments replay --out` does)
 *   replay-whole <file> <knownAt> <asOf>   the same, every view built first (`replayKnownAt`)
 * Sends `{ms, events, commitments, rssMb}` to the parent.
 */
import { SqliteEventStore } from '../../src/store/sqlite/sqlite-event-store.js';
import { rebuild } from '../../src/read-model/sqlite-read-model.js';
import type { CommitmentView } from '../../projections/types.js';
import { replayJsonChunks } from '../../src/export/index.js';
import { replayKnownAt } from '../../src/read-model/audit.js';
import { replayViews } from '../../src/read-model/replay.js';
import { openRaw } from '../lib.js';

const [mode, file, knownAt, asOf] = process.argv.slice(2);
if (!mode || !file)
  throw new Error('usage: rebuild.js rebuild|baseline|replay <file> [knownAt asOf]');

interface Mini {
  status: string;
  revision: number;
  dueLatest: string | null;
  lastActivity: string;
}

/** The baseline: every row read, its data and metadata parsed, a minimal state folded per stream. */
function baselineFold(): { events: number; commitments: number } {
  const db = openRaw(file as string);
  const rows = db
    .prepare('SELECT stream, type, data, metadata FROM events ORDER BY position')
    .raw(true)
    .iterate() as IterableIterator<[string, string, string, string]>;
  const map = new Map<string, Mini>();
  let events = 0;
  for (const [stream, type, dataJson, metaJson] of rows) {
    events += 1;
    const data = JSON.parse(dataJson) as Record<string, unknown>;
    const meta = JSON.parse(metaJson) as { recordedAt: string };
    let s = map.get(stream);
    if (type === 'CommitmentRecorded') {
      const due = data.due as { latest: string } | null;
      s = {
        status: 'open',
        revision: 0,
        dueLatest: due?.latest ?? null,
        lastActivity: meta.recordedAt,
      };
      map.set(stream, s);
    }
    if (!s) continue;
    s.revision += 1;
    switch (type) {
      case 'ProgressReported':
      case 'ReviewRecorded':
        s.lastActivity = meta.recordedAt;
        if (
          !['fulfilled', 'partially_fulfilled', 'missed', 'withdrawn', 'superseded'].includes(
            s.status,
          )
        ) {
          s.status = data.assessment === 'stalled' ? 'stalled' : 'in_progress';
        }
        break;
      case 'OutcomeRecorded':
        s.status = data.outcome as string;
        break;
      case 'DeadlineRevised':
        s.dueLatest = (data.due as { latest: string }).latest;
        break;
      case 'CommitmentWithdrawn':
        s.status = 'withdrawn';
        break;
      case 'CommitmentSuperseded':
        s.status = 'superseded';
        break;
      default:
        break;
    }
  }
  db.close();
  return { events, commitments: map.size };
}

let t0 = performance.now();
let ms: number;
let events: number;
let commitments: number;
if (mode === 'baseline') {
  ({ events, commitments } = baselineFold());
  ms = performance.now() - t0;
} else {
  const store = SqliteEventStore.open({ file, synchronous: 'FULL' });
  t0 = performance.now();
  if (mode === 'rebuild') {
    const r = await rebuild(store.db, store);
    ms = performance.now() - t0;
    events = r.events;
    commitments = r.commitments;
  } else if (mode === 'replay') {
    if (!knownAt || !asOf) throw new Error('replay needs knownAt and asOf');
    // What `commitments replay --out` does since issue 18: the JSON answer
    // written as the log is folded (here to a sink that only counts), memory flat with the log.
    const opts = { knownAt, asOf };
    let n = 0;
    async function* counted(): AsyncGenerator<CommitmentView, number, undefined> {
      const g = replayViews(store, opts);
      for (;;) {
        const next = await g.next();
        if (next.done === true) return next.value;
        n += 1;
        yield next.value;
      }
    }
    let bytes = 0;
    for await (const chunk of replayJsonChunks(opts, counted())) bytes += chunk.length;
    ms = performance.now() - t0;
    if (bytes === 0) throw new Error('empty replay');
    events = (store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    commitments = n;
  } else if (mode === 'replay-whole') {
    if (!knownAt || !asOf) throw new Error('replay needs knownAt and asOf');
    const r = await replayKnownAt(store, { knownAt, asOf });
    ms = performance.now() - t0;
    events = (store.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    commitments = r.commitments.length;
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  await store.close();
}
const rssMb = process.resourceUsage().maxRSS / 1024;
process.send?.({ ms, events, commitments, rssMb }, () => process.exit(0));
