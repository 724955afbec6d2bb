/**
 * Queries on the SQLite read model (see schema.ts); the result types are in types.ts.
 * - `getState(db, id)`: the folded CommitmentState, or null (the caller makes the view).
 * - `list(db, filter)`: `{items, nextCursor, total}`; filters status, kind, party, tag, timing (at
 *   filter.asOf, translated into SQL on status and due_latest), overdue (has an agenda item dated
 *   before asOf: the one meaning of overdue) and q (case-insensitive substring of the title or the
 *   quote); ordered by id; `cursor` is opaque (base64url of the last id of the previous page);
 *   `nextCursor` is null on the last page; `total` counts every match. An undecodable cursor
 *   throws InvalidInputError('cursor').
 * - `overduePage(db, filter)`: agenda items dated before asOf, a page at a time.
 * - `upcomingPage(db, filter)`: agenda items with asOf ≤ date ≤ until, a page at a time.
 *   Both are range scans of rm_agenda's primary key (date, commitment id, item), in that order,
 *   filtered by party, tag, kind and item; the cursor is a keyset position in that order, so
 *   paging is stable under concurrent writes. `overdue` / `upcoming` return every match.
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
import type {
  AgendaFilter,
  ListFilter,
  ListPage,
  OverdueItem,
  OverduePage,
  UpcomingItem,
  UpcomingPage,
} from './types.js';

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
  if (filter.overdue !== undefined) {
    // The one meaning of overdue (isOverdue): an agenda item dated before asOf. rm_agenda holds
    // the items of open commitments only, so this is exactly the commitments /overdue lists.
    where.push(
      `${filter.overdue ? '' : 'NOT '}EXISTS (SELECT 1 FROM rm_agenda a WHERE a.commitment_id = c.id AND a.date < ?)`,
    );
    params.push(filter.asOf);
  }
  const matchSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const matchParams = [...params];
  if (filter.cursor !== undefined && filter.cursor !== '') {
    where.push('c.id > ?');
    params.push(decodeCursor(filter.cursor));
  }
  const limit = Math.max(1, Math.floor(filter.limit));
  const sql =
    'SELECT c.id, c.state_json FROM rm_commitments c' +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY c.id LIMIT ?';
  const { rows, total } = db.transaction(() => ({
    rows: prepared(db, sql).all(...params, limit + 1) as Array<{ id: string; state_json: string }>,
    total: prepared(db, `SELECT count(*) FROM rm_commitments c${matchSql}`)
      .pluck(true)
      .get(...matchParams) as number,
  }))();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toView(JSON.parse(r.state_json) as CommitmentState, filter.asOf)),
    nextCursor: more && last ? encodeCursor(last.id) : null,
    total,
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

type AgendaList = 'o' | 'u';

/**
 * The opaque cursor of an agenda page: base64url of `[list, date, commitment id, item]`, the
 * sort key of the last item returned. The next page starts strictly after that key, so items
 * written or removed meanwhile never shift the rest (a keyset, not an offset).
 */
export function encodeAgendaCursor(list: AgendaList, key: AgendaRow | readonly string[]): string {
  return Buffer.from(JSON.stringify([list, key[2], key[0], key[1]]), 'utf8').toString('base64url');
}

export function decodeAgendaCursor(list: AgendaList, cursor: string): [string, string, string] {
  const bad = (): never => {
    throw new InvalidInputError('cursor', 'invalid cursor');
  };
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return bad();
  }
  if (
    !Array.isArray(v) ||
    v.length !== 4 ||
    v[0] !== list ||
    typeof v[1] !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(v[1]) ||
    typeof v[2] !== 'string' ||
    v[2] === '' ||
    (v[3] !== 'deadline' && v[3] !== 'follow_up')
  ) {
    return bad();
  }
  return [v[1] as string, v[2] as string, v[3] as string];
}

/** A date range on the agenda, written for a table alias: `a.date < ?`, `ap.date >= ? AND …`. */
type DateRange = (alias: string) => string;

/**
 * The agenda rows in a date range that match the filter, one page of them in (date, commitment
 * id, item) order, mapped by `toItem`, with the count of every match. Without `limit`, every
 * match (then `total` is the number of items). Answers run to tens of thousands of rows (a late
 * `asOf` lists every stale commitment), so the per-row work is kept small: raw rows, and each
 * distinct parties JSON parsed once per query (every item still gets its own array).
 *
 * Without a party the page reads a range of rm_agenda (keyed by date), and the total is a sum
 * over rm_agenda_days (a count per date and item) unless a tag or kind must be matched. With a
 * party both read a range of rm_agenda_party (keyed by party, then date): the count is then a
 * count of that party's range, not of every item in the dates with a probe per item, and the
 * page joins each of its rows to rm_agenda by primary key for the title and parties.
 */
