/**
 * The application service's contract: what the HTTP API and the CLI call.
 * Flow: command → decide (domain) → append (store) → project (read model) → query.
 * Implementation: src/app/tracker.ts.
 */
import type {
  CommitmentCommandName,
  CommitmentCommandBodies,
  RecordCommitmentBody,
} from '../domain/commands.js';
import type { AgendaItemKind, CommitmentView, Status, Timing } from '../../projections/types.js';
import type { StoredEvent } from '../store/port.js';
import type { z } from 'zod';

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

export interface ListFilter {
  status?: Status;
  kind?: string;
  party?: string;
  tag?: string;
  timing?: Timing;
  /** Text in the title or the quote. */
  q?: string;
  asOf: string;
  limit: number;
  cursor?: string;
}

export interface ListPage {
  items: CommitmentView[];
  nextCursor: string | null;
}

export interface OverdueItem {
  commitmentId: string;
  title: string;
  parties: string[];
  item: AgendaItemKind;
  date: string;
  daysOverdue: number;
}

export interface UpcomingItem {
  commitmentId: string;
  title: string;
  parties: string[];
  item: AgendaItemKind;
  date: string;
  daysUntil: number;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  chain: { ok: boolean; brokenAt?: { stream: string; revision: number; reason: string } };
  readModel: { ok: boolean; mismatches: Array<{ id: string; reason: string }> };
}

export interface ReplayResult {
  knownAt: string;
  asOf: string;
  /** Position of the last event included. */
  position: number;
  commitments: CommitmentView[];
}

export interface Health {
  status: 'ok' | 'degraded';
  store: 'sqlite' | 'eventstoredb';
  position: number;
  detail?: string;
}

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
  overdue(opts: { asOf: string; party?: string }): Promise<OverdueItem[]>;
  upcoming(opts: { asOf: string; until: string; party?: string }): Promise<UpcomingItem[]>;
  /** Events of one commitment in order, or null when unknown. */
  history(id: string): Promise<StoredEvent[] | null>;
  replay(opts: { knownAt: string; asOf: string }): Promise<ReplayResult>;
  verify(): Promise<VerifyReport>;
  events(opts: { after: number; limit: number }): Promise<StoredEvent[]>;
  health(): Promise<Health>;
  close(): Promise<void>;
}
