/**
 * Audit queries: they read the event log, never the live read model (verify reads both to
 * compare them).
 *
 * Exports:
 * - `stateKnownAt(store, id, knownAt)`: the commitment folded from only the events with
 *   `metadata.recordedAt ≤ knownAt` (compared as instants); null when it was not recorded then.
 * - `replayKnownAt(store, {knownAt, asOf})`: the whole tracker as known at `knownAt`, replayed from
 *   the start of the log into a fresh InMemoryModel → ReplayResult (views at `asOf`, sorted by id;
 *   `position` = last included event, 0 when none).
 * - `verify(store, db)`: walk every commitment stream's hash chain over the global log, rebuild the
 *   projections into a scratch model up to the read model's checkpoint, and compare with the live
 *   read model (state_json canonicalised, the indexed columns, the party/tag/agenda rows, missing
 *   and extra rows) → VerifyReport. On the embedded store the stream heads recorded by the store
 *   are checked too (so deleting the last event of a stream is caught).
 */
import { StoreUnavailableError } from '../store/errors.js';
import type { Database } from 'better-sqlite3';

import { agendaItems, evolve, InMemoryModel, toView } from '../../projections/index.js';
import type { CommitmentState, CommitmentView } from '../../projections/types.js';
import type { ReplayResult, VerifyReport } from './types.js';
import { canonicalJson, eventHash, GENESIS_HASH } from '../store/hash-chain.js';
import { COMMITMENT_STREAM_PREFIX, commitmentIdOf, commitmentStream } from '../store/port.js';
import type { EventStore, LocalLog, StoredEvent } from '../store/port.js';
import { envelopeOf, readCheckpoint } from './sqlite-read-model.js';

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
    if (instant(e.metadata.recordedAt, 'recordedAt') <= limit) state = evolve(state, envelopeOf(e));
  }
  return state;
}

