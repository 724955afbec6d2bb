/**
 * Writing the SQLite read model: stored events folded into `rm_*` rows (tables in schema.ts).
 * Invariants:
 * - Rows and the checkpoint are written in one transaction; events at or below the checkpoint
 *   are skipped, so an event is never applied twice and a crash never skips one.
 * - Inline (embedded store), a gap between the checkpoint and the appended events is filled from
 *   the store first, so the read model is always exactly a prefix of the log.
 * - The commitment id comes from the stream name (`commitment-<id>`); other streams only move
 *   the checkpoint. A corrupt event (unknown type, data not an object, an older version that
 *   fails its schema) makes `evolveStored` throw, and the checkpoint does not pass it.
 * Rebuilds are in rebuild.ts.
 */
import type { Database, Statement } from 'better-sqlite3';

import { agendaItems, envelopeOf, evolveStored } from '../../projections/index.js';
import type { AgendaItem, CommitmentState } from '../../projections/types.js';
import { commitmentIdOf } from '../store/port.js';
import type { StoredEvent } from '../store/port.js';
import { CHECKPOINT_NAME, withIndexesAfterLoad } from './schema.js';

export { ensureReadModelSchema, READ_MODEL_SCHEMA_VERSION } from './schema.js';
export {
  applyLog,
  rebuild,
  sameFileStore,
  type RebuildOptions,
  type RebuildResult,
} from './rebuild.js';

export interface Statements {
  db: Database;
  checkpoint: Statement<[string], { position: number }>;
  setCheckpoint: Statement<[string, number]>;
  state: Statement<[string], { state_json: string }>;
  upsert: Statement<
    [
      string,
      string,
      string,
      string,
      string,
      string | null,
      string | null,
      number,
      number,
      string,
      string,
      string,
      string,
      string,
    ]
  >;
  deleteParties: Statement<[string]>;
  insertParty: Statement<[string, string]>;
  deleteTags: Statement<[string]>;
  insertTag: Statement<[string, string]>;
  /**
   * The columns an event other than a correction can change (the row exists), by which of the
   * three indexed ones changed (bit 1 status, 2 due_latest, 4 next_follow_up): see `updateRow`.
   */
  updates: Map<number, Statement>;
  insertAgenda: Statement<[string, string, string, string, string]>;
  deleteAgendaParty: Statement<[string]>;
  insertAgendaParty: Statement<[string, string, string, string]>;
  /** Deletes a commitment's agenda rows, returning each (date, item) for `rm_agenda_days`. */
  deleteAgendaReturning: Statement<[string]>;
  addAgendaDay: Statement<[string, string, number]>;
  dropEmptyAgendaDay: Statement<[string, string]>;
}

const cache = new WeakMap<Database, Statements>();

