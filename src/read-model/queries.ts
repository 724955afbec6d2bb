/**
 * Queries on the SQLite read model (see schema.ts); the result types are in types.ts.
 * - `getState(db, id)`: the folded CommitmentState, or null (the caller makes the view).
 * - `list(db, filter)`: `{items, nextCursor}`; filters status, kind, party, tag, timing (at
 *   filter.asOf, translated into SQL on status and due_latest) and q (case-insensitive substring
 *   of the title or the quote); ordered by id; `cursor` is opaque (base64url of the last id of the
 *   previous page); `nextCursor` is null on the last page. An undecodable cursor throws
 *   InvalidInputError('cursor').
 * - `overdue(db, {asOf, party?})`: agenda items dated before asOf.
 * - `upcoming(db, {asOf, until, party?})`: agenda items with asOf ≤ date ≤ until.
 *   Both are range scans of rm_agenda's primary key (date, commitment id, item), in that order.
 * Party filters accept a two-letter code in any case (stored upper-cased, as the Party schema does).
 */
import type { Database, Statement } from 'better-sqlite3';

import { toView } from '../../projections/index.js';
import { normaliseParty } from '../domain/parties.js';
import { expertListWhere } from './expert-filters.js';
import { addIsoDurationClamped, dayNumber } from '../domain/duration.js';
import { CLOSED_STATUSES, DUE_SOON_DAYS } from '../../projections/index.js';
import type { AgendaItemKind, CommitmentState, Timing } from '../../projections/types.js';
import { InvalidInputError } from '../domain/errors.js';
import type { ListFilter, ListPage, OverdueItem, UpcomingItem } from './types.js';

const stmtCache = new WeakMap<Database, Map<string, Statement>>();

function prepared(db: Database, sql: string): Statement {
  let m = stmtCache.get(db);
  if (!m) {
    m = new Map();
    stmtCache.set(db, m);
  }
  let s = m.get(sql);
  if (!s) {
    s = db.prepare(sql);
    m.set(sql, s);
  }
  return s;
}

/** A party as stored: country names and codes resolve to the ISO alpha-2 code (domain/parties.ts). */
export { normaliseParty };

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidInputError('cursor', 'invalid cursor');
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  // eslint-disable-next-line no-control-regex -- a cursor names an id: no control characters
  if (!/^[^\u0000-\u001f\u007f]+$/.test(id) || encodeCursor(id) !== cursor) {
    throw new InvalidInputError('cursor', 'invalid cursor');
  }
  return id;
}

/** The last day that counts as due soon at `asOf` (the domain's integer date arithmetic). */
function dueSoonUntil(asOf: string): string {
  try {
    return addIsoDurationClamped(asOf, `P${DUE_SOON_DAYS}D`);
  } catch {
    throw new InvalidInputError('asOf', `not a date: ${asOf}`);
  }
}

const CLOSED_SQL = CLOSED_STATUSES.map((s) => `'${s}'`).join(', ');

export function getState(db: Database, id: string): CommitmentState | null {
  const row = prepared(db, 'SELECT state_json FROM rm_commitments WHERE id = ?').get(id) as
    { state_json: string } | undefined;
  return row ? (JSON.parse(row.state_json) as CommitmentState) : null;
}

/**
 * The SQL of a timing filter, on the indexed status and due_latest columns. It must agree with
 * `timingOf` in projections/timing.ts for every state and date.
 */
function timingWhere(timing: Timing, asOf: string): { sql: string; params: string[] } {
  const open = `c.status NOT IN (${CLOSED_SQL})`;
  switch (timing) {
    case 'closed':
      return { sql: `c.status IN (${CLOSED_SQL})`, params: [] };
    case 'no_deadline':
      return { sql: `${open} AND c.due_latest IS NULL`, params: [] };
    case 'overdue':
      return { sql: `${open} AND c.due_latest < ?`, params: [asOf] };
    case 'due_soon':
      return {
        sql: `${open} AND c.due_latest >= ? AND c.due_latest <= ?`,
        params: [asOf, dueSoonUntil(asOf)],
      };
    case 'on_schedule':
      return { sql: `${open} AND c.due_latest > ?`, params: [dueSoonUntil(asOf)] };
  }
}

