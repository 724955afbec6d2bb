/**
 * What scorecards (issue 15) need of the read model: the commitments that hold party assessments,
 * optionally of one tag and one party, each with every party's latest assessment per phase. The
 * averages themselves are computed by the pure `scorecard` of projections/ (see src/app/scorecards.ts).
 *
 * - `scoredCommitments(db, filter)`: from the live read model. Only rows whose state has at least one
 *   assessment are returned; the assessments are read with SQLite's JSON functions, so the rest of
 *   each state is not parsed.
 * - `scoredCommitmentsKnownAt(store, {knownAt, …})`: the same from a replay of the log, counting only
 *   events recorded at or before `knownAt` (the live read model is not read).
 * Party filters take any form `normaliseParty` understands (`Kazakhstan` = `KZ`).
 */
import type { Database } from 'better-sqlite3';

import type { PartyAssessmentView } from '../../projections/types.js';
import { normaliseParty } from '../domain/parties.js';
import type { EventStore } from '../store/port.js';
import { foldKnownAt } from './replay.js';

export interface ScorecardFilter {
  tag?: string;
  party?: string;
}

/** One commitment as a scorecard sees it. */
export interface ScoredCommitment {
  id: string;
  title: string;
  /** Each party's latest assessment per phase (the state's `partyAssessments`). */
  partyAssessments: PartyAssessmentView[];
}

export function scoredCommitments(db: Database, filter: ScorecardFilter): ScoredCommitment[] {
  const where = ["json_array_length(c.state_json, '$.partyAssessments') > 0"];
  const params: string[] = [];
  if (filter.tag !== undefined) {
    where.push('c.id IN (SELECT commitment_id FROM rm_tags WHERE tag = ?)');
    params.push(filter.tag);
  }
  if (filter.party !== undefined) {
    where.push('c.id IN (SELECT commitment_id FROM rm_parties WHERE party = ?)');
    params.push(normaliseParty(filter.party));
  }
  const rows = db
    .prepare(
      "SELECT c.id, c.title, json_extract(c.state_json, '$.partyAssessments') AS pa " +
        `FROM rm_commitments c WHERE ${where.join(' AND ')} ORDER BY c.id`,
    )
    .all(...params) as Array<{ id: string; title: string; pa: string }>;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    partyAssessments: JSON.parse(r.pa) as PartyAssessmentView[],
  }));
}

export async function scoredCommitmentsKnownAt(
  store: Pick<EventStore, 'readAll'>,
  filter: ScorecardFilter & { knownAt: string },
): Promise<ScoredCommitment[]> {
  const { model } = await foldKnownAt(store, filter.knownAt);
  // model.all() is in id order already.
  const party = filter.party === undefined ? undefined : normaliseParty(filter.party);
  return model
    .all()
    .filter(
      (s) =>
        (s.partyAssessments ?? []).length > 0 &&
        (filter.tag === undefined || s.tags.includes(filter.tag)) &&
        (party === undefined || s.parties.includes(party)),
    )
    .map((s) => ({ id: s.id, title: s.title, partyAssessments: s.partyAssessments }));
}
