/**
 * `GET /summary` (issue 14): counts for a dashboard's first screen and a weekly e-mail, at
 * `asOf`, optionally for one party and/or one tag.
 * - `summary(db, opts)` answers from the SQLite read model with aggregate SQL (no state is parsed).
 * - `summaryOfStates(states, opts)` answers from folded states (a replay as known at `knownAt`),
 *   with the pure projection rules: `overdueItems` / `isOverdue` and `upcomingAt`. A test holds
 *   the two equal.
 * Counts: `total` and `byStatus`/`byKind`/`byAssessment` (the latest review's assessment, `none`
 * before any review) over the matching commitments; `overdue.items` the
 * overdue agenda items and `overdue.commitments` the commitments with one; `upcoming.items` the
 * agenda items with asOf ≤ date ≤ asOf + P30D (saturating at 9999-12-31); `byParty` per party of the matching commitments
 * (only the asked party when `party` is given), sorted by party, `overdue` counting commitments.
 */
import type { Database } from 'better-sqlite3';

import { agendaItems, isOverdue, overdueItems, upcomingAt } from '../../projections/index.js';
import { STATUSES } from '../../projections/types.js';
import type { CommitmentState, Status } from '../../projections/types.js';
import { addIsoDurationClamped } from '../domain/duration.js';
import { ASSESSMENTS, KINDS, type Assessment, type Kind } from '../domain/values.js';
import { normaliseParty } from './queries.js';
import type { Summary } from './types.js';

export const SUMMARY_WITHIN = 'P30D';

/** What the summary needs of a commitment: a state, or a view (a replay's answer). */
export type SummaryInput = Pick<
  CommitmentState,
  'id' | 'status' | 'kind' | 'parties' | 'tags' | 'due' | 'nextFollowUp' | 'assessment'
>;

type AssessmentKey = Assessment | 'none';

export interface SummaryOptions {
  asOf: string;
  /** Echoed in the answer; null when the answer is from the live read model. */
  knownAt?: string | null;
  party?: string;
  tag?: string;
}

function zeroStatuses(): Record<Status, number> {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
}

function zeroKinds(): Record<Kind, number> {
  return Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
}

function zeroAssessments(): Record<AssessmentKey, number> {
  return Object.fromEntries([...ASSESSMENTS, 'none'].map((a) => [a, 0])) as Record<
    AssessmentKey,
    number
  >;
}