function agendaQuery<T>(
  db: Database,
  list: AgendaList,
  range: DateRange,
  rangeParams: string[],
  filter: AgendaFilter,
  toItem: (row: AgendaRow, parties: string[]) => T,
): { items: T[]; nextCursor: string | null; total: number } {
  // Conditions other than the date and the party, on the alias `a` (rm_agenda in the page,
  // rm_agenda_party in the party's count: both have commitment_id and item).
  const others: string[] = [];
  const otherParams: Array<string | number> = [];
  if (filter.tag !== undefined) {
    others.push(
      'EXISTS (SELECT 1 FROM rm_tags t WHERE t.commitment_id = a.commitment_id AND t.tag = ?)',
    );
    otherParams.push(filter.tag);
  }
  if (filter.kind !== undefined) {
    others.push(
      'EXISTS (SELECT 1 FROM rm_commitments c WHERE c.id = a.commitment_id AND c.kind = ?)',
    );
    otherParams.push(filter.kind);
  }
  if (filter.item !== undefined) {
    others.push('a.item = ?');
    otherParams.push(filter.item);
  }
  const party = filter.party === undefined ? undefined : normaliseParty(filter.party);
  // The table whose (date, commitment_id, item) order the page follows, and its alias.
  const key = party === undefined ? 'a' : 'ap';
  const from =
    party === undefined
      ? 'rm_agenda a'
      : 'rm_agenda_party ap CROSS JOIN rm_agenda a ' +
        'ON a.date = ap.date AND a.commitment_id = ap.commitment_id AND a.item = ap.item';
  const where = [...(party === undefined ? [] : ['ap.party = ?']), range(key), ...others];
  const params: Array<string | number> = [
    ...(party === undefined ? [] : [party]),
    ...rangeParams,
    ...otherParams,
  ];
  const pageWhere = [...where];
  const pageParams = [...params];
  if (filter.cursor !== undefined && filter.cursor !== '') {
    pageWhere.push(`(${key}.date, ${key}.commitment_id, ${key}.item) > (?, ?, ?)`);
    pageParams.push(...decodeAgendaCursor(list, filter.cursor));
  }
  const limited = filter.limit !== undefined;
  const limit = limited ? Math.max(1, Math.floor(filter.limit as number)) : 0;
  const sql =
    `SELECT a.commitment_id, a.item, a.date, a.title, a.parties_json FROM ${from} ` +
    `WHERE ${pageWhere.join(' AND ')} ` +
    `ORDER BY ${key}.date, ${key}.commitment_id, ${key}.item` +
    (limited ? ' LIMIT ?' : '');
  // The total: with only dates (and the item) to match, a sum over rm_agenda_days' dates; with a
  // party, a count of its range of rm_agenda_party; otherwise a count of rm_agenda's range.
  const byDayOnly = party === undefined && filter.tag === undefined && filter.kind === undefined;
  const countSql = byDayOnly
    ? `SELECT coalesce(sum(a.n), 0) FROM rm_agenda_days a WHERE ${where.join(' AND ')}`
    : party === undefined
      ? `SELECT count(*) FROM rm_agenda a WHERE ${where.join(' AND ')}`
      : `SELECT count(*) FROM rm_agenda_party a WHERE ${['a.party = ?', range('a'), ...others].join(' AND ')}`;
  // One read transaction, so the page and its total see the same snapshot.
  const { rows, total } = db.transaction(() => {
    const rows = prepared(db, sql)
      .raw(true)
      .all(...pageParams, ...(limited ? [limit + 1] : [])) as AgendaRow[];
    const total = limited
      ? (prepared(db, countSql)
          .pluck(true)
          .get(...params) as number)
      : -1;
    return { rows, total };
  })();
  const more = limited && rows.length > limit;
  const n = more ? limit : rows.length;
  const parsed = new Map<string, string[]>();
  const out: T[] = new Array<T>(n);
  for (let i = 0; i < n; i += 1) {
    const row = rows[i] as AgendaRow;
    let parties = parsed.get(row[4]);
    if (parties === undefined) {
      parties = JSON.parse(row[4]) as string[];
      parsed.set(row[4], parties);
    }
    out[i] = toItem(row, parties.slice());
  }
  const last = rows[n - 1];
  return {
    items: out,
    nextCursor: more && last ? encodeAgendaCursor(list, last) : null,
    total: total < 0 ? n : total,
  };
}

/**
 * Agenda items overdue at `asOf`: dated before it. rm_agenda holds items of open commitments
 * only, so `a.date < asOf` is `isItemOverdue` (projections/agenda.ts). Most overdue first.
 */
export function overduePage(db: Database, filter: AgendaFilter): OverduePage {
  const asOfDay = dayNumber(filter.asOf);
  return agendaQuery(
    db,
    'o',
    (t) => `${t}.date < ?`,
    [filter.asOf],
    filter,
    (r, parties) => ({
      commitmentId: r[0],
      title: r[3],
      parties,
      item: r[1],
      date: r[2],
      daysOverdue: asOfDay - dayNumber(r[2]),
    }),
  );
}

/** Agenda items with asOf ≤ date ≤ until, soonest first. */
export function upcomingPage(db: Database, filter: AgendaFilter & { until: string }): UpcomingPage {
  const asOfDay = dayNumber(filter.asOf);
  return agendaQuery(
    db,
    'u',
    (t) => `${t}.date >= ? AND ${t}.date <= ?`,
    [filter.asOf, filter.until],
    filter,
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

/** Every overdue item at `asOf` (no paging; for in-process callers and tests). */
export function overdue(db: Database, opts: { asOf: string; party?: string }): OverdueItem[] {
  return overduePage(db, opts).items;
}

/** Every upcoming item from `asOf` to `until` (no paging; for in-process callers and tests). */
export function upcoming(
  db: Database,
  opts: { asOf: string; until: string; party?: string },
): UpcomingItem[] {
  return upcomingPage(db, opts).items;
}
