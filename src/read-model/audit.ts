/**
 * Verification of the log and the read model: walk every commitment stream's hash chain over
 * the global log, project it into a scratch model up to the read model's checkpoint, and compare
 * that with the live read model (state, indexed columns, party/tag/agenda rows, missing and
 * extra rows). When the store offers a `LocalLog`, the stream heads it records are checked too,
 * so deleting the last event of a stream is caught.
 * Invariants: an unreachable store is reported as unavailable, never as tampering; the live read
 * model is read in one snapshot. Replays as known at an instant are in replay.ts.
 */
import { StoreUnavailableError } from '../store/errors.js';
import type { Database } from 'better-sqlite3';

import { agendaItems, evolveStored } from '../../projections/index.js';
import type { CommitmentState } from '../../projections/types.js';
import type { VerifyReport } from './types.js';
import { canonicalJson, chainBreak, GENESIS_HASH, type ChainBreak } from '../store/hash-chain.js';
import { COMMITMENT_STREAM_PREFIX, commitmentIdOf, commitmentStream } from '../store/port.js';
import type { EventStore, StoredEvent } from '../store/port.js';
import { envelopeOf, readCheckpoint } from './sqlite-read-model.js';

const PAGE = 5_000;

export { replayKnownAt, stateKnownAt } from './replay.js';

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

/** One walk over the log: each stream's hash chain, and the scratch projections up to `checkpoint`. */
class LogWalk {
  readonly heads = new Map<string, ChainHead>();
  readonly scratch = new Map<string, CommitmentState>();
  readonly unprojectable = new Set<string>();
  readonly mismatches: Array<{ id: string; reason: string }> = [];
  events = 0;
  brokenAt: ChainBreak | undefined;

  constructor(private readonly checkpoint: number) {}

  /** The first break found is the one reported. */
  breakChain(b: ChainBreak): void {
    if (this.brokenAt === undefined) this.brokenAt = b;
  }

  walk(page: readonly StoredEvent[]): void {
    for (const e of page) {
      this.events += 1;
      this.checkChain(e);
      if (e.position <= this.checkpoint && !this.unprojectable.has(e.stream)) this.project(e);
    }
  }

  private checkChain(e: StoredEvent): void {
    const head = this.heads.get(e.stream) ?? { revision: 0, hash: GENESIS_HASH, broken: false };
    if (!head.broken) {
      const broken = chainBreak(head, e);
      if (broken !== null) {
        this.breakChain(broken);
        head.broken = true;
      }
    }
    head.revision = e.revision;
    head.hash = e.hash;
    this.heads.set(e.stream, head);
  }

  private project(e: StoredEvent): void {
    const id = commitmentIdOf(e.stream);
    if (id === null) return;
    try {
      const next = evolveStored(this.scratch.get(id) ?? null, envelopeOf(e));
      if (next !== null) this.scratch.set(id, next);
    } catch (err) {
      this.unprojectable.add(e.stream);
      this.scratch.delete(id);
      this.mismatches.push({
        id,
        reason: `event at revision ${e.revision} cannot be projected: ${(err as Error).message}`,
      });
    }
  }

  /** A stored event that no longer parses: it breaks its stream, which is not projected. */
  unreadable(bad: { position: number; stream: string; revision: number }, reason: string): void {
    this.events += 1;
    this.breakChain({ stream: bad.stream, revision: bad.revision, reason });
    this.heads.set(bad.stream, { revision: bad.revision, hash: '', broken: true });
    this.unprojectable.add(bad.stream);
    const id = commitmentIdOf(bad.stream);
    if (id !== null) this.scratch.delete(id);
  }

  /** The heads a store records for its streams must match the end of each chain. */
  checkStoreHeads(recorded: Array<{ stream: string; revision: number; hash: string }>): void {
    for (const r of recorded) {
      if (!r.stream.startsWith(COMMITMENT_STREAM_PREFIX)) continue;
      const h = this.heads.get(r.stream);
      if (h === undefined || h.revision !== r.revision || (!h.broken && h.hash !== r.hash)) {
        this.breakChain({
          stream: r.stream,
          revision: r.revision,
          reason: `the store records revision ${r.revision} as the stream's head, the log ends at ${h?.revision ?? 0}`,
        });
      }
    }
  }
}

