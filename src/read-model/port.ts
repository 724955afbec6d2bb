/**
 * The read model as the application sees it: current states, lists and the agenda, the
 * checkpoint it has applied, and the audits that compare it with the log. No database handle
 * crosses this port; src/read-model/sqlite-port.ts implements it over the local SQLite file.
 */
import type { ScorecardFilter, ScoredCommitment } from './scorecards.js';
import type { CommitmentState } from '../../projections/types.js';
import type { SummaryOptions } from './queries-summary.js';
import type {
  AgendaFilter,
  ListFilter,
  ListPage,
  OverduePage,
  Summary,
  UpcomingPage,
  VerifyReport,
} from './types.js';

export interface ReadModel {
  /** The folded state of one commitment, or null when unknown. */
  getState(id: string): CommitmentState | null;
  list(filter: ListFilter): ListPage;
  /** Agenda items overdue at asOf, a page at a time (keyset cursor), with the count of all. */
  overdue(filter: AgendaFilter): OverduePage;
  /** Agenda items from asOf to until, a page at a time (keyset cursor), with the count of all. */
  upcoming(filter: AgendaFilter & { until: string }): UpcomingPage;
  /** Counts by status, kind and party, overdue and upcoming (GET /summary). */
  summary(opts: SummaryOptions): Summary;
  /** Position of the last event applied. */
  checkpoint(): number;
  /** Walk the hash chains and compare a scratch projection of the log with this read model. */
  verify(): Promise<VerifyReport>;
  /** Commitments with party assessments, for scorecards (issue 15); see scorecards.ts. */
  scoredCommitments(filter: ScorecardFilter): ScoredCommitment[];
}