function bump<K extends string>(counts: Record<K, number>, key: string): void {
  if (key in counts) counts[key as K] += 1;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The summary computed from folded states with the projection's own rules. */
export function summaryOfStates(states: Iterable<SummaryInput>, opts: SummaryOptions): Summary {
  const party = opts.party === undefined ? undefined : normaliseParty(opts.party);
  const until = addIsoDurationClamped(opts.asOf, SUMMARY_WITHIN);
  const byStatus = zeroStatuses();
  const byKind = zeroKinds();
  const byAssessment = zeroAssessments();
  const parties = new Map<
    string,
    { total: number; byStatus: Record<Status, number>; overdue: number }
  >();
  let total = 0;
  let overdueCommitments = 0;
  let overdueCount = 0;
  let upcomingCount = 0;
  for (const s of states) {
    if (party !== undefined && !s.parties.includes(party)) continue;
    if (opts.tag !== undefined && !s.tags.includes(opts.tag)) continue;
    total += 1;
    bump(byStatus, s.status);
    bump(byKind, s.kind);
    bump(byAssessment, s.assessment?.value ?? 'none');
    const late = isOverdue(s, opts.asOf);
    if (late) overdueCommitments += 1;
    overdueCount += overdueItems(s, opts.asOf).length;
    upcomingCount += upcomingAt(agendaItems(s), opts.asOf, until).length;
    for (const p of new Set(s.parties)) {
      if (party !== undefined && p !== party) continue;
      let row = parties.get(p);
      if (!row) {
        row = { total: 0, byStatus: zeroStatuses(), overdue: 0 };
        parties.set(p, row);
      }
      row.total += 1;
      bump(row.byStatus, s.status);
      if (late) row.overdue += 1;
    }
  }
  return {
    asOf: opts.asOf,
    knownAt: opts.knownAt ?? null,
    total,
    byStatus,
    byKind,
    byAssessment,
    overdue: { commitments: overdueCommitments, items: overdueCount },
    upcoming: { within: SUMMARY_WITHIN, items: upcomingCount },
    byParty: [...parties.keys()].sort(byCodeUnit).map((p) => ({ party: p, ...parties.get(p)! })),
  };
}

/** The summary from the SQLite read model: aggregate queries in one read transaction. */
export function summary(db: Database, opts: SummaryOptions): Summary {
  const party = opts.party === undefined ? undefined : normaliseParty(opts.party);
  const until = addIsoDurationClamped(opts.asOf, SUMMARY_WITHIN);
  // Which commitments count, as a condition on an id column.
  const match = (col: string): { sql: string; params: string[] } => {
    const sql: string[] = [];
    const params: string[] = [];
    if (party !== undefined) {
      sql.push(
        `EXISTS (SELECT 1 FROM rm_parties mp WHERE mp.commitment_id = ${col} AND mp.party = ?)`,
      );
      params.push(party);
    }
    if (opts.tag !== undefined) {
      sql.push(`EXISTS (SELECT 1 FROM rm_tags mt WHERE mt.commitment_id = ${col} AND mt.tag = ?)`);
      params.push(opts.tag);
    }
    return { sql: sql.length ? sql.join(' AND ') : '1', params };
  };
  const c = match('c.id');
  const a = match('a.commitment_id');
  const p = match('p.commitment_id');
  const partyOnly = party === undefined ? '' : ' AND p.party = ?';
  const partyParams = party === undefined ? [] : [party];

  return db.transaction((): Summary => {
    const byStatus = zeroStatuses();
    const byKind = zeroKinds();
    let total = 0;
    const statusRows = db
      .prepare(
        `SELECT c.status AS k, count(*) AS n FROM rm_commitments c WHERE ${c.sql} GROUP BY c.status`,
      )
      .all(...c.params) as Array<{ k: string; n: number }>;
    for (const r of statusRows) {
      if (r.k in byStatus) byStatus[r.k as Status] += r.n;
      total += r.n;
    }
    const kindRows = db
      .prepare(
        `SELECT c.kind AS k, count(*) AS n FROM rm_commitments c WHERE ${c.sql} GROUP BY c.kind`,
      )
      .all(...c.params) as Array<{ k: string; n: number }>;
    for (const r of kindRows) if (r.k in byKind) byKind[r.k as Kind] += r.n;
    const byAssessment = zeroAssessments();
    const assessmentRows = db
      .prepare(
        `SELECT coalesce(json_extract(c.state_json, '$.assessment.value'), 'none') AS k,
                count(*) AS n
         FROM rm_commitments c WHERE ${c.sql} GROUP BY 1`,
      )
      .all(...c.params) as Array<{ k: string; n: number }>;
    for (const r of assessmentRows) {
      if (r.k in byAssessment) byAssessment[r.k as AssessmentKey] += r.n;
    }

    const over = db
      .prepare(
        `SELECT count(*) AS items, count(DISTINCT a.commitment_id) AS commitments
         FROM rm_agenda a WHERE a.date < ? AND ${a.sql}`,
      )
      .get(opts.asOf, ...a.params) as { items: number; commitments: number };
    const up = db
      .prepare(`SELECT count(*) FROM rm_agenda a WHERE a.date >= ? AND a.date <= ? AND ${a.sql}`)
      .pluck(true)
      .get(opts.asOf, until, ...a.params) as number;

    const parties = new Map<
      string,
      { total: number; byStatus: Record<Status, number>; overdue: number }
    >();
    const rowOf = (
      name: string,
    ): { total: number; byStatus: Record<Status, number>; overdue: number } => {
      let row = parties.get(name);
      if (!row) {
        row = { total: 0, byStatus: zeroStatuses(), overdue: 0 };
        parties.set(name, row);
      }
      return row;
    };
    const partyRows = db
      .prepare(
        `SELECT p.party AS party, c.status AS k, count(*) AS n
         FROM rm_parties p JOIN rm_commitments c ON c.id = p.commitment_id
         WHERE ${p.sql}${partyOnly} GROUP BY p.party, c.status`,
      )
      .all(...p.params, ...partyParams) as Array<{ party: string; k: string; n: number }>;
    for (const r of partyRows) {
      const row = rowOf(r.party);
      row.total += r.n;
      if (r.k in row.byStatus) row.byStatus[r.k as Status] += r.n;
    }
    const overRows = db
      .prepare(
        `SELECT p.party AS party, count(DISTINCT a.commitment_id) AS n
         FROM rm_agenda a JOIN rm_parties p ON p.commitment_id = a.commitment_id
         WHERE a.date < ? AND ${p.sql}${partyOnly} GROUP BY p.party`,
      )
      .all(opts.asOf, ...p.params, ...partyParams) as Array<{ party: string; n: number }>;
    for (const r of overRows) rowOf(r.party).overdue = r.n;

    return {
      asOf: opts.asOf,
      knownAt: opts.knownAt ?? null,
      total,
      byStatus,
      byKind,
      byAssessment,
      overdue: { commitments: over.commitments, items: over.items },
      upcoming: { within: SUMMARY_WITHIN, items: up },
      byParty: [...parties.keys()]
        .sort(byCodeUnit)
        .map((name) => ({ party: name, ...parties.get(name)! })),
    };
  })();
}
