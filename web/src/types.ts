/**
 * Shapes the dashboard reads from the API. The view comes from the server's own type; the fields
 * that issues 14 and 15 add (overdue, next, withdrawal, supersession, assessment, compliance) are
 * optional here, so a server without them still renders.
 */
import type { CommitmentView } from '../../projections/types.js';

export interface OverdueEntry {
  item: string;
  date: string;
  daysOverdue: number;
}

export interface Compliance {
  average: number | null;
  scored: number;
  counts?: Record<string, number>;
}

export type View = Omit<CommitmentView, 'status'> & {
  status: string;
  overdue?: OverdueEntry[];
  next?: { item: string; date: string; daysUntil: number } | null;
  withdrawal?: { at: string; reason: string } | null;
  supersession?: { by: string; at: string } | null;
  assessment?: { value: string; at: string; note: string | null } | null;
  assessments?: Array<{
    party: string;
    score: number;
    phase: string;
    report?: { name?: string; publishedAt?: string; periodEnd?: string };
  }>;
  compliance?: Compliance | null;
};

export interface ListPage {
  items: View[];
  nextCursor: string | null;
  total?: number;
}

export interface AgendaEntry {
  commitmentId: string;
  title: string;
  parties: string[];
  item: string;
  date: string;
  daysOverdue?: number;
  daysUntil?: number;
}

export interface AgendaPage {
  asOf: string;
  until?: string;
  items: AgendaEntry[];
  nextCursor?: string | null;
  total?: number;
}

export interface HistoryEvent {
  position: number;
  revision: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
  recordedBy: string;
  hash: string;
}

export interface Summary {
  asOf: string;
  knownAt?: string | null;
  total: number;
  byStatus: Record<string, number>;
  byKind?: Record<string, number>;
  overdue: { commitments: number; items: number };
  upcoming: { within: string; items: number };
  byParty: Array<{
    party: string;
    total: number;
    byStatus: Record<string, number>;
    overdue: number | { commitments?: number; items?: number };
  }>;
}

export interface Scorecards {
  parties?: Array<{ party: string; average: number | null; scored: number }>;
}

/** GET /audit/verify answers the server's own report type. */
export type { VerifyReport } from '../../src/read-model/types.js';

export interface ReplayResult {
  knownAt: string;
  asOf: string;
  position: number;
  commitments: View[];
}