export function list(db: Database, filter: ListFilter): ListPage {
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (filter.status !== undefined) {
    where.push('c.status = ?');
    params.push(filter.status);
  }
  if (filter.kind !== undefined) {
    where.push('c.kind = ?');
    params.push(filter.kind);
  }
  if (filter.party !== undefined) {
    where.push('c.id IN (SELECT commitment_id FROM rm_parties WHERE party = ?)');
    params.push(normaliseParty(filter.party));
  }
  if (filter.tag !== undefined) {
    where.push('c.id IN (SELECT commitment_id FROM rm_tags WHERE tag = ?)');
    params.push(filter.tag);
  }
  if (filter.timing !== undefined) {
    const t = timingWhere(filter.timing, filter.asOf);
    where.push(t.sql);
    params.push(...t.params);
  }
  const expert = expertListWhere(filter);
  where.push(...expert.where);
  params.push(...expert.params);
  if (filter.q !== undefined && filter.q !== '') {
    where.push('instr(c.search, ?) > 0');
    params.push(filter.q.toLowerCase());
  }
  if (filter.cursor !== undefined && filter.cursor !== '') {
    where.push('c.id > ?');
    params.push(decodeCursor(filter.cursor));
  }
  const limit = Math.max(1, Math.floor(filter.limit));
  const sql =
    'SELECT c.id, c.state_json FROM rm_commitments c' +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY c.id LIMIT ?';
  const rows = prepared(db, sql).all(...params, limit + 1) as Array<{
    id: string;
    state_json: string;
  }>;
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toView(JSON.parse(r.state_json) as CommitmentState, filter.asOf)),
    nextCursor: more && last ? encodeCursor(last.id) : null,
  };
}

/** One agenda row as the query returns it (raw: an array, not an object per row). */
type AgendaRow = [
  commitmentId: string,
  item: AgendaItemKind,
  date: string,
  title: string,
  partiesJson: string,
];

/**
 * The agenda rows in a date range, mapped by `toItem`. Answers run to tens of thousands of rows
 * (a late `asOf` lists every stale commitment), so the per-row work is kept small: raw rows, and
 * each distinct parties JSON parsed once per query (every item still gets its own array).
 */
function agendaQuery<T>(
  db: Database,
  range: string,
  rangeParams: string[],
  party: string | undefined,
  toItem: (row: AgendaRow, parties: string[]) => T,
): T[] {
  // EXISTS (not `IN (SELECT … WHERE party = ?)`): the plan then stays a range scan on
  // rm_agenda's primary key (date, …) with a primary-key probe into rm_parties, instead of driving from every
  // commitment of the party. Title and parties are stored on the agenda row: no join.
  const partySql =
    party === undefined
      ? ''
      : ' AND EXISTS (SELECT 1 FROM rm_parties p WHERE p.commitment_id = a.commitment_id AND p.party = ?)';
  const sql =
    'SELECT a.commitment_id, a.item, a.date, a.title, a.parties_json FROM rm_agenda a ' +
    `WHERE ${range}${partySql} ORDER BY a.date, a.commitment_id, a.item`;
  const params = party === undefined ? rangeParams : [...rangeParams, normaliseParty(party)];
  const rows = prepared(db, sql)
    .raw(true)
    .all(...params) as AgendaRow[];
  const parsed = new Map<string, string[]>();
  const out: T[] = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as AgendaRow;
    let parties = parsed.get(row[4]);
    if (parties === undefined) {
      parties = JSON.parse(row[4]) as string[];
      parsed.set(row[4], parties);
    }
    out[i] = toItem(row, parties.slice());
  }
  return out;
}

export function overdue(db: Database, opts: { asOf: string; party?: string }): OverdueItem[] {
  const asOfDay = dayNumber(opts.asOf);
  return agendaQuery(db, 'a.date < ?', [opts.asOf], opts.party, (r, parties) => ({
    commitmentId: r[0],
    title: r[3],
    parties,
    item: r[1],
    date: r[2],
    daysOverdue: asOfDay - dayNumber(r[2]),
  }));
}

export function upcoming(
  db: Database,
  opts: { asOf: string; until: string; party?: string },
): UpcomingItem[] {
  const asOfDay = dayNumber(opts.asOf);
  return agendaQuery(
    db,
    'a.date >= ? AND a.date <= ?',
    [opts.asOf, opts.until],
    opts.party,
    (r, parties) => ({
      commitmentId: r[0],
      title: r[3],
      parties,
      item: r[1],
      date: r[2],
      daysUntil: dayNumber(r[2]) - asOfDay,
    }),
  );
}
