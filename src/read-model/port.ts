/**
 * The read model as the application sees it: current states, lists and the agenda, the
 * checkpoint it has applied, and the audits that compare it with the log. No database handle
 * crosses this port; src/read-model/sqlite-port.ts implements it over the local SQLite file.
 */
import type { ScorecardFilter, ScoredCommitment } from './scorecards.js';
import type { CommitmentState } from '../../projections/types.js';
import type { ListFilter, ListPage, OverdueItem, UpcomingItem, VerifyReport } from './types.js';

export interface ReadModel {
  /** The folded state of one commitment, or null when unknown. */
  getState(id: string): CommitmentState | null;
  list(filter: ListFilter): ListPage;
  overdue(opts: { asOf: string; party?: string }): OverdueItem[];
  upcoming(opts: { asOf: string; until: string; party?: string }): UpcomingItem[];
  /** Position of the last event applied. */
  checkpoint(): number;
  /** Walk the hash chains and compare a scratch projection of the log with this read model. */
  verify(): Promise<VerifyReport>;
  /** Commitments with party assessments, for scorecards (issue 15); see scorecards.ts. */
  scoredCommitments(filter: ScorecardFilter): ScoredCommitment[];
}