export async function replayKnownAt(
  store: Pick<EventStore, 'readAll' | 'local'>,
  opts: { knownAt: string; asOf: string; pageSize?: number },
): Promise<ReplayResult> {
  const limit = instant(opts.knownAt, 'knownAt');
  const pageSize = opts.pageSize ?? PAGE;
  if (store.local) return replayByStream(store.local, opts, limit);
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
  return { knownAt: opts.knownAt, asOf: opts.asOf, position, commitments: model.views(opts.asOf) };
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
      const metadata = JSON.parse(metadataJson) as StoredEvent['metadata'];
      if (instant(metadata.recordedAt, 'recordedAt') > limit) return;
      const next = evolve(state, {
        type,
        data: JSON.parse(dataJson) as unknown,
        revision,
        recordedAt: metadata.recordedAt,
        ...(metadata.schemaVersion !== undefined ? { schemaVersion: metadata.schemaVersion } : {}),
      });
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

interface ChainHead {
  revision: number;
  hash: string;
  /** The stream's chain is broken: later events of it are not checked again. */
  broken: boolean;
}

interface RmRow {
  id: string;
  status: string;
  kind: string;
  due_latest: string | null;
  next_follow_up: string | null;
  revision: number;
  position: number;
  state_json: string;
}

function sortedEq(a: readonly string[], b: readonly string[]): boolean {
  const x = [...a].sort();
  const y = [...b].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

export async function verify(store: EventStore, db: Database): Promise<VerifyReport> {
  const mismatches: Array<{ id: string; reason: string }> = [];
  let brokenAt: { stream: string; revision: number; reason: string } | undefined;
  const breakChain = (b: { stream: string; revision: number; reason: string }): void => {
    if (brokenAt === undefined) brokenAt = b;
  };

  let checkpoint = 0;
  let readModelPresent = true;
  try {
    checkpoint = readCheckpoint(db);
  } catch {
    readModelPresent = false;
    mismatches.push({ id: '*', reason: 'the read model tables are missing' });
  }

  // 1. Walk the log once: hash chains per stream, and the scratch projections up to the checkpoint.
  const heads = new Map<string, ChainHead>();
  const scratch = new Map<string, CommitmentState>();
  const unprojectable = new Set<string>();
  let events = 0;
  let after = 0;
  for (;;) {
    let page: StoredEvent[];
    try {
      page = await store.readAll({ after, limit: PAGE, streamPrefix: COMMITMENT_STREAM_PREFIX });
    } catch (err) {
      // An unreachable store says nothing about the log: answer "unavailable", not "tampered".
      if (err instanceof StoreUnavailableError) throw err;
      // A stored event that no longer parses (its JSON was edited). Find it when we can, skip it.
      const bad = store.local?.firstUnreadableAfter(after) ?? null;
      const reason = `stored event cannot be read: ${(err as Error).message}`;
      if (bad === null) {
        breakChain({ stream: '?', revision: 0, reason: `${reason} (after position ${after})` });
        break;
      }
      page = await readAllSkipping(store, after, bad.position);
      // The readable events before it are walked first; then the bad one breaks its stream.
      walk(page);
      events += 1;
      breakChain({ stream: bad.stream, revision: bad.revision, reason });
      heads.set(bad.stream, { revision: bad.revision, hash: '', broken: true });
      unprojectable.add(bad.stream);
      const id = commitmentIdOf(bad.stream);
      if (id !== null) scratch.delete(id);
      after = bad.position;
      continue;
    }
    walk(page);
    if (page.length < PAGE) break;
    after = Math.max(after, (page[page.length - 1] as StoredEvent).position);
  }

  function walk(page: readonly StoredEvent[]): void {
    for (const e of page) {
      events += 1;
      const head = heads.get(e.stream) ?? { revision: 0, hash: GENESIS_HASH, broken: false };
      if (!head.broken) {
        if (e.revision !== head.revision + 1) {
          breakChain({
            stream: e.stream,
            revision: head.revision + 1,
            reason: `expected revision ${head.revision + 1}, found ${e.revision} (event missing or out of order)`,
          });
          head.broken = true;
        } else if (eventHash(head.hash, e) !== e.hash) {
          breakChain({
            stream: e.stream,
            revision: e.revision,
            reason: 'hash does not match the event content and its predecessor',
          });
          head.broken = true;
        }
      }
      head.revision = e.revision;
      head.hash = e.hash;
      heads.set(e.stream, head);

      if (e.position <= checkpoint && !unprojectable.has(e.stream)) {
        const id = commitmentIdOf(e.stream);
        if (id !== null) {
          try {
            const next = evolve(scratch.get(id) ?? null, envelopeOf(e));
            if (next !== null) scratch.set(id, next);
          } catch (err) {
            unprojectable.add(e.stream);
            scratch.delete(id);
            mismatches.push({
              id,
              reason: `event at revision ${e.revision} cannot be projected: ${(err as Error).message}`,
            });
          }
        }
      }
    }
  }

  // 2. The embedded store also records each stream's head: it must match the end of the chain.
  if (store.local) {
    for (const r of store.local.streamHeads()) {
      if (!r.stream.startsWith(COMMITMENT_STREAM_PREFIX)) continue;
      const h = heads.get(r.stream);
      if (h === undefined || h.revision !== r.revision || (!h.broken && h.hash !== r.hash)) {
        breakChain({
          stream: r.stream,
          revision: r.revision,
          reason: `the store records revision ${r.revision} as the stream's head, the log ends at ${h?.revision ?? 0}`,
        });
      }
    }
  }

  // 3. Compare the scratch projections with the live read model (synchronously: a consistent read).
  if (readModelPresent) compareReadModel(db, checkpoint, scratch, unprojectable, mismatches);

  const chainOk = brokenAt === undefined;
  const rmOk = mismatches.length === 0;
  return {
    ok: chainOk && rmOk,
    events,
    chain: chainOk ? { ok: true } : { ok: false, brokenAt },
    readModel: { ok: rmOk, mismatches },
  };
}

function compareReadModel(
  db: Database,
  checkpoint: number,
  scratch: Map<string, CommitmentState>,
  unprojectable: Set<string>,
  mismatches: Array<{ id: string; reason: string }>,
): void {
  const read = db.transaction(() => {
    const rows = db
      .prepare(
        'SELECT id, status, kind, due_latest, next_follow_up, revision, position, state_json FROM rm_commitments ORDER BY id',
      )
      .all() as RmRow[];
    const partiesOf = db.prepare('SELECT party FROM rm_parties WHERE commitment_id = ?').pluck();
    const tagsOf = db.prepare('SELECT tag FROM rm_tags WHERE commitment_id = ?').pluck();
    const agendaOf = db.prepare('SELECT item, date FROM rm_agenda WHERE commitment_id = ?');
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      if (unprojectable.has(commitmentStream(row.id))) continue;
      // Changed after the checkpoint was read (a concurrent append): not comparable.
      if (row.position > checkpoint) continue;
      const expected = scratch.get(row.id);
      if (expected === undefined) {
        mismatches.push({ id: row.id, reason: 'in the read model but not in the log' });
        continue;
      }
      let actual: CommitmentState;
      try {
        actual = JSON.parse(row.state_json) as CommitmentState;
      } catch {
        mismatches.push({ id: row.id, reason: 'state_json is not valid JSON' });
        continue;
      }
      if (canonicalJson(actual) !== canonicalJson(expected)) {
        mismatches.push({ id: row.id, reason: 'state differs from the replayed log' });
        continue;
      }
      const cols =
        row.status === expected.status &&
        row.kind === expected.kind &&
        row.due_latest === (expected.due?.latest ?? null) &&
        row.next_follow_up === expected.nextFollowUp &&
        row.revision === expected.revision;
      if (!cols) {
        mismatches.push({ id: row.id, reason: 'indexed columns differ from the state' });
        continue;
      }
      if (!sortedEq(partiesOf.all(row.id) as string[], expected.parties)) {
        mismatches.push({ id: row.id, reason: 'party rows differ from the state' });
        continue;
      }
      if (!sortedEq(tagsOf.all(row.id) as string[], expected.tags)) {
        mismatches.push({ id: row.id, reason: 'tag rows differ from the state' });
        continue;
      }
      const agenda = (agendaOf.all(row.id) as Array<{ item: string; date: string }>).map(
        (a) => `${a.item}@${a.date}`,
      );
      const want = agendaItems({ ...expected, id: row.id }).map((a) => `${a.item}@${a.date}`);
      if (!sortedEq(agenda, want)) {
        mismatches.push({ id: row.id, reason: 'agenda rows differ from the state' });
      }
    }
    for (const id of [...scratch.keys()].sort()) {
      if (!seen.has(id)) mismatches.push({ id, reason: 'missing from the read model' });
    }
    const orphans = db
      .prepare(
        `SELECT commitment_id FROM rm_parties WHERE commitment_id NOT IN (SELECT id FROM rm_commitments)
         UNION SELECT commitment_id FROM rm_tags WHERE commitment_id NOT IN (SELECT id FROM rm_commitments)
         UNION SELECT commitment_id FROM rm_agenda WHERE commitment_id NOT IN (SELECT id FROM rm_commitments)`,
      )
      .pluck()
      .all() as string[];
    for (const id of orphans) {
      mismatches.push({ id, reason: 'party, tag or agenda rows without a commitment row' });
    }
  });
  // A deferred transaction: one consistent snapshot for all the reads.
  read.deferred();
}

/** The readable events between `after` and `bad` (exclusive), one by one. */
async function readAllSkipping(
  store: EventStore,
  after: number,
  bad: number,
): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let cursor = after;
  for (;;) {
    let one: StoredEvent[];
    try {
      one = await store.readAll({
        after: cursor,
        limit: 1,
        streamPrefix: COMMITMENT_STREAM_PREFIX,
      });
    } catch {
      break; // reached the unreadable event
    }
    const e = one[0];
    if (e === undefined || e.position >= bad) break;
    out.push(e);
    cursor = e.position;
  }
  return out;
}
