/**
 * The application service's contract: what the HTTP API and the CLI call. Commands go
 * command → decide (domain) → append (store); queries read the read-model port. The types the
 * read model answers with live in src/read-model/types.ts and are re-exported here.
 */
import type {
  CommitmentCommandName,
  CommitmentCommandBodies,
  RecordCommitmentBody,
} from '../domain/commands.js';
import type { CommitmentView } from '../../projections/types.js';
import type {
  AgendaFilter,
  ListFilter,
  ListPage,
  OverduePage,
  ReplayResult,
  Summary,
  UpcomingPage,
  VerifyReport,
} from '../read-model/types.js';
import type { StoredEvent } from '../store/port.js';
import type { PartyScorecardResult, ScorecardQuery, ScorecardResult } from './scorecards.js';
import { z } from 'zod';

export interface CommandContext {
  /** API key name, CLI user, or `anonymous`. */
  recordedBy: string;
  requestId?: string;
  idempotencyKey?: string;
  /** Scope of the idempotency key (API key name, or `anonymous`). */
  idempotencyScope?: string;
  /**
   * With an idempotency key: a hash of the whole request. Stored in the events' metadata, so a
   * retry that finds the key's events already stored can tell the same request from another one.
   */
  requestHash?: string;
  /** From `If-Match`: the revision the client last saw. A mismatch throws PreconditionFailedError. */
  expectedRevision?: number;
}

export interface CommandResult {
  view: CommitmentView;
  revision: number;
  position: number;
  events: StoredEvent[];
}

export type CommandBody<K extends CommitmentCommandName> = z.output<
  (typeof CommitmentCommandBodies)[K]
>;

export type {
  AgendaFilter,
  ListFilter,
  ListPage,
  OverdueItem,
  OverduePage,
  ReplayResult,
  Summary,
  UpcomingItem,
  UpcomingPage,
  VerifyReport,
} from '../read-model/types.js';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    store: z.enum(['sqlite', 'eventstoredb']),
    position: z.number().int(),
    detail: z.string().optional(),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;

export interface Tracker {
  record(body: RecordCommitmentBody, ctx: CommandContext): Promise<CommandResult>;
  execute<K extends CommitmentCommandName>(
    id: string,
    command: K,
    body: CommandBody<K>,
    ctx: CommandContext,
  ): Promise<CommandResult>;
  /** The view, or null when unknown (or, with knownAt, not yet recorded then). */
  get(id: string, opts: { asOf: string; knownAt?: string }): Promise<CommitmentView | null>;
  list(filter: ListFilter): Promise<ListPage>;
  /** A page of the agenda items overdue at asOf (filters, keyset cursor, total). */
  overdue(filter: AgendaFilter): Promise<OverduePage>;
  /** A page of the agenda items from asOf to until (filters, keyset cursor, total). */
  upcoming(filter: AgendaFilter & { until: string }): Promise<UpcomingPage>;
  /** Counts at asOf, from the read model, or with knownAt from a replay of the log. */
  summary(opts: { asOf: string; knownAt?: string; party?: string; tag?: string }): Promise<Summary>;
  /**
   * Events of one commitment in order, or null when unknown. With `fromRevision`, only the
   * events from that revision on (an empty list when the commitment has fewer).
   */
  history(id: string, opts?: { fromRevision?: number }): Promise<StoredEvent[] | null>;
  replay(opts: { knownAt: string; asOf: string }): Promise<ReplayResult>;
  /**
   * The same replay as a stream of views (sorted by id); the generator returns the position.
   * Memory stays flat with the log's size on the embedded store.
   */
  replayViews(opts: {
    knownAt: string;
    asOf: string;
  }): AsyncGenerator<CommitmentView, number, undefined>;
  verify(): Promise<VerifyReport>;
  /** Per-party and per-commitment compliance averages (issue 15); see scorecards.ts. */
  scorecard(q: ScorecardQuery): Promise<ScorecardResult>;
  /** One party's score on each commitment that scored it, and its average. */
  partyScorecard(party: string, q: ScorecardQuery): Promise<PartyScorecardResult>;
  events(opts: { after: number; limit: number }): Promise<StoredEvent[]>;
  health(): Promise<Health>;
  close(): Promise<void>;
}