/** Walk the whole log in pages; an unreadable event is named (when the store can) and skipped. */
async function walkLog(store: EventStore, w: LogWalk): Promise<void> {
  let after = 0;
  for (;;) {
    let page: StoredEvent[];
    try {
      page = await store.readAll({ after, limit: PAGE, streamPrefix: COMMITMENT_STREAM_PREFIX });
    } catch (err) {
      // An unreachable store says nothing about the log: answer "unavailable", not "tampered".
      if (err instanceof StoreUnavailableError) throw err;
      const bad = store.local?.firstUnreadableAfter(after) ?? null;
      const reason = `stored event cannot be read: ${(err as Error).message}`;
      if (bad === null) {
        w.breakChain({ stream: '?', revision: 0, reason: `${reason} (after position ${after})` });
        return;
      }
      // The readable events before it are walked first; then the bad one breaks its stream.
      w.walk(await readAllSkipping(store, after, bad.position));
      w.unreadable(bad, reason);
      after = bad.position;
      continue;
    }
    w.walk(page);
    if (page.length < PAGE) return;
    after = Math.max(after, (page[page.length - 1] as StoredEvent).position);
  }
}

export async function verify(store: EventStore, db: Database): Promise<VerifyReport> {
  let checkpoint = 0;
  let readModelPresent = true;
  const missing: Array<{ id: string; reason: string }> = [];
  try {
    checkpoint = readCheckpoint(db);
  } catch {
    readModelPresent = false;
    missing.push({ id: '*', reason: 'the read model tables are missing' });
  }
  const w = new LogWalk(checkpoint);
  w.mismatches.push(...missing);
  await walkLog(store, w);
  if (store.local) w.checkStoreHeads(store.local.streamHeads());
  // Compare the scratch projections with the live read model (synchronously: a consistent read).
  if (readModelPresent) {
    compareReadModel(db, checkpoint, w.scratch, w.unprojectable, w.mismatches);
  }
  const chainOk = w.brokenAt === undefined;
  const rmOk = w.mismatches.length === 0;
  return {
    ok: chainOk && rmOk,
    events: w.events,
    chain: chainOk ? { ok: true } : { ok: false, brokenAt: w.brokenAt },
    readModel: { ok: rmOk, mismatches: w.mismatches },
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
    const agendaByPartyOf = db.prepare(
      'SELECT party, item, date FROM rm_agenda_party WHERE commitment_id = ?',
    );
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
      const items = agendaItems({ ...expected, id: row.id });
      const want = items.map((a) => `${a.item}@${a.date}`);
      if (!sortedEq(agenda, want)) {
        mismatches.push({ id: row.id, reason: 'agenda rows differ from the state' });
        continue;
      }
      const byParty = (
        agendaByPartyOf.all(row.id) as Array<{ party: string; item: string; date: string }>
      ).map((a) => `${a.party}:${a.item}@${a.date}`);
      const wantByParty = expected.parties.flatMap((p) =>
        items.map((a) => `${p}:${a.item}@${a.date}`),
      );
      if (!sortedEq(byParty, wantByParty)) {
        mismatches.push({ id: row.id, reason: 'agenda-by-party rows differ from the state' });
      }
    }
    for (const id of [...scratch.keys()].sort()) {
      if (!seen.has(id)) mismatches.push({ id, reason: 'missing from the read model' });
    }
    const orphans = db
      .prepare(
        `SELECT commitment_id FROM rm_parties WHERE commitment_id NOT IN (SELECT id FROM rm_commitments)
         UNION SELECT commitment_id FROM rm_tags WHERE commitment_id NOT IN (SELECT id FROM rm_commitments)
         UNION SELECT commitment_id FROM rm_agenda WHERE commitment_id NOT IN (SELECT id FROM rm_commitments)
         UNION SELECT commitment_id FROM rm_agenda_party WHERE commitment_id NOT IN (SELECT id FROM rm_commitments)`,
      )
      .pluck()
      .all() as string[];
    for (const id of orphans) {
      mismatches.push({ id, reason: 'party, tag or agenda rows without a commitment row' });
    }
    // The per-date counts behind an unfiltered agenda total, against the rows they count.
    const badDays = db
      .prepare(
        `SELECT date, item FROM (SELECT date, item, count(*) AS n FROM rm_agenda GROUP BY date, item) r
         FULL OUTER JOIN rm_agenda_days d USING (date, item) WHERE r.n IS NOT d.n ORDER BY date, item`,
      )
      .all() as Array<{ date: string; item: string }>;
    for (const d of badDays) {
      mismatches.push({
        id: `rm_agenda_days ${d.date} ${d.item}`,
        reason: 'the count of agenda rows on that date differs from the rows',
      });
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