export function statements(db: Database): Statements {
  let s = cache.get(db);
  if (s) return s;
  s = {
    db,
    checkpoint: db.prepare('SELECT position FROM rm_checkpoint WHERE name = ?'),
    setCheckpoint: db.prepare(
      'INSERT INTO rm_checkpoint (name, position) VALUES (?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    ),
    state: db.prepare('SELECT state_json FROM rm_commitments WHERE id = ?'),
    upsert: db.prepare(
      `INSERT INTO rm_commitments (id, status, kind, title, quote, due_latest, next_follow_up,
         revision, position, recorded_at, updated_at, parties_json, search, state_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, kind = excluded.kind,
         title = excluded.title, quote = excluded.quote, due_latest = excluded.due_latest,
         next_follow_up = excluded.next_follow_up, revision = excluded.revision,
         position = excluded.position, recorded_at = excluded.recorded_at,
         updated_at = excluded.updated_at, parties_json = excluded.parties_json,
         search = excluded.search, state_json = excluded.state_json`,
    ),
    updates: new Map(),
    deleteParties: db.prepare('DELETE FROM rm_parties WHERE commitment_id = ?'),
    insertParty: db.prepare(
      'INSERT OR IGNORE INTO rm_parties (commitment_id, party) VALUES (?, ?)',
    ),
    deleteTags: db.prepare('DELETE FROM rm_tags WHERE commitment_id = ?'),
    insertTag: db.prepare('INSERT OR IGNORE INTO rm_tags (commitment_id, tag) VALUES (?, ?)'),
    insertAgenda: db.prepare(
      'INSERT OR REPLACE INTO rm_agenda (commitment_id, item, date, title, parties_json) ' +
        'VALUES (?, ?, ?, ?, ?)',
    ),
    deleteAgendaParty: db.prepare('DELETE FROM rm_agenda_party WHERE commitment_id = ?'),
    deleteAgendaReturning: db.prepare(
      'DELETE FROM rm_agenda WHERE commitment_id = ? RETURNING date, item',
    ),
    addAgendaDay: db.prepare(
      'INSERT INTO rm_agenda_days (date, item, n) VALUES (?, ?, ?) ' +
        'ON CONFLICT (date, item) DO UPDATE SET n = n + excluded.n',
    ),
    dropEmptyAgendaDay: db.prepare(
      'DELETE FROM rm_agenda_days WHERE date = ? AND item = ? AND n = 0',
    ),
    insertAgendaParty: db.prepare(
      'INSERT OR IGNORE INTO rm_agenda_party (party, date, commitment_id, item) VALUES (?, ?, ?, ?)',
    ),
  };
  cache.set(db, s);
  return s;
}

/** Position of the last event applied to the read model; 0 when none. */
export function readCheckpoint(db: Database): number {
  return statements(db).checkpoint.get(CHECKPOINT_NAME)?.position ?? 0;
}

/** The envelope the folds need, from a stored event: defined once, in projections/memory-model.ts. */
export { envelopeOf };

/** Lower-cased title and quote: what `q` searches. */
export function searchText(state: CommitmentState): string {
  return `${state.title}\n${state.statement.quote}`.toLowerCase();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function sameAgenda(a: AgendaItem[], b: AgendaItem[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as AgendaItem;
    const y = b[i] as AgendaItem;
    if (x.item !== y.item || x.date !== y.date) return false;
  }
  return true;
}

interface Touched {
  /** State as stored before this call (null: no row). */
  before: CommitmentState | null;
  state: CommitmentState | null;
  position: number;
}

function loadState(st: Statements, id: string): CommitmentState | null {
  const row = st.state.get(id);
  return row ? (JSON.parse(row.state_json) as CommitmentState) : null;
}

/** Same record columns (title, kind, quote, parties, recordedAt): the narrow UPDATE will do. */
function sameRecord(a: CommitmentState, b: CommitmentState): boolean {
  return (
    a.title === b.title &&
    a.kind === b.kind &&
    a.statement.quote === b.statement.quote &&
    a.recordedAt === b.recordedAt &&
    sameList(a.parties, b.parties)
  );
}

const INDEXED_COLUMNS = ['status', 'due_latest', 'next_follow_up'] as const;

/**
 * The narrow UPDATE of an existing row: the always-changing columns, plus those of the indexed
 * columns (status, due_latest, next_follow_up) whose value changed. SQLite rewrites the index entry
 * of every indexed column named in SET, even when its value stays the same: naming only the
 * changed ones saves up to three index pages per append (most progress reports change none or one).
 */
function updateRow(
  st: Statements,
  id: string,
  before: CommitmentState,
  state: CommitmentState,
  position: number,
  stateJson: string,
): void {
  const values = [state.status, state.due?.latest ?? null, state.nextFollowUp] as const;
  const old = [before.status, before.due?.latest ?? null, before.nextFollowUp] as const;
  let mask = 0;
  const params: Array<string | number | null> = [];
  for (let i = 0; i < values.length; i += 1) {
    if (values[i] !== old[i]) {
      mask |= 1 << i;
      params.push(values[i] as string | null);
    }
  }
  let stmt = st.updates.get(mask);
  if (stmt === undefined) {
    const set = INDEXED_COLUMNS.filter((_, i) => (mask & (1 << i)) !== 0).map((c) => `${c} = ?, `);
    stmt = st.db.prepare(
      `UPDATE rm_commitments SET ${set.join('')}revision = ?, position = ?, updated_at = ?, ` +
        'state_json = ? WHERE id = ?',
    );
    st.updates.set(mask, stmt);
  }
  stmt.run(...params, state.revision, position, state.updatedAt, stateJson, id);
}

export function writeRow(
  st: Statements,
  id: string,
  before: CommitmentState | null,
  state: CommitmentState,
  position: number,
): void {
  const partiesJson = JSON.stringify(state.parties);
  const stateJson = JSON.stringify(state);
  const record = before !== null && sameRecord(before, state);
  if (record) {
    updateRow(st, id, before, state, position, stateJson);
  } else {
    st.upsert.run(
      id,
      state.status,
      state.kind,
      state.title,
      state.statement.quote,
      state.due?.latest ?? null,
      state.nextFollowUp,
      state.revision,
      position,
      state.recordedAt,
      state.updatedAt,
      partiesJson,
      searchText(state),
      stateJson,
    );
  }
  if (before === null || !sameList(before.parties, state.parties)) {
    if (before !== null) st.deleteParties.run(id);
    for (const p of state.parties) st.insertParty.run(id, p);
  }
  if (before === null || !sameList(before.tags, state.tags)) {
    if (before !== null) st.deleteTags.run(id);
    for (const t2 of state.tags) st.insertTag.run(id, t2);
  }
  const items = agendaItems({ ...state, id });
  // Agenda rows carry the title and parties too: rewrite them when either changed.
  if (before === null || !record || !sameAgenda(agendaItems({ ...before, id }), items)) {
    // Delete whatever rows the commitment has (none for a new one: one index probe), so the
    // per-date counts move by exactly the rows that went and came.
    const gone = st.deleteAgendaReturning.all(id) as Array<{ date: string; item: string }>;
    for (const g of gone) {
      st.addAgendaDay.run(g.date, g.item, -1);
      st.dropEmptyAgendaDay.run(g.date, g.item);
    }
    st.deleteAgendaParty.run(id);
    for (const it of items) {
      st.insertAgenda.run(id, it.item, it.date, state.title, partiesJson);
      st.addAgendaDay.run(it.date, it.item, 1);
      for (const p of state.parties) st.insertAgendaParty.run(p, it.date, id, it.item);
    }
  }
}

/**
 * Apply events (in position order) to the read model, inside the caller's transaction.
 * Each touched commitment is written once, at the end. Returns the number of events applied.
 */
export function applyEvents(db: Database, events: readonly StoredEvent[]): number {
  if (events.length === 0) return 0;
  const st = statements(db);
  const checkpoint = st.checkpoint.get(CHECKPOINT_NAME)?.position ?? 0;
  let last = checkpoint;
  let applied = 0;
  const touched = new Map<string, Touched>();
  for (const e of events) {
    if (e.position <= last) continue;
    last = e.position;
    applied += 1;
    const id = commitmentIdOf(e.stream);
    if (id === null) continue;
    let t = touched.get(id);
    if (t === undefined) {
      const before = loadState(st, id);
      t = { before, state: before, position: 0 };
      touched.set(id, t);
    }
    const next = evolveStored(t.state, envelopeOf(e));
    if (next === null) continue;
    t.state = next;
    t.position = e.position;
  }
  // Into an empty read model (a bulk import into an empty store) the secondary indexes are built
  // after the rows.
  withIndexesAfterLoad(db, touched.size, () => {
    for (const [id, t] of touched) {
      if (t.state !== null && t.state !== t.before) writeRow(st, id, t.before, t.state, t.position);
    }
  });
  if (last > checkpoint) st.setCheckpoint.run(CHECKPOINT_NAME, last);
  return applied;
}

/** `applyEvents` in its own transaction (or a savepoint when one is already open). */
export function projectBatch(db: Database, events: readonly StoredEvent[]): number {
  if (events.length === 0) return 0;
  const tx = db.transaction((evs: readonly StoredEvent[]) => applyEvents(db, evs));
  return db.inTransaction ? tx(events) : tx.immediate(events);
}

/** What `inlineProjection` needs of the embedded store. */
export interface SyncLogReader {
  readAllSync(options: { after: number; limit: number; streamPrefix?: string }): StoredEvent[];
}

/**
 * The inline projection for the embedded store (register it with `registerInlineProjection`).
 * When the checkpoint is behind the events being appended, the missing events are read from the
 * store and applied first, in the same transaction.
 */
export function inlineProjection(
  store: SyncLogReader,
  page = 10_000,
): (db: Database, events: StoredEvent[]) => void {
  return (db, events) => {
    const first = events[0];
    if (first === undefined) return;
    for (;;) {
      const cp = readCheckpoint(db);
      if (cp >= first.position - 1) break;
      const gap = store
        .readAllSync({ after: cp, limit: page })
        .filter((e) => e.position < first.position);
      if (gap.length === 0) break;
      applyEvents(db, gap);
      if (gap.length < page) break;
    }
    applyEvents(db, events);
  };
}
